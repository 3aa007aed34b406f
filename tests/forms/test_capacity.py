"""Seats, waiting list and cancellations, across every language version of a form."""

import pytest

from events.registration import Availability
from forms_app import services
from forms_app.models import EmailKind, OutgoingEmail, Registration, RegistrationStatus
from tests.helpers import answers, attempt_registration

pytestmark = pytest.mark.django_db

URL = {code: f"/{code}/third-conference/register/" for code in ("en", "tr", "ur")}


def register(form, n, language="en"):
    return attempt_registration(
        form, f"Person {n}", f"person{n}@example.org", language=language, answers={}
    )


def statuses():
    return list(Registration.objects.order_by("pk").values_list("status", flat=True))


def test_capacity_counts_across_languages_then_waitlists(form_in):
    # Capacity 3: one registrant per language fills it; the fourth waits.
    for n, language in enumerate(["en", "tr", "ur", "tr"]):
        outcome = register(form_in(language), n, language)
        assert outcome.result == services.RegistrationOutcome.REGISTERED
    assert statuses() == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert form_in("ur").seats_left() == 0


def test_without_a_waiting_list_a_full_form_refuses_and_stores_nothing(client, form_page):
    form_page.waiting_list = False
    form_page.capacity = 1
    form_page.save_revision().publish()
    assert client.post(URL["en"], answers(email="first@example.org")).status_code == 303
    response = client.post(URL["tr"], answers(email="second@example.org"))
    assert response.status_code == 409
    assert "Kontenjan doldu" in response.content.decode()
    assert Registration.objects.count() == 1
    # The form itself now says so instead of offering a form that cannot succeed.
    html = client.get(URL["ur"]).content.decode()
    assert "registration-form" not in html
    assert form_page.registration_availability() == Availability.FULL


def test_cancelling_a_confirmed_place_promotes_the_earliest_waitlisted(
    form_in, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        people = [
            register(form_in(lang), n, lang).registration
            for n, lang in enumerate(["en", "tr", "ur", "ur", "tr"])
        ]
    assert statuses() == ["confirmed"] * 3 + ["waitlisted"] * 2
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(people[1])
    assert promoted.pk == people[3].pk  # the earliest on the list, whatever the language
    assert statuses() == ["confirmed", "cancelled", "confirmed", "confirmed", "waitlisted"]
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert set(subjects) == {"person1@example.org", "person3@example.org"}
    # Each in the language they registered in.
    assert subjects["person3@example.org"] == "جگہ آپ کی ہے: تیسری کانفرنس"
    assert subjects["person1@example.org"] == "Üçüncü Konferans kaydınız iptal edildi"
    assert (
        OutgoingEmail.objects.filter(registration=people[3], kind=EmailKind.PROMOTED).count() == 1
    )


def test_cancelling_twice_changes_nothing_the_second_time(form_in):
    first = register(form_in("en"), 1).registration
    register(form_in("en"), 2)
    register(form_in("en"), 3)
    waiting = register(form_in("en"), 4).registration
    services.cancel(first)
    assert services.cancel(first) is None
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert Registration.objects.filter(status="confirmed").count() == 3


def test_cancelling_a_waitlisted_place_promotes_nobody(form_in):
    for n in range(3):
        register(form_in("en"), n)
    waiting = register(form_in("en"), 3).registration
    assert services.cancel(waiting) is None
    assert Registration.objects.filter(status="confirmed").count() == 3


def test_raising_the_capacity_fills_from_the_waiting_list(form_in, form_page):
    # Publishing is enough (forms_app.publishing); the admin path and the scheduler are
    # in test_capacity_raise_promotes.py.
    for n in range(5):
        register(form_in("en"), n)
    form_page.capacity = 4
    form_page.save_revision().publish()
    assert statuses() == ["confirmed"] * 4 + ["waitlisted"]


def test_one_active_registration_per_address_is_enforced_by_the_database(form_page):
    from django.db import IntegrityError, transaction

    Registration.objects.create(
        page=form_page,
        status="confirmed",
        language="en",
        name="A",
        email="Same@Example.org",
        form_data={},
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            page=form_page,
            status="waitlisted",
            language="tr",
            name="B",
            email="  same@example.ORG ",
            form_data={},
        )
    # A cancelled registration does not count: the address may register again.
    Registration.objects.update(status="cancelled")
    Registration.objects.create(
        page=form_page,
        status="confirmed",
        language="tr",
        name="B",
        email="same@example.org",
        form_data={},
    )


def test_a_second_registration_with_the_same_address_gets_the_neutral_answer(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL["en"], answers(email="Someone@Example.org"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL["tr"], answers(email="  someone@example.ORG "))
    assert response.status_code == 303
    assert response["Location"].endswith("/thanks/")
    assert Registration.objects.count() == 1
    assert len(mailoutbox) == 1  # the details, sent again to the registered address
    assert mailoutbox[0].to == ["Someone@Example.org"]
    assert "/manage/" in mailoutbox[0].body


def test_double_submit_of_the_same_form_creates_one_registration_and_one_email(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    data = answers(submission_token="5d7a0e56-8f0b-4b8e-9b59-3d7c1c2b0a11")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL["ur"], data)
        second = client.post(URL["ur"], data)
    assert first.status_code == second.status_code == 303
    assert Registration.objects.count() == 1
    registrant_emails = [m for m in mailoutbox if m.to == ["registrant@example.org"]]
    assert len(registrant_emails) == 1
