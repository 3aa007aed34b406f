"""Emails go out after the registration commits, in the registrant's language, with the
event's calendar file and a working manage link; a broken mail server loses nothing."""

import io
import re

import pytest
from django.core.management import call_command
from icalendar import Calendar

from forms_app.models import EmailKind, OutgoingEmail, Registration
from tests.helpers import answers

pytestmark = pytest.mark.django_db


def register(client, language, capture, **extra):
    with capture(execute=True):
        response = client.post(f"/{language}/third-conference/register/", answers(**extra))
    assert response.status_code == 303
    return Registration.objects.latest("pk")


def test_confirmation_is_in_the_registrants_language_with_calendar_and_manage_link(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    registration = register(client, "ur", django_capture_on_commit_callbacks)
    confirmation, organiser = mailoutbox
    assert confirmation.to == ["registrant@example.org"]
    assert "تیسری کانفرنس" in confirmation.subject  # the event's Urdu title
    assert "محترم Test Registrant" in confirmation.body
    assert confirmation.extra_headers["Content-Language"] == "ur"
    html, mimetype = confirmation.alternatives[0]
    assert mimetype == "text/html"
    assert 'dir="rtl"' in html
    # The calendar file parses and is the event's.
    filename, content, mimetype = confirmation.attachments[0]
    assert filename == "event.ics"
    assert mimetype.startswith("text/calendar")
    # The sent message names the calendar's type and charset once each.
    (part,) = [p for p in confirmation.message().walk() if p.get_filename() == "event.ics"]
    assert part["Content-Type"] == 'text/calendar; charset="utf-8"'
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["uid"]) == str(form_page.get_parent().specific.uid)
    # The manage link is private (a token, not the id) and in the registrant's language.
    link = re.search(
        r"http://testserver(/ur/third-conference/register/manage/[\w-]+/)", confirmation.body
    ).group(1)
    assert registration.manage_token in link
    assert len(registration.manage_token) >= 40
    page = client.get(link)
    assert page.status_code == 200
    assert "Test Registrant" in page.content.decode()
    assert '<html lang="ur" dir="rtl">' in page.content.decode()
    # The organisers are told, in the source language, with no personal data: a link into
    # the admin instead (tests/forms/test_email_settings_for_managers.py).
    assert organiser.to == ["organisers@example.org"]
    assert organiser.reply_to == []
    assert "Test Registrant" not in organiser.body and "Norway" not in organiser.body
    assert f"/admin/forms/submissions/{form_page.pk}/" in organiser.body


def test_confirmation_text_from_the_editor_fills_placeholders(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    register(client, "en", django_capture_on_commit_callbacks)
    body = mailoutbox[0].body
    assert "We look forward to seeing you, Test Registrant, at Third Conference (" in body
    assert "{name}" not in body


def test_waitlisted_registrants_get_the_waiting_list_notice(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks
):
    form_page.capacity = 0
    form_page.save_revision().publish()
    register(client, "tr", django_capture_on_commit_callbacks)
    assert "bekleme listesindesiniz" in mailoutbox[0].subject
    assert OutgoingEmail.objects.filter(kind=EmailKind.WAITLISTED).count() == 1


def test_a_failing_mail_server_keeps_the_registration_and_a_retry_sends_once(
    client, form_page, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.forms.mail_backends.RefusingBackend"
    registration = register(client, "tr", django_capture_on_commit_callbacks)
    assert Registration.objects.filter(pk=registration.pk).exists()
    failed = OutgoingEmail.objects.filter(registration=registration)
    assert {email.status for email in failed} == {"failed"}
    assert "SMTPServerDisconnected" in failed.first().last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("retry_emails", stdout=io.StringIO())
    assert len(mailoutbox) == 2  # the confirmation and the organisers' notification
    assert {email.status for email in failed.all()} == {"sent"}
    call_command("retry_emails", stdout=io.StringIO())
    assert len(mailoutbox) == 2  # nothing is sent twice


def test_nothing_is_sent_if_the_registration_does_not_commit(
    form_in, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from forms_app import services

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.register(
                    form_in("en"),
                    name="X",
                    email="x@example.org",
                    answers={},
                    language="en",
                    submission_token=None,
                )
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert not Registration.objects.exists()
    assert mailoutbox == []
