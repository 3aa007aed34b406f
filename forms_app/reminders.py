"""Reminders before an event: `send_reminders` (a periodic job of the worker) emails each
confirmed registrant once per reminder offset of their form (`RegistrationFormPage.
reminders`, "7d, 1d"), in their language, with their ticket (QR code), the calendar file
and, for an event with an online part, the join address.

Which reminder: for each source form whose event has not started, the latest offset
whose moment (the start minus the offset) has passed, only that one. Someone who got
their place (registered confirmed, or was promoted from the waiting list) before that
moment gets it; someone who got it after gets none until the next offset falls due,
and none at all after the last. So a registrant of two hours before the event is not
told "in 7 days", and a reminder job turned on late sends one reminder, not all of
them at once.

Exactly once: the outbox row (kind REMINDER, the offset's key as the occasion, "7d") is
the record that a reminder is owed, and the database refuses a second one for the same
registration (`one_email_per_occasion`): two workers running at once insert one row
each, and the sending claims each row once (`emails.deliver`)."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.choices import EventStatus
from home.languages import live_translation

from . import emails, messaging, registrant_mail
from .models import (
    EmailKind,
    OutgoingEmail,
    Registration,
    RegistrationFormPage,
    RegistrationStatus,
    parse_reminders,
)


def upcoming_forms(now):
    """(form, event) for the source form pages whose event has not started and is not
    cancelled."""
    forms = RegistrationFormPage.objects.filter(
        pk__in=RegistrationFormPage.source_pages().values("pk")
    ).select_related("locale")
    for form in forms:
        event = form.event
        if event is not None and event.start > now and event.status != EventStatus.CANCELLED:
            yield form, event


def due_reminder(form, event, now):
    """(key, moment) of the latest of `form`'s reminders that is due at `now`, or None."""
    try:
        offsets = parse_reminders(form.reminders)
    except ValueError:
        return None
    due = [(key, event.start - delta) for key, delta in offsets if event.start - delta <= now]
    return due[-1] if due else None  # longest first: the last due is the latest


def due(form, key, moment):
    """Confirmed registrations of `form` that had their place by `moment` and have no
    `key` reminder yet."""
    return (
        Registration.objects.annotate(place_since=Coalesce("promoted_at", "submit_time"))
        .filter(
            ~Exists(
                OutgoingEmail.objects.filter(
                    registration=OuterRef("pk"), kind=EmailKind.REMINDER, occasion=key
                )
            ),
            page_id=form.pk,
            status=RegistrationStatus.CONFIRMED,
            place_since__lte=moment,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def queue_reminders(now=None):
    """Write the reminder outbox rows that are owed at `now` (throttled); the ids of the
    rows due now, to send."""
    now = now or timezone.now()
    due_ids = []
    for form, event in upcoming_forms(now):
        reminder = due_reminder(form, event, now)
        if reminder is None:
            continue
        key, moment = reminder
        registration_ids = list(due(form, key, moment))
        if registration_ids:
            due_ids += messaging.queue_throttled(
                registration_ids, kind=EmailKind.REMINDER, occasion=key, now=now
            )
    return due_ids


def build_email(email, registration, source, email_settings):
    """A REMINDER email (in the registrant's language, see `emails.build_message`); None
    when no longer owed (cancelled, or the event started or was cancelled since)."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return None
    page = live_translation(source, registration.language)
    event = messaging.registrant_event(page, source)
    if event is None or event.status == EventStatus.CANCELLED or event.start <= timezone.now():
        return None
    title = event.title
    with_ticket = bool(registration.ticket_code)
    join_url = emails.join_url_for(registration, event)
    context = {
        "registration": registration,
        "event": event,
        "event_title": title,
        "dates": emails.event_dates(event),
        "manage_url": emails.manage_url(registration, page),
        "join_url": join_url,
        "status": event.get_status_display(),
        "changed_status": event.status != EventStatus.SCHEDULED,
        **registrant_mail.ticket_context(registration, with_ticket),
    }
    return registrant_mail.registrant_email(
        registration,
        subject=emails.SUBJECTS[EmailKind.REMINDER](title),
        sender=email_settings.sender(),
        template="forms_app/emails/reminder",
        context=context,
        with_ticket=with_ticket,
        calendar=emails.event_calendar(event, include_join_url=bool(join_url)),
    )
