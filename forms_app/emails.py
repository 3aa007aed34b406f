"""Emails to registrants (in the language they registered in) and to the organisers.

`queue()` writes an OutgoingEmail in the caller's transaction and asks for it to be sent
once that transaction commits. `deliver()` sends one, at most once: it locks the row,
skips it if already sent, and records a failure for `manage.py retry_emails` instead of
raising, so a broken mail server never loses or undoes a registration."""

import datetime
import logging
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from .models import EmailKind, OutgoingEmail, RegistrationFormPage, RegistrationStatus

logger = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{(name|event|dates|manage_url)\}")


def queue(registration, kind):
    email = OutgoingEmail.objects.create(registration=registration, kind=kind)
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id):
    from .tasks import send_outgoing_email

    try:
        send_outgoing_email.enqueue(email_id)
    except Exception:  # the outbox row stays pending; retry_emails picks it up
        logger.exception("Could not enqueue outgoing email %s", email_id)


def deliver(email_id):
    """Send one outbox email if it has not been sent. Returns True when sent now."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .select_related("registration")
            .filter(pk=email_id)
            .first()
        )
        if email is None or email.status == OutgoingEmail.Status.SENT:
            return False
        email.attempts += 1
        try:
            build_message(email).send()
        except Exception as error:  # SMTP errors, timeouts, refused connections …
            email.status = OutgoingEmail.Status.FAILED
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            email.save(update_fields=["status", "attempts", "last_error"])
            # Ids only: addresses and names stay out of the logs.
            logger.warning(
                "Sending %s email %s (registration %s) failed: %s",
                email.kind,
                email.pk,
                email.registration_id,
                type(error).__name__,
            )
            return False
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["status", "attempts", "last_error", "sent_at"])
        return True


def retry_unsent(older_than_seconds=60):
    """Send every failed email, and pending ones older than `older_than_seconds` (their
    task was lost). Returns (sent, still failing)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    candidates = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED) | (
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING, created_at__lt=cutoff)
    )
    sent = failed = 0
    for email_id in candidates.order_by("pk").values_list("pk", flat=True):
        if deliver(email_id):
            sent += 1
        elif OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.FAILED).exists():
            failed += 1
    return sent, failed


# Building messages ---------------------------------------------------------------------


def form_page_in(source, language_code):
    """The live form page in `language_code`, else the source page."""
    if source.locale.language_code == language_code:
        return source
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is not None:
        translated = source.get_translation_or_none(locale)
        if translated is not None and translated.live:
            return translated.specific
    return source


def public_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def manage_url(registration, form_page=None):
    form_page = form_page or form_page_in(registration.page.specific, registration.language)
    return public_url(
        form_page.get_url() + form_page.reverse_subpage("manage", args=[registration.manage_token])
    )


def event_calendar(event):
    from events.calendar import calendar_for

    return calendar_for([event], None, name=event.title)


def event_dates(event):
    from events.formatting import when_text

    return str(when_text(event.local_start, event.local_end, event.time_zone))


def build_message(email):
    registration = email.registration
    # The form in its own class in one query (`registration.page.specific` takes two).
    source = RegistrationFormPage.objects.select_related("locale").get(pk=registration.page_id)
    if email.kind == EmailKind.ORGANISER:
        return _organiser_message(email, registration, source)
    with translation.override(registration.language):
        return _registrant_message(email, registration, source)


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
}


def _registrant_message(email, registration, source):
    page = form_page_in(source, registration.language)
    event = page.event
    title = event.title if event is not None else page.title
    dates = event_dates(event) if event is not None else ""
    link = manage_url(registration, page)
    custom_intro = ""
    if email.kind == EmailKind.CONFIRMATION and page.confirmation_body:
        values = {"name": registration.name, "event": title, "dates": dates, "manage_url": link}
        custom_intro = PLACEHOLDER.sub(lambda m: values[m.group(1)], page.confirmation_body)
    subject = SUBJECTS[email.kind](title)
    if email.kind == EmailKind.CONFIRMATION and page.confirmation_subject:
        subject = page.confirmation_subject
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
    }
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("forms_app/emails/registrant.txt", context),
        from_email=source.from_address or settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
        headers={"Content-Language": registration.language},
    )
    message.attach_alternative(
        render_to_string("forms_app/emails/registrant.html", context), "text/html"
    )
    if event is not None and email.kind != EmailKind.CANCELLED:
        message.attach("event.ics", event_calendar(event), "text/calendar; charset=utf-8")
    return message


def _organiser_message(email, registration, source):
    with translation.override(settings.LANGUAGE_CODE):
        labels = dict(source.get_data_fields())
        data = registration.get_data()
        answers = [(labels[key], _display(data.get(key))) for key in labels if key != "submit_time"]
        event = source.event
        title = event.title if event is not None else source.title
        context = {"registration": registration, "answers": answers, "event_title": title}
        subject = source.subject or _("New registration for %(event)s") % {"event": title}
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("forms_app/emails/organiser.txt", context),
            from_email=source.from_address or settings.DEFAULT_FROM_EMAIL,
            to=[address.strip() for address in source.to_address.split(",") if address.strip()],
            reply_to=[registration.email],
        )
        message.attach_alternative(
            render_to_string("forms_app/emails/organiser.html", context), "text/html"
        )
        return message


def _display(value):
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if value is True:
        return _("Yes")
    if value is False or value is None:
        return ""
    return str(value)
