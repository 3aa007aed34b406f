""" "The event changed": publishing the source event with new dates, place or status mails
each active registrant of its form once, in their language, with the updated calendar
file; nothing for a change of anything else (the title), nothing to cancelled
registrations, nothing for a translation's publish, and the same change is never mailed
twice (the publish handled again; the same occasion refused by the database)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from events.models import EventPage
from forms_app import emails, event_changes, services
from forms_app.models import (
    EmailKind,
    NotifiedEventFacts,
    OutgoingEmail,
    Registration,
    RegistrationFormPage,
)
from tests.helpers import edit_form_data, edit_url, register

pytestmark = pytest.mark.django_db


def build_people():
    """The event published once (its facts recorded); registered: en and tr confirmed, ur
    waitlisted, one cancelled. Registration pks by role."""
    form = RegistrationFormPage.objects.get(slug="register", locale__language_code="en")
    event = EventPage.objects.get(pk=form.event.pk)
    event.save_revision().publish()
    assert NotifiedEventFacts.objects.filter(event_id=event.pk).exists()

    def page(code):
        return RegistrationFormPage.objects.get(
            translation_key=form.translation_key, locale__language_code=code
        )

    cancelled = register(page("en"), "Left Early", "left@example.org")
    services.cancel(cancelled, notify=False)
    RegistrationFormPage.objects.filter(pk=form.pk).update(capacity=2)
    people = {
        "en": register(page("en"), "Ann English", "ann@example.org"),
        "tr": register(page("tr"), "Işıl Türk", "isil@example.org"),
        "ur": register(page("ur"), "محمد علی", "ali@example.org"),
        "cancelled": cancelled,
    }
    return {role: registration.pk for role, registration in people.items()}


@pytest.fixture(scope="module")
def people_pks(module_data):
    return module_data(build_people)


@pytest.fixture
def people(people_pks, form_page):
    return {role: Registration.objects.get(pk=pk) for role, pk in people_pks.items()}


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """`publish(**changes)`: the source event with `changes`, published (emails sent after
    commit); returns the event as saved."""

    def publish(event=None, **changes):
        event = event or EventPage.objects.get(slug="third-conference", locale__language_code="en")
        for name, value in changes.items():
            setattr(event, name, value)
        with django_capture_on_commit_callbacks(execute=True):
            event.save_revision().publish()
        return EventPage.objects.get(pk=event.pk)

    return publish


def source_event():
    return EventPage.objects.get(slug="third-conference", locale__language_code="en")


def by_address():
    return {m.to[0]: m for m in mail.outbox}


def vevent(message):
    (calendar,) = [a for a in message.attachments if a[0] == "event.ics"]
    return next(iter(Calendar.from_ical(calendar[1]).walk("VEVENT")))


def test_the_people_are_as_built(people):
    assert [people[r].status for r in ("en", "tr", "ur", "cancelled")] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "cancelled",
    ]


def test_new_dates_are_mailed_to_each_active_registrant_once_in_their_language(
    people, publish, client
):
    event = source_event()
    sequence = event.sequence
    mail.outbox.clear()
    saved = publish(start=event.start + dt.timedelta(days=1), end=event.end + dt.timedelta(days=1))
    assert saved.sequence == sequence + 1
    sent = by_address()
    assert sorted(sent) == ["ali@example.org", "ann@example.org", "isil@example.org"]
    assert len(mail.outbox) == 3
    turkish = sent["isil@example.org"]
    assert turkish.subject == "Üçüncü Konferans etkinliğinde değişiklikler"
    assert "Yeni tarihler" in turkish.body
    assert sent["ann@example.org"].subject == "Changes to Third Conference"
    assert '<html lang="ur" dir="rtl">' in sent["ali@example.org"].alternatives[0][0]
    for message in mail.outbox:
        component = vevent(message)
        assert component.decoded("dtstart") == saved.start.replace(microsecond=0)
        assert component["sequence"] == sequence + 1
    link = f"/tr/third-conference/register/manage/{people['tr'].manage_token}/"
    assert f"http://testserver{link}" in turkish.body
    assert client.get(link).status_code == 200

    # Published again without a change, or the handler run twice: nothing more.
    mail.outbox.clear()
    publish()
    event_changes.notify_on_publish(EventPage, source_event())
    assert mail.outbox == []
    assert OutgoingEmail.objects.filter(kind=EmailKind.EVENT_CHANGED).count() == 3


def test_a_title_change_sends_nothing(people, publish):
    mail.outbox.clear()
    publish(title="Third Conference (renamed)")
    assert mail.outbox == []


def test_a_new_place_is_told_with_the_source_address(people, publish):
    mail.outbox.clear()
    publish(venue_name="Harbiye Hall", city="Ankara")
    turkish = by_address()["isil@example.org"]
    assert "Yeni yer: Harbiye Hall" in turkish.body and "Ankara" in turkish.body
    assert "Yeni tarihler" not in turkish.body


def test_a_cancelled_event_says_so_with_a_cancelled_calendar_entry(people, publish):
    mail.outbox.clear()
    publish(status="cancelled")
    sent = by_address()
    assert sorted(sent) == ["ali@example.org", "ann@example.org", "isil@example.org"]
    english = sent["ann@example.org"]
    assert english.subject == "Third Conference is cancelled"
    assert "has been cancelled" in english.body
    assert str(vevent(english)["status"]) == "CANCELLED"
    assert sent["isil@example.org"].subject == "Üçüncü Konferans iptal edildi"
    assert "waiting list" in sent["ali@example.org"].body or "انتظار" in (
        sent["ali@example.org"].body
    )


def test_publishing_a_translation_sends_nothing(people, publish, locales):
    turkish_event = source_event().get_translation(locales["tr"]).specific
    mail.outbox.clear()
    publish(turkish_event, title="Üçüncü Konferans 2026")
    assert mail.outbox == []
    assert not NotifiedEventFacts.objects.filter(event_id=turkish_event.pk).exists()


def test_the_same_change_is_refused_a_second_time_by_its_occasion(
    people, django_capture_on_commit_callbacks
):
    event = source_event()
    record = NotifiedEventFacts.objects.get(event_id=event.pk)
    told = dict(record.facts)
    event.start += dt.timedelta(hours=2)
    event.end += dt.timedelta(hours=2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = event_changes.notify_changes(event, revision_id=42)
    # As if the record had not been updated (a handler racing the first): same occasion.
    NotifiedEventFacts.objects.filter(pk=record.pk).update(facts=told)
    with django_capture_on_commit_callbacks(execute=True):
        second = event_changes.notify_changes(event, revision_id=42)
    assert first == second and first.endswith("-d")
    assert len(mail.outbox) == 3
    assert OutgoingEmail.objects.filter(kind=EmailKind.EVENT_CHANGED, occasion=first).count() == 3


def test_a_registration_cancelled_before_its_email_went_gets_none(people, settings):
    settings.OUTBOX_EMAILS_PER_MINUTE = 1
    event = source_event()
    event.city = "Bursa"
    occasion = event_changes.notify_changes(event)  # no commit: nothing sent yet
    row = OutgoingEmail.objects.get(occasion=occasion, registration=people["ur"])
    services.cancel(people["ur"], notify=False)
    OutgoingEmail.objects.filter(pk=row.pk).update(not_before=row.created_at)

    mail.outbox.clear()
    assert emails.deliver(row.pk) is False
    assert mail.outbox == []


def test_the_same_moment_in_another_zone_is_no_change(people):
    event = source_event()
    event.start = event.start.astimezone(ZoneInfo("Asia/Karachi"))
    assert event_changes.notify_changes(event) is None


def test_an_editor_publishing_new_dates_in_the_admin_mails_the_registrants(
    people, admin_client, admin_user, django_capture_on_commit_callbacks
):
    event = source_event()
    zone = ZoneInfo(event.time_zone)
    new_start = (
        (event.start + dt.timedelta(days=7)).astimezone(zone).replace(second=0, microsecond=0)
    )
    data = edit_form_data(
        event,
        admin_user,
        {
            "start": new_start.strftime("%Y-%m-%d %H:%M"),
            "end": (new_start + dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M"),
        },
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(edit_url(event), data)
    assert response.status_code == 302, response.content[:2000]
    assert source_event().start == new_start
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ali@example.org",
        "ann@example.org",
        "isil@example.org",
    ]
    assert all(vevent(m).decoded("dtstart") == new_start for m in mail.outbox)


def test_the_migration_records_what_publishing_would(people, publish):
    """Events that existed before this feature had their facts recorded by migration
    0009, in the form `facts_of` compares; a difference would mail everyone on the next
    publish for nothing."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("forms_app.migrations.0009_event_facts_and_throttle_index")
    event = source_event()
    assert migration.facts(event) == event_changes.facts_of(event)
    NotifiedEventFacts.objects.all().delete()
    migration.record_facts(apps, None)
    recorded = NotifiedEventFacts.objects.get(event_id=event.pk).facts
    translations = EventPage.objects.filter(translation_key=event.translation_key)
    assert NotifiedEventFacts.objects.filter(event_id__in=translations.values("pk")).count() == 1
    # So the next publish that moves the event tells its registrants.
    mail.outbox.clear()
    publish(start=event.start + dt.timedelta(days=1), end=event.end + dt.timedelta(days=1))
    assert recorded != NotifiedEventFacts.objects.get(event_id=event.pk).facts
    assert {"ann@example.org", "isil@example.org", "ali@example.org"} <= set(by_address())
