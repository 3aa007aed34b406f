"""Reminders before the event (`send_reminders`, forms_app/reminders.py): confirmed
registrants who had their place when a reminder fell due get it once, in their language,
with their ticket's QR code, the calendar file and their manage link; the latest due
reminder only ("7d", then "1d"); nobody waitlisted, cancelled, or registered after the
reminder fell due; a waitlisted registrant promoted before it gets it. Two workers at
once on PostgreSQL: test_reminders_exactly_once.py."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from events.models import EventPage
from forms_app import emails, reminders, services
from forms_app.models import (
    EmailKind,
    OutgoingEmail,
    Registration,
    RegistrationFormPage,
    new_ticket_code,
)
from tests.helpers import register

pytestmark = pytest.mark.django_db


def move_event(form, start, **fields):
    EventPage.objects.filter(translation_key=form.event.translation_key).update(
        start=start, end=start + dt.timedelta(days=2), **fields
    )


def build_people():
    """The event starts in three days, so its "7d" reminder fell due four days ago and its
    "1d" one has not. Registration pks by role."""
    now = timezone.now()
    form = RegistrationFormPage.objects.get(slug="register", locale__language_code="en")
    RegistrationFormPage.objects.filter(pk=form.pk).update(capacity=None, reminders="7d, 1d")
    move_event(form, now + dt.timedelta(days=3))

    def page(code):
        return RegistrationFormPage.objects.get(
            translation_key=form.translation_key, locale__language_code=code
        )

    early = now - dt.timedelta(days=10)
    people = {
        "en": register(page("en"), "Ann English", "ann@example.org", at=early),
        "tr": register(page("tr"), "Işıl Türk", "isil@example.org", at=early),
        "ur": register(page("ur"), "محمد علی", "ali@example.org", at=early),
        "cancelled": register(page("en"), "Left Early", "left@example.org", at=early),
        # After the "7d" reminder fell due, before the "1d" one.
        "late": register(page("en"), "Lou Late", "lou@example.org", at=now - dt.timedelta(days=1)),
    }
    services.cancel(people["cancelled"], notify=False)
    RegistrationFormPage.objects.filter(pk=form.pk).update(capacity=4)  # full
    people["waiting"] = register(page("tr"), "Ayşe Bekliyor", "ayse@example.org", at=early)
    people["promoted_early"] = register(page("en"), "Pat Early", "pat@example.org", at=early)
    people["promoted_late"] = register(page("en"), "Sam Late", "sam@example.org", at=early)
    # Promoted from the waiting list five days ago (before "7d" fell due) and two days ago.
    for role, days in (("promoted_early", 5), ("promoted_late", 2)):
        Registration.objects.filter(pk=people[role].pk).update(
            status="confirmed",
            promoted_at=now - dt.timedelta(days=days),
            ticket_code=new_ticket_code(),
        )
    return {role: registration.pk for role, registration in people.items()}


@pytest.fixture(scope="module")
def people_pks(module_data):
    return module_data(build_people)


@pytest.fixture
def people(people_pks, form_page):
    return {role: Registration.objects.get(pk=pk) for role, pk in people_pks.items()}


def run():
    call_command("send_reminders", stdout=io.StringIO())


def reminder_emails():
    return [m for m in mail.outbox if "Reminder" in m.subject or "Hatırlatma" in m.subject]


def recipients(people):
    by_address = {registration.email: role for role, registration in people.items()}
    return sorted(by_address[m.to[0]] for m in mail.outbox)


def test_the_people_are_as_built(people):
    statuses = {role: r.status for role, r in people.items()}
    assert statuses["waiting"] == "waitlisted" and statuses["cancelled"] == "cancelled"
    assert statuses["promoted_early"] == statuses["promoted_late"] == "confirmed"


def test_the_7d_reminder_goes_once_to_those_who_had_their_place_when_it_fell_due(people):
    mail.outbox.clear()
    run()
    assert recipients(people) == ["en", "promoted_early", "tr", "ur"]
    rows = OutgoingEmail.objects.filter(kind=EmailKind.REMINDER)
    assert set(rows.values_list("occasion", flat=True)) == {"7d"}
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    mail.outbox.clear()
    run()  # again: nothing more
    assert mail.outbox == []
    assert rows.count() == 4


def test_then_the_1d_reminder_and_never_the_7d_one_to_later_registrants(people, form_page):
    run()
    mail.outbox.clear()
    # Twelve hours before the start: "1d" is due (and "7d" long past).
    move_event(form_page, timezone.now() + dt.timedelta(hours=12))
    run()
    assert recipients(people) == ["en", "late", "promoted_early", "promoted_late", "tr", "ur"]
    assert set(
        OutgoingEmail.objects.filter(kind=EmailKind.REMINDER, occasion="1d").values_list(
            "registration_id", flat=True
        )
    ) == {people[r].pk for r in ("en", "late", "promoted_early", "promoted_late", "tr", "ur")}
    # "late" never gets the "7d" one, even now.
    assert not OutgoingEmail.objects.filter(
        registration=people["late"], kind=EmailKind.REMINDER, occasion="7d"
    ).exists()


def test_someone_who_registers_after_the_last_reminder_fell_due_gets_none(people, form_page):
    move_event(form_page, timezone.now() + dt.timedelta(hours=12))
    form = RegistrationFormPage.objects.get(pk=form_page.pk)
    RegistrationFormPage.objects.filter(pk=form.pk).update(capacity=None)
    just_now = register(RegistrationFormPage.objects.get(pk=form.pk), "Just Now", "now@example.org")
    assert just_now.status == "confirmed"
    mail.outbox.clear()
    run()
    assert "now@example.org" not in [m.to[0] for m in mail.outbox]


def test_nothing_before_the_first_reminder_falls_due_or_once_the_event_started(people, form_page):
    for start in (timezone.now() + dt.timedelta(days=8), timezone.now() - dt.timedelta(hours=1)):
        move_event(form_page, start)
        mail.outbox.clear()
        run()
        assert mail.outbox == []


def test_no_reminders_for_a_form_without_them(people, form_page):
    RegistrationFormPage.objects.filter(pk=form_page.pk).update(reminders="")
    mail.outbox.clear()
    run()
    assert mail.outbox == []


def test_the_reminder_in_turkish_with_ticket_calendar_join_address_and_manage_link(
    client, people, form_page
):
    move_event(
        form_page,
        timezone.now() + dt.timedelta(days=3),
        attendance_mode="mixed",
        online_url="https://meet.example.org/third",
    )
    mail.outbox.clear()
    run()
    (turkish,) = [m for m in mail.outbox if m.to == ["isil@example.org"]]
    registration = people["tr"]
    assert turkish.subject == "Hatırlatma: Üçüncü Konferans"
    assert registration.ticket_code in turkish.body
    assert "https://meet.example.org/third" in turkish.body
    link = f"/tr/third-conference/register/manage/{registration.manage_token}/"
    assert f"http://testserver{link}" in turkish.body
    assert client.get(link).status_code == 200
    # The QR code inline in the HTML part; the calendar file attached.
    message = turkish.message()
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0]["Content-ID"].startswith("<ticket-qr-")
    html = turkish.alternatives[0][0]
    assert f"cid:{images[0]['Content-ID'][1:-1]}" in html
    (calendar,) = [a for a in turkish.attachments if a[0] == "event.ics"]
    event = next(iter(Calendar.from_ical(calendar[1]).walk("VEVENT")))
    source_event = EventPage.objects.get(pk=form_page.event.pk)
    assert event.decoded("dtstart") == source_event.start.replace(microsecond=0)
    assert "meet.example.org" in str(event.get("description"))


def test_an_urdu_reminder_reads_right_to_left(people):
    mail.outbox.clear()
    run()
    (urdu,) = [m for m in mail.outbox if m.to == ["ali@example.org"]]
    assert '<html lang="ur" dir="rtl">' in urdu.alternatives[0][0]
    assert urdu.extra_headers["Content-Language"] == "ur"


def test_a_registration_cancelled_after_its_reminder_was_queued_gets_none(people, settings):
    settings.OUTBOX_EMAILS_PER_MINUTE = 1
    mail.outbox.clear()
    reminders.queue_reminders()  # one due now, three in the minutes after
    waiting = OutgoingEmail.objects.filter(kind=EmailKind.REMINDER, status="pending").exclude(
        not_before__lte=timezone.now()
    )
    assert waiting.count() == 3
    row = waiting.select_related("registration").first()
    services.cancel(row.registration, notify=False)
    OutgoingEmail.objects.filter(pk=row.pk).update(not_before=timezone.now())

    assert emails.deliver(row.pk) is False
    assert not OutgoingEmail.objects.filter(pk=row.pk).exists()
    assert row.registration.email not in [m.to[0] for m in mail.outbox]


def test_the_worker_runs_send_reminders(settings):
    assert "send_reminders" in settings.PERIODIC_JOBS
