"""Walk-ins and corrections at the door, by registration managers (forms_app.checkin,
the check-in page's registrar tools).

- A walk-in takes a free place through `services.register`, under the same pool lock as
  online registrations; with every place taken it is refused (never waitlisted at the
  door) and nothing is stored. It gets its ticket, the confirmation email, is logged, and
  is checked in for the day at once if asked.
- A correction of a name or email address is saved and logged with the registration's id
  and the names of the fields changed, never the old or new values; a corrected address
  can be sent the details again; an address another active registration has is refused.
- Door staff (the Check-in staff group) can do neither."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageLogEntry

from forms_app import checkin, services
from forms_app.checkin import CheckInOutcome
from forms_app.models import CheckIn, EmailKind, OutgoingEmail, Registration, RegistrationPool
from forms_app.services import RegistrationOutcome
from tests.helpers import make_user, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_taken(form_in):
    """Capacity 3: two places taken online."""
    return [
        register(form_in("en"), "Online One", "one@example.org"),
        register(form_in("tr"), "Online Two", "two@example.org"),
    ]


def walk_in(form_page, registrar, name, email, **extra):
    return checkin.add_walk_in(
        form_page,
        name=name,
        email=email,
        language=extra.pop("language", "ur"),
        submission_token=uuid.uuid4(),
        user=registrar,
        **extra,
    )


def url(form_page, name, *args, language="en"):
    with translation.override(language):
        return reverse(name, args=[form_page.pk, *args])


def test_a_walk_in_takes_a_free_place_and_is_emailed_a_ticket(
    form_page, two_taken, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome, scan = walk_in(form_page, registrar, "Zeynep Kaya", "zeynep@example.org")
    assert outcome.result == RegistrationOutcome.REGISTERED and scan is None
    person = Registration.objects.get(email="zeynep@example.org")
    assert (person.status, person.walk_in, person.language) == ("confirmed", True, "ur")
    assert person.ticket_code and person.page_id == form_page.pk
    assert person.consent_at is not None
    # Emailed like any other registrant (the worker's outbox; sent after commit here).
    assert list(OutgoingEmail.objects.filter(registration=person).values_list("kind", flat=True))
    assert EmailKind.CONFIRMATION in OutgoingEmail.objects.filter(registration=person).values_list(
        "kind", flat=True
    )
    assert [message.to for message in mailoutbox if "zeynep@example.org" in message.to] == [
        ["zeynep@example.org"]
    ]
    (entry,) = PageLogEntry.objects.filter(action="forms_app.add_walk_in")
    assert entry.page_id == form_page.pk and entry.user == registrar
    assert entry.data == {"registration": person.pk}


def test_a_walk_in_counts_against_capacity_and_never_joins_the_waiting_list(
    form_page, two_taken, registrar
):
    assert form_page.waiting_list  # online, a fourth registrant would wait
    walk_in(form_page, registrar, "Last Place", "last@example.org")
    outcome, scan = walk_in(
        form_page,
        registrar,
        "Too Late",
        "late@example.org",
        check_in_day=checkin.event_days(form_page.event)[0],
    )
    assert outcome.result == RegistrationOutcome.NO_PLACE_LEFT and scan is None
    assert not Registration.objects.filter(email="late@example.org").exists()
    assert Registration.objects.filter(status="confirmed").count() == 3
    # Online registrants still join the waiting list, behind nobody from the door.
    online = register(form_page, "Online Three", "three@example.org")
    assert online.status == "waitlisted"


def test_a_walk_in_takes_the_pool_lock_of_online_registrations(
    form_in, two_taken, registrar, monkeypatch
):
    locked = []
    real = services.lock_pool

    def spy(source):
        pool = real(source)
        locked.append(pool.page_id)
        return pool

    monkeypatch.setattr(services, "lock_pool", spy)
    walk_in(form_in("tr"), registrar, "Through Turkish", "tr@example.org")
    assert locked == [form_in("en").pk]  # the source page's pool, from any language
    assert RegistrationPool.objects.filter(page_id=form_in("en").pk).count() == 1


def test_a_walk_in_can_be_checked_in_at_once(form_page, registrar):
    day = checkin.event_days(form_page.event)[1]
    outcome, scan = walk_in(
        form_page, registrar, "At The Door", "door@example.org", check_in_day=day
    )
    assert scan.outcome == CheckInOutcome.CHECKED_IN
    check_in = CheckIn.objects.get()
    assert (check_in.registration, check_in.day, check_in.checked_in_by) == (
        outcome.registration,
        day,
        registrar,
    )


def test_an_address_already_registered_is_not_registered_twice(form_page, two_taken, registrar):
    outcome, _scan = walk_in(form_page, registrar, "Online One", "ONE@example.org")
    assert outcome.result == RegistrationOutcome.ALREADY_REGISTERED
    assert outcome.registration == two_taken[0]
    assert Registration.objects.count() == 2
    assert not PageLogEntry.objects.filter(action="forms_app.add_walk_in").exists()


def test_the_walk_in_page_for_registrars(registrar_client, form_page, two_taken, mailoutbox):
    page = url(form_page, "checkin:walk_in", language="tr")
    html = registrar_client.get(page).content.decode()
    assert '<html lang="tr" dir="ltr">' in html and "Kapıda kayıt ekle" in html
    token = html.split('name="submission_token" value="')[1].split('"')[0]
    data = {
        "name": "  Zeynep   Kaya ",
        "email": "zeynep@example.org",
        "language": "tr",
        "consent": "on",
        "check_in_now": "on",
        "submission_token": token,
    }
    response = registrar_client.post(page, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zeynep Kaya kaydedildi" in html and "checkin-result--checked_in" in html
    person = Registration.objects.get(email="zeynep@example.org")
    assert person.name == "Zeynep Kaya" and person.walk_in and person.language == "tr"
    assert CheckIn.objects.filter(registration=person).count() == 1
    # The same form posted again (a double tap): one registration.
    registrar_client.post(page, data)
    assert Registration.objects.filter(email="zeynep@example.org").count() == 1
    # Consent is required.
    refused = registrar_client.post(page, {**data, "consent": "", "email": "x@example.org"})
    assert refused.status_code == 200
    assert not Registration.objects.filter(email="x@example.org").exists()


def test_a_correction_is_saved_and_logged_without_personal_data(
    form_page, two_taken, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    person = two_taken[0]
    with django_capture_on_commit_callbacks(execute=True):
        changed = checkin.correct(
            person, name="Onur Bir", email="onur@example.org", user=registrar, resend=True
        )
    assert changed == ["name", "email"]
    person.refresh_from_db()
    assert (person.name, person.email, person.email_key) == (
        "Onur Bir",
        "onur@example.org",
        "onur@example.org",
    )
    (entry,) = PageLogEntry.objects.filter(action="forms_app.correct_registration")
    assert entry.user == registrar and entry.page_id == form_page.pk
    assert entry.data == {"registration": person.pk, "fields": ["name", "email"]}
    logged = json.dumps(entry.data) + entry.label
    for value in ("Online One", "one@example.org", "Onur", "onur@"):
        assert value not in logged
    with translation.override("en"):
        assert entry.formatter.format_message(entry) == (
            f"Corrected name, email of registration {person.pk}"
        )
    # The details go to the corrected address.
    assert ["onur@example.org"] in [message.to for message in mailoutbox]
    assert OutgoingEmail.objects.filter(registration=person, kind=EmailKind.DETAILS_AGAIN).exists()
    # Nothing changed: nothing logged.
    assert checkin.correct(person, name="Onur Bir", email="onur@example.org", user=registrar) == []
    assert PageLogEntry.objects.filter(action="forms_app.correct_registration").count() == 1


def test_a_correction_to_an_address_already_registered_is_refused(form_page, two_taken, registrar):
    with pytest.raises(checkin.AddressInUse):
        checkin.correct(two_taken[0], name="Online One", email="TWO@example.org", user=registrar)
    two_taken[0].refresh_from_db()
    assert two_taken[0].email == "one@example.org"
    assert not PageLogEntry.objects.filter(action="forms_app.correct_registration").exists()


def test_the_correction_page_for_registrars(registrar_client, form_page, two_taken):
    person = two_taken[1]
    page = url(form_page, "checkin:correct", person.pk, language="ur")
    html = registrar_client.get(page).content.decode()
    assert '<html lang="ur" dir="rtl">' in html and 'value="two@example.org"' in html
    taken = registrar_client.post(page, {"name": "Online Two", "email": "one@example.org"})
    assert taken.status_code == 200
    assert "اس فارم کی ایک اور رجسٹریشن میں یہی پتہ ہے۔" in taken.content.decode()
    response = registrar_client.post(
        page, {"name": "Online  Two  Corrected", "email": "two@example.org"}
    )
    assert response.status_code == 302 and "corrected=" in response["Location"]
    person.refresh_from_db()
    assert person.name == "Online Two Corrected"
    # Another form's registration is not reachable through this form's page.
    assert registrar_client.get(url(form_page, "checkin:correct", 999_999)).status_code == 404


def test_door_staff_can_neither_add_walk_ins_nor_correct(form_page, two_taken):
    door = Client()
    door.force_login(make_user("door", "Check-in staff"))
    assert door.get(url(form_page, "checkin:walk_in")).status_code == 403
    response = door.post(
        url(form_page, "checkin:walk_in"),
        {
            "name": "Sneaky",
            "email": "sneaky@example.org",
            "language": "en",
            "consent": "on",
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 403
    correct = url(form_page, "checkin:correct", two_taken[0].pk)
    assert door.post(correct, {"name": "X", "email": "x@example.org"}).status_code == 403
    assert Registration.objects.count() == 2
    assert Registration.objects.get(pk=two_taken[0].pk).name == "Online One"


def test_a_registrar_sets_the_role_a_badge_shows(form_page, two_taken, registrar_client):
    from django.urls import reverse

    from forms_app.badges import role_of
    from forms_app.models import BadgeRole

    person = two_taken[0]
    url = reverse("checkin:correct", args=[form_page.pk, person.pk])
    page = registrar_client.get(url)
    assert page.status_code == 200
    assert 'name="role"' in page.content.decode()

    response = registrar_client.post(
        url, {"name": person.name, "email": person.email, "role": "speaker", "resend": ""}
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == "speaker"
    (entry,) = PageLogEntry.objects.filter(action="forms_app.correct_registration")
    assert entry.data == {"registration": person.pk, "fields": ["role"]}
    assert role_of(person) == BadgeRole.SPEAKER
