"""Messages registration managers write to some of a form's registrants: the filters pick
exactly the right people (never cancelled ones), each gets their language's text or the
source language's, the preview counts them per language and says where a language falls
back, sending twice (a double click) sends once, the throttle spreads a big send over
minutes and the sender leaves a row until its time, and every message stays on record.
Only registration managers reach any of it."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from forms_app import emails, messaging, services
from forms_app.models import (
    CheckIn,
    EmailKind,
    OutgoingEmail,
    RegistrantMessage,
    Registration,
    RegistrationFormPage,
)
from tests.helpers import register

pytestmark = pytest.mark.django_db

TEXTS = {
    "en": {"subject": "Venue news", "body": "Doors open at <b>9</b>.\nBring your ticket."},
    "tr": {"subject": "Mekân haberleri", "body": "Kapılar 9'da açılıyor."},
}


def build_people():
    """Confirmed: en (checked in), tr, tr (checked in), ur; waitlisted: tr, en; cancelled:
    tr. Registration pks by role."""
    form = RegistrationFormPage.objects.get(slug="register", locale__language_code="en")
    RegistrationFormPage.objects.filter(pk=form.pk).update(capacity=None)

    def in_language(code):
        return RegistrationFormPage.objects.get(
            translation_key=form.translation_key, locale__language_code=code
        )

    people = {
        "en": register(in_language("en"), "Ann English", "ann@example.org"),
        "tr": register(in_language("tr"), "Işıl Türk", "isil@example.org"),
        "tr_in": register(in_language("tr"), "Deniz Geldi", "deniz@example.org"),
        "ur": register(in_language("ur"), "محمد علی", "ali@example.org"),
        "cancelled": register(in_language("tr"), "Left Early", "left@example.org"),
    }
    services.cancel(people["cancelled"], notify=False)
    RegistrationFormPage.objects.filter(pk=form.pk).update(capacity=4)  # full
    people["tr_wait"] = register(in_language("tr"), "Ayşe Bekliyor", "ayse@example.org")
    people["en_wait"] = register(in_language("en"), "Will Wait", "will@example.org")
    day = timezone.now().date()
    for role in ("en", "tr_in"):
        CheckIn.objects.create(registration=people[role], day=day)
    return {role: registration.pk for role, registration in people.items()}


@pytest.fixture(scope="module")
def people_pks(module_data):
    return module_data(build_people)


@pytest.fixture
def people(people_pks, form_page):
    return {role: Registration.objects.get(pk=pk) for role, pk in people_pks.items()}


def roles(people, queryset):
    by_pk = {registration.pk: role for role, registration in people.items()}
    return sorted(by_pk[pk] for pk in queryset.values_list("pk", flat=True))


# Who gets it ---------------------------------------------------------------------------------


def test_the_people_are_as_built(people):
    assert people["tr_wait"].status == "waitlisted"
    assert people["en_wait"].status == "waitlisted"
    assert people["cancelled"].status == "cancelled"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": ["confirmed"], "language": ["tr"]}, ["tr", "tr_in"]),
        ({}, ["en", "en_wait", "tr", "tr_in", "tr_wait", "ur"]),
        ({"status": ["waitlisted"]}, ["en_wait", "tr_wait"]),
        ({"checked_in": "yes"}, ["en", "tr_in"]),
        ({"status": ["confirmed"], "checked_in": "no"}, ["tr", "ur"]),
        (
            {"language": ["ur", "en"], "status": ["confirmed", "waitlisted"]},
            ["en", "en_wait", "ur"],
        ),
        # Cancelled registrations are never chosen, even when asked for.
        ({"status": ["cancelled"]}, []),
        ({"status": ["cancelled", "confirmed"], "language": ["tr"]}, ["tr", "tr_in"]),
    ],
)
def test_the_filters_choose_exactly_the_right_people(people, form_page, filters, expected):
    assert roles(people, messaging.recipients(form_page, filters)) == expected


def test_the_count_by_language(people, form_page):
    counts = messaging.count_by_language(form_page, {"status": ["confirmed"]})
    assert counts == {"en": 1, "tr": 2, "ur": 1}


# What it says -------------------------------------------------------------------------------


def send_now(form_page, registrar, django_capture_on_commit_callbacks, filters, texts=TEXTS):
    message = messaging.write(form_page, texts=texts, filters=filters, user=registrar)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = messaging.send(message.pk)
    message.refresh_from_db()
    return message, count


def test_each_gets_their_language_else_the_source_language(
    people, form_page, registrar, django_capture_on_commit_callbacks
):
    message, count = send_now(
        form_page, registrar, django_capture_on_commit_callbacks, {"status": ["confirmed"]}
    )
    assert count == 4
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == sorted(people[r].email for r in ("en", "tr", "tr_in", "ur"))
    assert by_address["isil@example.org"].subject == "Mekân haberleri"
    assert "Kapılar 9'da açılıyor." in by_address["isil@example.org"].body
    # No Urdu text: the English one, with the link's wording in Urdu, right to left.
    urdu = by_address["ali@example.org"]
    assert urdu.subject == "Venue news"
    assert "Bring your ticket." in urdu.body
    html = urdu.alternatives[0][0]
    assert '<html lang="ur" dir="rtl">' in html
    assert '<div lang="en" dir="ltr">' in html
    # The manager's text is plain text: escaped in HTML, line breaks kept.
    english = by_address["ann@example.org"]
    assert "Doors open at <b>9</b>." in english.body
    assert (
        "Doors open at &lt;b&gt;9&lt;/b&gt;.<br>Bring your ticket." in (english.alternatives[0][0])
    )
    assert all(m.kind == EmailKind.MESSAGE for m in message.emails.all())
    assert set(message.emails.values_list("occasion", flat=True)) == {str(message.pk)}


def test_every_message_has_a_working_manage_link(
    client, people, form_page, registrar, django_capture_on_commit_callbacks
):
    send_now(form_page, registrar, django_capture_on_commit_callbacks, {"language": ["ur"]})
    (urdu,) = mail.outbox
    link = f"/ur/third-conference/register/manage/{people['ur'].manage_token}/"
    assert f"http://testserver{link}" in urdu.body
    assert client.get(link).status_code == 200


def test_sending_twice_sends_once(people, form_page, registrar, django_capture_on_commit_callbacks):
    message, count = send_now(
        form_page, registrar, django_capture_on_commit_callbacks, {"language": ["tr"]}
    )
    assert count == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert messaging.send(message.pk) is None
    assert len(mail.outbox) == 3
    assert OutgoingEmail.objects.filter(message=message).count() == 3


def test_a_registration_cancelled_before_its_copy_goes_gets_none(
    people, form_page, registrar, settings
):
    settings.OUTBOX_EMAILS_PER_MINUTE = 1
    message = messaging.write(form_page, texts=TEXTS, filters={"language": ["tr"]}, user=registrar)
    messaging.send(message.pk)  # no commit here: nothing is sent yet
    services.cancel(people["tr_wait"], notify=False)
    mail.outbox.clear()
    email = OutgoingEmail.objects.get(message=message, registration=people["tr_wait"])
    OutgoingEmail.objects.filter(pk=email.pk).update(not_before=timezone.now())
    assert emails.deliver(email.pk) is False
    assert mail.outbox == []
    assert not OutgoingEmail.objects.filter(pk=email.pk).exists()
    assert messaging.delivery(RegistrantMessage.objects.get(pk=message.pk))["withdrawn"] == 1


# The throttle -------------------------------------------------------------------------------


def test_the_throttle_spreads_a_send_and_the_sender_waits_for_each_rows_time(
    people, form_page, registrar, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_EMAILS_PER_MINUTE = 2
    message, count = send_now(form_page, registrar, django_capture_on_commit_callbacks, {})
    assert count == 6
    rows = list(OutgoingEmail.objects.filter(message=message).order_by("not_before", "pk"))
    start = message.sent_at
    minute = dt.timedelta(minutes=1)
    assert [row.not_before for row in rows] == [start] * 2 + [start + minute] * 2 + [
        start + 2 * minute
    ] * 2
    # The first minute's went at once (after commit); the others wait.
    assert len(mail.outbox) == 2
    assert [
        row.status
        for row in OutgoingEmail.objects.filter(message=message).order_by("not_before", "pk")
    ] == ["sent"] * 2 + ["pending"] * 4
    later = rows[2]
    assert emails.deliver(later.pk) is False  # not its time
    assert OutgoingEmail.objects.get(pk=later.pk).status == "pending"
    assert not emails.unsent().filter(message=message).exists()
    due = emails.unsent(now=start + minute + dt.timedelta(seconds=1)).filter(message=message)
    assert sorted(due.values_list("pk", flat=True)) == sorted(r.pk for r in rows[2:4])

    # A second send books the minutes after the first's.
    second = messaging.write(form_page, texts=TEXTS, filters={"language": ["en"]}, user=registrar)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        messaging.send(second.pk, now=start + dt.timedelta(seconds=5))
    booked = OutgoingEmail.objects.filter(message=second).values_list("not_before", flat=True)
    assert list(booked) == [start + 3 * minute] * 2
    assert mail.outbox == []  # nothing of the second send is due yet


def test_no_limit_sends_everything_at_once(
    people, form_page, registrar, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_EMAILS_PER_MINUTE = 0
    _message, count = send_now(form_page, registrar, django_capture_on_commit_callbacks, {})
    assert count == 6 and len(mail.outbox) == 6


# The admin ----------------------------------------------------------------------------------


def write_url(form_page):
    return reverse("forms_app_admin:write_message", args=[form_page.pk])


def posted(**extra):
    data = {
        "status": ["confirmed"],
        "checked_in": "any",
        "subject_en": TEXTS["en"]["subject"],
        "body_en": TEXTS["en"]["body"],
        "subject_tr": TEXTS["tr"]["subject"],
        "body_tr": TEXTS["tr"]["body"],
        "subject_ur": "",
        "body_ur": "",
    }
    data.update(extra)
    return data


def test_editors_cannot_reach_the_messages(editor_client, form_page, people):
    for url in (
        write_url(form_page),
        reverse("forms_app_admin:messages", args=[form_page.pk]),
    ):
        assert editor_client.get(url).status_code == 403
    assert editor_client.post(write_url(form_page), posted()).status_code == 403
    assert not RegistrantMessage.objects.exists()


def test_write_preview_send_and_the_record(
    registrar_client, registrar, form_page, people, django_capture_on_commit_callbacks
):
    list_page = registrar_client.get(reverse("wagtailforms:list_submissions", args=[form_page.pk]))
    assert write_url(form_page) in list_page.content.decode()
    assert registrar_client.get(write_url(form_page)).status_code == 200

    response = registrar_client.post(write_url(form_page), posted())
    assert response.status_code == 302
    message = RegistrantMessage.objects.get()
    assert message.sent_at is None and message.created_by == registrar
    assert not OutgoingEmail.objects.filter(message=message).exists()

    preview = registrar_client.get(response["Location"])
    assert preview.status_code == 200
    languages = {language["code"]: language for language in preview.context["languages"]}
    assert {code: language["count"] for code, language in languages.items()} == {
        "en": 1,
        "tr": 2,
        "ur": 1,
    }
    assert [code for code, language in languages.items() if language["falls_back"]] == ["ur"]
    html = preview.content.decode()
    assert "No text in اردو: these registrants get the English text" in html
    assert "Kapılar 9&#x27;da açılıyor." in html or "Kapılar 9&#39;da açılıyor." in html
    assert "Doors open at &lt;b&gt;9&lt;/b&gt;." in html  # escaped in the admin too
    assert "<b>9</b>" not in html

    send_url = reverse("forms_app_admin:send_message", args=[form_page.pk, message.pk])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = registrar_client.post(send_url)
        second = registrar_client.post(send_url)  # a double click
    assert first.status_code == second.status_code == 302
    assert len(mail.outbox) == 4
    assert OutgoingEmail.objects.filter(message=message).count() == 4

    message.refresh_from_db()
    assert message.recipient_count == 4 and message.sent_at is not None
    assert message.filters == {"status": ["confirmed"], "language": [], "checked_in": "any"}
    record = registrar_client.get(
        reverse("forms_app_admin:message", args=[form_page.pk, message.pk])
    )
    assert record.context["delivery"] == {"sent": 4, "failed": 0, "waiting": 0, "withdrawn": 0}
    assert "4 sent, 0 failed" in record.content.decode()
    index = registrar_client.get(reverse("forms_app_admin:messages", args=[form_page.pk]))
    text = index.content.decode()
    assert "Venue news" in text and "registrar" in text and "Confirmed; every language" in text


def test_the_form_wants_the_source_text_and_subject_with_body(registrar_client, form_page, people):
    response = registrar_client.post(
        write_url(form_page), posted(subject_en="", body_en="", subject_ur="Only a subject")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "subject_en" in errors and "body_en" in errors and "body_ur" in errors
    assert not RegistrantMessage.objects.exists()
