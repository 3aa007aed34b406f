"""Messages registration managers write to some of a form's registrants ("all confirmed,
Turkish"), and what every email sent to many registrants at once shares: the throttle
and the event as registrants are told of it.

A message is a `RegistrantMessage`: written (a draft, `sent_at` empty), previewed, then
sent. Sending writes one outbox row per recipient (kind MESSAGE, the message's id as the
occasion) in one transaction, under a lock on the message row that also checks
`sent_at`: a double click on "Send" finds it sent and writes nothing, and the unique
constraint `one_email_per_occasion` refuses a second copy to anyone in any case. Only
active registrations (confirmed, waitlisted) can be chosen; one cancelled or forgotten
(deleted) before its copy goes out gets none (`build_email` returns None, the outbox
row is dropped; a deleted registration's row goes with it).

The throttle: a bulk send spreads its rows over minutes (`not_before`), at most
`OUTBOX_EMAILS_PER_MINUTE` a minute counting what earlier bulk sends already booked.
The first minute's rows are sent by tasks after commit (the worker, not the request);
the rest wait in the outbox until the worker's periodic `retry_emails` finds them due
(`emails.unsent()`), so 5,000 recipients neither block a request nor flood the mail
server."""

import copy
import datetime as dt
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from home import page_cache
from home.languages import live_translation

from . import emails, registrant_mail
from .models import (
    ACTIVE_STATUSES,
    CheckIn,
    EmailKind,
    OutgoingEmail,
    RegistrantMessage,
    Registration,
    RegistrationStatus,
)
from .pace import emails_per_minute

# The throttle ---------------------------------------------------------------------------


def throttle_slots(count, now):
    """`count` send times (`not_before`) from `now`: at most OUTBOX_EMAILS_PER_MINUTE in
    each minute, after the slots earlier bulk sends booked (the latest booked minute is
    filled up first). No limit configured: all at `now`."""
    per_minute = emails_per_minute()
    if not per_minute:
        return [now] * count
    window = now - dt.timedelta(minutes=1)
    latest = OutgoingEmail.objects.filter(not_before__gt=window).aggregate(Max("not_before"))[
        "not_before__max"
    ]
    if latest is None or latest < now:
        # The minute of the latest booking, if it is the current one, is partly used.
        start, used = now, 0
        if latest is not None:
            used = OutgoingEmail.objects.filter(not_before__gt=window).count()
    else:
        start, used = latest, OutgoingEmail.objects.filter(not_before=latest).count()
    slots = []
    minute, left = start, per_minute - used
    for _index in range(count):
        if left <= 0:
            minute, left = minute + dt.timedelta(minutes=1), per_minute
        slots.append(minute)
        left -= 1
    return slots


def queue_throttled(registration_ids, *, kind, occasion, now, message=None):
    """Write one outbox row of `kind` and `occasion` for each registration, spread by the
    throttle, and send the first minute's after commit. A row that already exists (the
    same registration, kind and occasion) is left alone. Returns the ids of the rows
    written that are due now (None where the database does not return ids)."""
    registration_ids = list(registration_ids)
    slots = throttle_slots(len(registration_ids), now)
    rows = [
        OutgoingEmail(
            registration_id=registration_id,
            kind=kind,
            occasion=occasion,
            message=message,
            created_at=now,
            not_before=slot,
        )
        for registration_id, slot in zip(registration_ids, slots, strict=True)
    ]
    OutgoingEmail.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    due_now = OutgoingEmail.objects.filter(
        kind=kind,
        created_at=now,
        occasion=occasion,
        status=OutgoingEmail.Status.PENDING,
        not_before__lte=now,
    ).values_list("pk", flat=True)
    due_ids = list(due_now.order_by("pk"))
    emails.send_after_commit(due_ids)
    return due_ids


# The event as registrants are told of it ----------------------------------------------------

# Synchronised from the source event to its translations (events.models): a translation's
# copy is behind until it is synced, so emails take them from the source.
SYNCHRONISED_FACTS = (
    "start",
    "end",
    "time_zone",
    "status",
    "attendance_mode",
    "uid",
    "sequence",
    "online_url",
)
PLACE_FIELDS = ("venue_name", "street_address", "postal_code", "city", "country")


def registrant_event(page, source, *, place_from_source=False):
    """The event of form `page` (the registrant's language) with the source event's
    synchronised facts (and its place, with `place_from_source`): the translated title
    and text, the facts as they are now. None for a form without an event."""
    event = page.event
    source_event = source.event
    if event is None or source_event is None:
        return event or source_event
    if event.pk == source_event.pk:
        return event
    event = copy.copy(event)
    fields = SYNCHRONISED_FACTS + (PLACE_FIELDS if place_from_source else ())
    for name in fields:
        setattr(event, name, getattr(source_event, name))
    return event


def text_direction(language_code):
    try:
        return "rtl" if get_language_info(language_code)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


# Messages: who gets them --------------------------------------------------------------------

CHECKED_IN_ANY, CHECKED_IN_YES, CHECKED_IN_NO = "any", "yes", "no"
CHECKED_IN_CHOICES = [
    (CHECKED_IN_ANY, gettext_lazy("Everyone")),
    (CHECKED_IN_YES, gettext_lazy("Checked in at least once")),
    (CHECKED_IN_NO, gettext_lazy("Never checked in")),
]
STATUS_CHOICES = [
    (RegistrationStatus.CONFIRMED.value, RegistrationStatus.CONFIRMED.label),
    (RegistrationStatus.WAITLISTED.value, RegistrationStatus.WAITLISTED.label),
]


def clean_filters(filters):
    """The filters as stored: statuses among the active ones (never cancelled), site
    languages, a check-in choice. An empty list means all."""
    filters = filters or {}
    languages = {code for code, _name in settings.LANGUAGES}
    asked = filters.get("status") or [str(s) for s in ACTIVE_STATUSES]
    return {
        # Only active ones: asked for cancelled registrations alone, no one.
        "status": sorted({str(s) for s in asked if s in ACTIVE_STATUSES}),
        "language": sorted({code for code in filters.get("language") or [] if code in languages}),
        "checked_in": filters.get("checked_in")
        if filters.get("checked_in") in (CHECKED_IN_YES, CHECKED_IN_NO)
        else CHECKED_IN_ANY,
    }


def recipients(form, filters):
    """The registrations of source form `form` the filters choose (active ones only)."""
    filters = clean_filters(filters)
    chosen = Registration.objects.filter(page_id=form.pk, status__in=filters["status"])
    if filters["language"]:
        chosen = chosen.filter(language__in=filters["language"])
    checked_in = Exists(CheckIn.objects.filter(registration=OuterRef("pk")))
    if filters["checked_in"] == CHECKED_IN_YES:
        chosen = chosen.filter(checked_in)
    elif filters["checked_in"] == CHECKED_IN_NO:
        chosen = chosen.filter(~checked_in)
    return chosen


def count_by_language(form, filters):
    """{language code: recipients} for every site language (0 where none)."""
    counts = dict(
        recipients(form, filters)
        .order_by()
        .values_list("language")
        .annotate(n=Count("pk"))
        .values_list("language", "n")
    )
    return {code: counts.get(code, 0) for code, _name in settings.LANGUAGES}


def describe_filters(filters):
    """The filters in words, in the active language: "Confirmed; Türkçe; everyone"."""
    filters = clean_filters(filters)
    statuses = dict(STATUS_CHOICES)
    names = dict(settings.LANGUAGES)
    parts = [
        ", ".join(str(statuses[s]) for s in filters["status"]),
        ", ".join(names[c] for c in filters["language"]) or _("every language"),
        str(dict(CHECKED_IN_CHOICES)[filters["checked_in"]]),
    ]
    return "; ".join(parts)


# Messages: what they say -------------------------------------------------------------------


def source_language(message):
    """The language the message was written in first: its form's."""
    return message.page.locale.language_code


def text_for(message, language_code, *, source=None):
    """(language of the text, subject, body) for a registrant in `language_code`: their
    language's version, else the source language's (`source`, when known)."""
    texts = message.texts or {}
    own = texts.get(language_code) or {}
    if (own.get("subject") or "").strip() and (own.get("body") or "").strip():
        return language_code, own["subject"].strip(), own["body"].strip()
    source = source or source_language(message)
    text = texts.get(source) or {}
    return source, (text.get("subject") or "").strip(), (text.get("body") or "").strip()


def render(message, language_code, *, name, manage_url, event_title, source=None):
    """(subject, plain text, HTML) of `message` for a registrant in `language_code`."""
    text_language, subject, body = text_for(message, language_code, source=source)
    context = {
        "body": body,
        "name": name,
        "manage_url": manage_url,
        "event_title": event_title,
        "text_language": text_language,
        "text_direction": text_direction(text_language),
    }
    with translation.override(language_code):
        return (
            " ".join(subject.split()),
            render_to_string("forms_app/emails/message.txt", context),
            render_to_string("forms_app/emails/message.html", context),
        )


MANAGE_TOKEN_PLACEHOLDER = "--manage-token--"


def form_in_language(source, language_code):
    """(the manage link with a placeholder for the token, the event's title) of source
    form `source` in `language_code`: the same for every recipient of a bulk send, so
    remembered until the next publish (the page-cache epoch) rather than looked up for
    each of 5,000 emails."""

    def compute():
        page = live_translation(source, language_code)
        event = page.event
        placeholder = SimpleNamespace(manage_token=MANAGE_TOKEN_PLACEHOLDER)
        return (
            emails.manage_url(placeholder, page),
            event.title if event is not None else page.title,
        )

    return page_cache.remember(f"bulk-email-form:{source.pk}:{language_code}", compute)


def build_email(email, registration, source, email_settings):
    """The MESSAGE outbox email of `registration` (called in its language by
    `emails.build_message`); None when it is no longer owed."""
    if registration.status not in ACTIVE_STATUSES or email.message_id is None:
        return None
    manage_url, title = form_in_language(source, registration.language)
    # A sent message's texts never change: kept for the send's other recipients.
    texts = page_cache.remember(
        f"bulk-email-message:{email.message_id}",
        lambda: RegistrantMessage.objects.values_list("texts", flat=True).get(pk=email.message_id),
    )
    subject, text, html = render(
        RegistrantMessage(pk=email.message_id, texts=texts),
        registration.language,
        name=registration.name,
        manage_url=manage_url.replace(MANAGE_TOKEN_PLACEHOLDER, registration.manage_token),
        event_title=title,
        source=source.locale.language_code,
    )
    return registrant_mail.registrant_email(
        registration, subject=subject, sender=email_settings.sender(), text=text, html=html
    )


# Messages: writing and sending --------------------------------------------------------------


def write(form, *, texts, filters, user):
    """A draft message to the registrants of source form `form` (not sent)."""
    return RegistrantMessage.objects.create(
        page=form, texts=texts, filters=clean_filters(filters), created_by=user
    )


def send(message_id, now=None):
    """Send the draft message `message_id`: one outbox row per recipient, in one
    transaction, throttled. Returns the number of recipients, or None if it had been
    sent already (a second click on "Send")."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            RegistrantMessage.objects.select_for_update().select_related("page").get(pk=message_id)
        )
        if message.sent_at is not None:
            return None
        registration_ids = list(
            recipients(message.page, message.filters).order_by("pk").values_list("pk", flat=True)
        )
        queue_throttled(
            registration_ids,
            kind=EmailKind.MESSAGE,
            occasion=str(message.pk),
            now=now,
            message=message,
        )
        message.sent_at = now
        message.recipient_count = len(registration_ids)
        message.save(update_fields=["sent_at", "recipient_count"])
    return len(registration_ids)


def delivery(message):
    """How the copies of a sent message stand: sent, failed, waiting (pending or being
    sent), and withdrawn (the registration was cancelled or deleted before its copy went
    out, so it was not sent)."""
    Status = OutgoingEmail.Status
    counts = message.emails.aggregate(
        sent=Count("pk", filter=Q(status=Status.SENT)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        waiting=Count("pk", filter=Q(status__in=[Status.PENDING, Status.SENDING])),
        total=Count("pk"),
    )
    counts["withdrawn"] = max(message.recipient_count - counts.pop("total"), 0)
    return counts
