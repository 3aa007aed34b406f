"""Emails to registrants (in the language they registered in) and to the organisers.

`queue()` writes an OutgoingEmail in the caller's transaction and asks for it to be sent
once that transaction commits. `deliver()` sends one, at most once, and never while a
database lock is held: it claims the row in a short transaction (`sending`), builds the
message, closes that transaction, talks to the mail server (bounded by `EMAIL_TIMEOUT`),
then records the outcome in another short transaction. A failure is recorded for the
scheduler's retries (`manage.py retry_emails`) instead of raised, so a broken or hung mail
server never loses, undoes or delays a registration; the sending is the task
`send_outgoing_emails` (one for the emails one change queued together), run through
django-tasks: in production by a task worker (`TASKS_BACKEND=database`), not in the
visitor's request; immediately in development and tests. A worker hands the mail server
at most `OUTBOX_EMAILS_PER_MINUTE` a minute (`forms_app.pace`).

A confirmed registrant's confirmation, promotion and "details again" emails carry their
ticket: the code in the text part, and its QR code as an image inside the HTML part's
`multipart/related`, referenced as `cid:` (mail clients strip `data:` images and many
hide attachments they are not told are inline). The ticket is whatever the registration
is when the email is built: a registration cancelled before its confirmation went out
gets no ticket, and a waitlisted one's comes with the promotion email."""

import datetime
import logging
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from events.calendar import calendar_for, join_url
from events.formatting import when_text
from home.addresses import absolute, admin_url
from home.languages import live_translation

from . import certificates, feedback, pace, registrant_mail, visa_letters
from .models import (
    CONFIRMATION_PLACEHOLDERS,
    Attendance,
    EmailKind,
    OutgoingEmail,
    Registration,
    RegistrationEmailSettings,
    RegistrationFormPage,
    RegistrationStatus,
)

logger = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{(" + "|".join(CONFIRMATION_PLACEHOLDERS) + r")\}")


def queue(registration, *kinds):
    """Write one outbox email of each of `kinds` for `registration`, and send them after
    the transaction commits, in one task (a registration's confirmation and its
    organisers' notice: the worker claims one task, not two)."""
    created = OutgoingEmail.objects.bulk_create(
        [OutgoingEmail(registration=registration, kind=kind) for kind in kinds]
    )
    email_ids = [email.pk for email in created]
    transaction.on_commit(lambda: _enqueue(email_ids))


def send_after_commit(email_ids):
    """Send outbox emails written in the caller's transaction once it commits, in tasks
    of at most 100 (a bulk send's first minute, say)."""
    email_ids = list(email_ids)
    for start in range(0, len(email_ids), 100):
        chunk = email_ids[start : start + 100]
        transaction.on_commit(lambda chunk=chunk: _enqueue(chunk))


def _enqueue(email_ids):
    try:
        send_outgoing_emails.enqueue(email_ids)
    except Exception:  # the outbox rows stay pending; retry_emails picks them up
        logger.exception("Could not enqueue outgoing emails %s", email_ids)


def claim_lease_seconds():
    """How long a claimed email is left to its sender before another may retry it: well
    above the mail timeout, so a slow send is never sent twice."""
    timeout = settings.EMAIL_TIMEOUT or 30  # None: Django's "no timeout"
    return max(int(timeout) * 4, 60)


def _claim(email_id, now):
    """Mark the email as being sent by us and build its message; None when it is sent,
    gone, or being sent by someone else whose lease has not run out."""
    lease = now - datetime.timedelta(seconds=claim_lease_seconds())
    with transaction.atomic():
        # The email's row alone, by its key (its registration is read afterwards): joined
        # to the registrations, PostgreSQL's planner took a merge join that walked every
        # registration of the table (25 ms a claim at 50,000, benchmarks/README.md).
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == OutgoingEmail.Status.SENT:
            return None
        if email.not_before is not None and email.not_before > now:
            return None  # throttled (OUTBOX_EMAILS_PER_MINUTE): not its time yet
        if email.status == OutgoingEmail.Status.SENDING and email.claimed_at > lease:
            return None
        email.status = OutgoingEmail.Status.SENDING
        email.claimed_at = now
        email.attempts += 1
        email.save(update_fields=["status", "claimed_at", "attempts"])
    return email


def deliver(email_id):
    """Send one outbox email if it has not been sent. Returns True when sent now."""
    # The worker's pace and its hold on a busy machine come before the claim, so that a
    # claimed email is sent at once, well within its lease (another worker would retry it
    # after that), and its message is built only when it can go.
    try:
        pace.before_sending()
    except pace.Stopping:
        return False  # unclaimed: the next worker's `retry_emails` sends it
    email = _claim(email_id, timezone.now())
    if email is None:
        return False
    try:
        message = build_message(email)
        if message is None:
            # No longer owed (a reminder or message to a registration cancelled since it
            # was queued): the row goes, as it would had the registration been deleted.
            OutgoingEmail.objects.filter(pk=email.pk).delete()
            return False
        message.send()
    except Exception as error:  # SMTP errors, timeouts, refused connections …
        OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmail.Status.SENDING).update(
            status=OutgoingEmail.Status.FAILED,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        # Ids only: addresses and names stay out of the logs.
        logger.warning(
            "Sending %s email %s (registration %s) failed: %s",
            email.kind,
            email.pk,
            email.registration_id,
            type(error).__name__,
        )
        return False
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


@task()
def send_outgoing_emails(email_ids):
    """The task that sends the outbox emails `queue()` wrote together. Each is delivered
    on its own: one failing leaves the others sent, and itself failed for the
    scheduler's retries."""
    for email_id in email_ids:
        deliver(email_id)


def unsent(older_than_seconds=60, now=None):
    """Emails to (re)send: failed ones, pending ones older than `older_than_seconds`
    (their task was lost) or whose throttled time (`not_before`, later than when they
    were written: no task was queued for them) has come, and claims whose lease ran out
    (their sender died). Never one whose `not_before` is still ahead."""
    now = now or timezone.now()
    pending_cutoff = now - datetime.timedelta(seconds=older_than_seconds)
    lease_cutoff = now - datetime.timedelta(seconds=claim_lease_seconds())
    Status = OutgoingEmail.Status
    return OutgoingEmail.objects.filter(
        Q(status=Status.FAILED)
        | Q(status=Status.PENDING, created_at__lt=pending_cutoff)
        | Q(status=Status.PENDING, not_before__gt=F("created_at"))
        | Q(status=Status.SENDING, claimed_at__lt=lease_cutoff)
    ).exclude(not_before__gt=now)


def retry_unsent(older_than_seconds=60):
    """Send every email `unsent()` finds. Returns (sent, still failing)."""
    sent = failed = 0
    for email_id in unsent(older_than_seconds).order_by("pk").values_list("pk", flat=True):
        if deliver(email_id):
            sent += 1
        elif OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.FAILED).exists():
            failed += 1
    return sent, failed


# Building messages ---------------------------------------------------------------------


def manage_url(registration, form_page=None):
    form_page = form_page or live_translation(registration.page.specific, registration.language)
    return absolute(
        form_page.get_url() + form_page.reverse_subpage("manage", args=[registration.manage_token])
    )


def event_calendar(event, *, include_join_url=False):
    return calendar_for([event], None, name=event.title, include_join_url=include_join_url)


def join_url_for(registration, event):
    """The event's online join address for a confirmed registration, else "": it is
    never public, and waitlisted and cancelled registrants do not get it. On a form with
    separate online places it goes to those who took one, not to the in-person places."""
    if event is None or registration.status != RegistrationStatus.CONFIRMED:
        return ""
    url = join_url(event)
    in_person = registration.attendance != Attendance.ONLINE and not event.is_online
    online_places = RegistrationFormPage.objects.filter(pk=registration.page_id, offers_online=True)
    if url and in_person and online_places.exists():
        return ""
    return url


def event_dates(event):
    return str(when_text(event.local_start, event.local_end, event.time_zone))


# The builders of the emails that modules above this one own (messaging, reminders,
# event_changes), handed in by `FormsAppConfig.ready()`: kind -> builder(email,
# registration, source form, email settings), which returns the message or None.
PLUGGED_IN_BUILDERS = {}


def plug_in_builder(kind, builder):
    PLUGGED_IN_BUILDERS[kind] = builder


def build_message(email):
    registration = email.registration
    # The form in its own class in one query (`registration.page.specific` takes two).
    source = RegistrationFormPage.objects.select_related("locale").get(pk=registration.page_id)
    # Addresses and texts are the registration managers' (never page fields an editor sets).
    email_settings = RegistrationEmailSettings.for_page(source)
    if email.kind == EmailKind.ORGANISER:
        return _organiser_message(registration, source, email_settings)
    if email.kind == EmailKind.CERTIFICATE:
        with translation.override(registration.language):
            return _certificate_message(registration, source, email_settings)
    if email.kind in visa_letters.EMAIL_KINDS:
        # A decision on a visa letter request (the letter attached when approved).
        with translation.override(registration.language):
            page = live_translation(source, registration.language)
            return visa_letters.message(
                email,
                registration,
                page=page,
                manage_url=manage_url(registration, page),
                sender=email_settings.sender(),
            )
    if email.kind in PLUGGED_IN_BUILDERS:
        # Messages, reminders and "the event changed" (None: no longer owed).
        with translation.override(registration.language):
            return PLUGGED_IN_BUILDERS[email.kind](email, registration, source, email_settings)
    with translation.override(registration.language):
        return _registrant_message(email, registration, source, email_settings)


# The emails that carry the ticket of a confirmed registration.
TICKET_KINDS = (
    EmailKind.CONFIRMATION,
    EmailKind.PROMOTED,
    EmailKind.DETAILS_AGAIN,
    EmailKind.REMINDER,
)


SUBJECTS = {
    EmailKind.CONFIRMATION: lambda title: (
        _("Your registration for %(event)s is confirmed") % {"event": title}
    ),
    EmailKind.WAITLISTED: lambda title: (
        _("You are on the waiting list for %(event)s") % {"event": title}
    ),
    EmailKind.PROMOTED: lambda title: _("A place is yours: %(event)s") % {"event": title},
    EmailKind.DETAILS_AGAIN: lambda title: (
        _("Your registration details for %(event)s") % {"event": title}
    ),
    EmailKind.CANCELLED: lambda title: (
        _("Your registration for %(event)s is cancelled") % {"event": title}
    ),
    EmailKind.REMINDER: lambda title: _("Reminder: %(event)s") % {"event": title},
    EmailKind.EVENT_CHANGED: lambda title: _("Changes to %(event)s") % {"event": title},
}


def _registrant_message(email, registration, source, email_settings):
    page = live_translation(source, registration.language)
    event = page.event
    title = event.title if event is not None else page.title
    dates = event_dates(event) if event is not None else ""
    link = manage_url(registration, page)
    subject = SUBJECTS[email.kind](title)
    custom_intro = ""
    if email.kind == EmailKind.CONFIRMATION:
        # The managers' text in the registrant's language, else the built-in wording
        # (never another language's custom text).
        custom_subject, custom_body = email_settings.confirmation_for(registration.language)
        values = {"name": registration.name, "event": title, "dates": dates, "manage_url": link}

        def fill(text):
            return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)

        custom_intro = fill(custom_body)
        subject = fill(custom_subject) if custom_subject else subject
    with_ticket = (
        email.kind in TICKET_KINDS
        and registration.status == RegistrationStatus.CONFIRMED
        and bool(registration.ticket_code)
    )
    context = {
        "kind": email.kind,
        "registration": registration,
        "is_confirmed": registration.status == RegistrationStatus.CONFIRMED,
        "is_waitlisted": registration.status == RegistrationStatus.WAITLISTED,
        "is_cancelled": registration.status == RegistrationStatus.CANCELLED,
        "event": event,
        "event_title": title,
        "dates": dates,
        "manage_url": link,
        "custom_intro": custom_intro,
        "page": page,
        # In person or online, on a form that offers both.
        "attendance": registration.get_attendance_display() if source.offers_online else "",
        # In the emails that confirm a place only (not the waiting-list notice).
        "join_url": join_url_for(registration, event) if email.kind in TICKET_KINDS else "",
        **registrant_mail.ticket_context(registration, with_ticket),
    }
    calendar = None
    if event is not None and email.kind != EmailKind.CANCELLED:
        calendar = event_calendar(event, include_join_url=bool(context["join_url"]))
    return registrant_mail.registrant_email(
        registration,
        subject=subject,
        sender=email_settings.sender(),
        template="forms_app/emails/registrant",
        context=context,
        with_ticket=with_ticket,
        calendar=calendar,
    )


def _certificate_message(registration, source, email_settings):
    """After the event: the certificate of attendance as a PDF attachment, with the manage
    link (where it can be downloaded again). Refused (and left failed) for a registration
    cancelled since it was queued, whose certificate is no longer valid."""
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValueError("A cancelled registration gets no certificate")
    page = live_translation(source, registration.language)
    event = page.event
    title = event.title if event is not None else page.title
    context = {
        "registration": registration,
        "event_title": title,
        "manage_url": manage_url(registration, page),
        "reference": certificates.reference(registration),
        "survey_url": feedback.survey_url_for(registration),
    }
    return registrant_mail.registrant_email(
        registration,
        subject=_("Your certificate of attendance: %(event)s") % {"event": title},
        sender=email_settings.sender(),
        template="forms_app/emails/certificate",
        context=context,
        attachments=[
            (
                certificates.filename(registration),
                certificates.render(registration),
                "application/pdf",
            )
        ],
    )


def _organiser_message(registration, source, email_settings):
    """The organisers' notice of a new registration. It carries no personal data (no
    name, address or answers, no Reply-To): whoever receives it follows the link into the
    admin, where only registration managers see registrations."""
    Status = RegistrationStatus
    counts = Registration.objects.filter(page_id=source.pk).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    registrations_url = admin_url(reverse("wagtailforms:list_submissions", args=[source.pk]))
    with translation.override(settings.LANGUAGE_CODE):
        event = source.event
        title = event.title if event is not None else source.title
        context = {
            "event_title": title,
            "form_title": source.title,
            "number": registration.pk,
            "status": registration.get_status_display(),
            "confirmed": counts["confirmed"],
            "waitlisted": counts["waitlisted"],
            "capacity": source.capacity,
            "admin_url": registrations_url,
        }
        subject = email_settings.organiser_subject or _("New registration for %(event)s") % {
            "event": title
        }
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("forms_app/emails/organiser.txt", context),
            from_email=email_settings.sender(),
            to=email_settings.organiser_recipients(),
        )
        message.attach_alternative(
            render_to_string("forms_app/emails/organiser.html", context), "text/html"
        )
        return message
