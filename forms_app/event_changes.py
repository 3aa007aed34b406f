""" "The event changed": when a source-language event page is published with other dates,
time zone, place, status or attendance mode than its registrants were last told of
(`NotifiedEventFacts`), every active registrant (confirmed or waitlisted) of the forms
under it gets one email in their language saying what changed, with the updated
calendar file (SEQUENCE raised by the event page on a date change; a cancelled event's
file says STATUS:CANCELLED, which calendars show as cancelled). The first publish only
records the facts; a change of anything else (the title, the text) sends nothing.

Once: the recorded facts are read and replaced under a row lock, so a publish handled
twice (or two publishes at once) finds the second time nothing new; and the occasion of
the outbox rows is a digest of the old and new facts and the revision, which the
database refuses twice per registrant (`one_email_per_occasion`). Translations are
published too, but their facts are the source's (synchronised): only the source page
(the first created of its translations) is compared.

Connected to `page_published` in `FormsAppConfig.ready()`."""

import datetime as dt
import hashlib
import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from events.choices import EventStatus
from events.models import EventPage
from home.languages import live_translation

from . import emails, messaging, registrant_mail
from .models import (
    ACTIVE_STATUSES,
    EmailKind,
    NotifiedEventFacts,
    Registration,
    RegistrationFormPage,
    RegistrationStatus,
)

# What registrants are told again when it changes, by what changed (the letters travel in
# the occasion, so that the email says what changed even when built later).
CHANGE_GROUPS = {
    "d": ("start", "end", "time_zone"),
    "p": ("venue_name", "street_address", "postal_code", "city", "country"),
    "s": ("status",),
    "m": ("attendance_mode",),
}
FACT_FIELDS = tuple(name for names in CHANGE_GROUPS.values() for name in names)


def facts_of(event):
    """The facts as stored in `NotifiedEventFacts` (moments in UTC, so that the same
    moment read in another zone is no change)."""
    facts = {}
    for name in FACT_FIELDS:
        value = getattr(event, name)
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).isoformat()
        facts[name] = value if isinstance(value, str) else str(value or "")
    return facts


def changed_groups(old, new):
    """The letters of CHANGE_GROUPS whose facts differ, in a fixed order ("dp")."""
    return "".join(
        letter
        for letter, names in CHANGE_GROUPS.items()
        if any(old.get(name) != new.get(name) for name in names)
    )


def occasion_for(old, new, revision_id, groups):
    digest = hashlib.sha256(
        json.dumps([old, new, revision_id], sort_keys=True).encode()
    ).hexdigest()
    return f"{digest[:24]}-{groups}"  # at most 24 + 1 + 4 characters


def is_source(page):
    return not Page.objects.filter(translation_key=page.translation_key, pk__lt=page.pk).exists()


def forms_of(event):
    """The source registration forms under `event`."""
    return RegistrationFormPage.objects.child_of(event).filter(
        pk__in=RegistrationFormPage.source_pages().values("pk")
    )


def notify_on_publish(sender, instance, revision=None, **kwargs):
    """`page_published` receiver for event pages."""
    if not instance.live or not is_source(instance):
        return
    event = EventPage.objects.get(pk=instance.pk)
    notify_changes(event, revision_id=getattr(revision, "pk", None))


def notify_changes(event, *, revision_id=None, now=None):
    """Compare `event`'s facts with those its registrants were told of; on a change, queue
    the emails (sent after commit, throttled) and record the new facts. Returns the
    occasion of the emails, or None when there was nothing to tell."""
    now = now or timezone.now()
    new = facts_of(event)
    with transaction.atomic():
        record, created = NotifiedEventFacts.objects.select_for_update().get_or_create(
            event_id=event.pk, defaults={"facts": new}
        )
        if created:
            return None
        old = record.facts or {}
        groups = changed_groups(old, new)
        if not groups:
            return None
        occasion = occasion_for(old, new, revision_id, groups)
        registration_ids = list(
            Registration.objects.filter(
                page_id__in=forms_of(event).values("pk"), status__in=ACTIVE_STATUSES
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        messaging.queue_throttled(
            registration_ids, kind=EmailKind.EVENT_CHANGED, occasion=occasion, now=now
        )
        record.facts = new
        record.save(update_fields=["facts", "updated_at"])
    return occasion


def build_email(email, registration, source, email_settings):
    """An EVENT_CHANGED email (in the registrant's language, see `emails.build_message`);
    None for a registration no longer active."""
    if registration.status not in ACTIVE_STATUSES:
        return None
    groups = email.occasion.rpartition("-")[2]
    page = live_translation(source, registration.language)
    # The place as the source now states it when it changed (a translation's copy of the
    # address waits for its translator).
    event = messaging.registrant_event(page, source, place_from_source="p" in groups)
    if event is None:
        return None
    title = event.title
    cancelled = event.status == EventStatus.CANCELLED
    join_url = "" if cancelled else emails.join_url_for(registration, event)
    context = {
        "registration": registration,
        "event": event,
        "event_title": title,
        "cancelled": cancelled,
        "dates_changed": "d" in groups,
        "place_changed": "p" in groups,
        "status_changed": "s" in groups,
        "mode_changed": "m" in groups,
        "dates": emails.event_dates(event),
        "place": event.full_address,
        "status": event.get_status_display(),
        "attendance": event.get_attendance_mode_display(),
        "is_waitlisted": registration.status == RegistrationStatus.WAITLISTED,
        "join_url": join_url,
        "manage_url": emails.manage_url(registration, page),
    }
    if cancelled:
        subject = _("%(event)s is cancelled") % {"event": title}
    else:
        subject = emails.SUBJECTS[EmailKind.EVENT_CHANGED](title)
    # A cancelled event's file too: its STATUS:CANCELLED marks the entry in calendars.
    return registrant_mail.registrant_email(
        registration,
        subject=subject,
        sender=email_settings.sender(),
        template="forms_app/emails/event_changed",
        context=context,
        calendar=emails.event_calendar(event, include_join_url=bool(join_url)),
    )
