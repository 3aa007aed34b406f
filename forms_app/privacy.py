"""Data-protection chores: deleting registrations once an event is long over, answering
a person's request to see or erase their data, and deleting registrations in the admin.

Every deletion of registrations goes through here: `erase()` (a registration manager's
"Delete" in the admin, and `forget_person`) and `purge_expired()` (`purge_registrations`).
Each is written to the audit log (`forms_app.audit`) with ids and counts only, in the same
transaction as the deletion."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from home.addresses import page_url

from . import audit
from .models import (
    Registration,
    RegistrationFormPage,
    RegistrationStatus,
    VisaLetterRequest,
    normalise_email,
)
from .services import cancel


def retention_days():
    return int(settings.REGISTRATION_RETENTION_DAYS)


def expired_pages(now=None, days=None):
    """Source form pages with registrations whose event ended more than `days` days
    ago. Forms that are not under an event keep their registrations (nothing says when
    they are done), and an event that has not ended is never included: a negative
    number of days is refused (ValueError)."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    if days < 0:
        raise ValueError(f"The retention period cannot be negative ({days} days).")
    cutoff = min(now - dt.timedelta(days=days), now)
    return [
        page
        for page in RegistrationFormPage.objects.filter(
            pk__in=Registration.objects.values("page_id").distinct()
        )
        if page.event is not None and page.event.end < cutoff
    ]


def expired_registrations(now=None, days=None):
    """Registrations of the `expired_pages()`."""
    pages = expired_pages(now=now, days=days)
    return Registration.objects.filter(page_id__in=[page.pk for page in pages])


@transaction.atomic
def purge_expired(days=None, now=None):
    """Delete the registrations (and their emails) of `expired_pages()`, logging each
    form's count. Returns the number deleted."""
    days = retention_days() if days is None else days
    total = 0
    for page in expired_pages(now=now, days=days):
        _total, deleted = Registration.objects.filter(page_id=page.pk).delete()
        count = deleted.get(Registration._meta.label, 0)  # not the emails that went with them
        audit.record(page, audit.PURGED, count=count, days=days)
        total += count
    return total


def erase(registrations, *, action, user=None):
    """Delete `registrations` (a queryset or list): waiting-list entries are taken off
    the list first, then each confirmed place is cancelled so that the waiting list
    moves up (the promoted person is emailed, the erased person is not: their pending
    emails go with them), then the rows. One audit entry per form page, with the ids
    erased and promoted. Returns the number erased."""
    if hasattr(registrations, "select_related"):
        registrations = registrations.select_related("page")
    with transaction.atomic():
        registrations = list(registrations)
        # Waiting-list entries first, so that none of them is promoted and then deleted.
        registrations.sort(
            key=lambda registration: registration.status != RegistrationStatus.WAITLISTED
        )
        erased = defaultdict(list)
        promoted = defaultdict(list)
        pages = {}
        for registration in registrations:
            if registration.status != RegistrationStatus.CANCELLED:
                moved_up = cancel(registration, notify=False)
                if moved_up is not None:
                    promoted[registration.page_id].append(moved_up.pk)
            erased[registration.page_id].append(registration.pk)
            pages[registration.page_id] = registration.page
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).delete()
        for page_id, ids in erased.items():
            audit.record(
                pages[page_id],
                action,
                user=user,
                registrations=sorted(ids),
                count=len(ids),
                promoted=promoted.get(page_id, []),
            )
    return len(registrations)


def registrations_of(email):
    return Registration.objects.filter(email_key=normalise_email(email)).select_related("page")


def export_person(email, *, user=None):
    """Everything stored about the person with this address, as plain data; logged
    (registration ids only) on each form page concerned."""
    registrations = list(registrations_of(email).order_by("submit_time"))
    data = [
        {
            "form": registration.page.title,
            "form_url": page_url(registration.page),
            "status": registration.status,
            "language": registration.language,
            "name": registration.name,
            "email": registration.email,
            "answers": registration.form_data,
            "registered_at": registration.submit_time.isoformat(),
            "consent_at": registration.consent_at.isoformat() if registration.consent_at else None,
            "cancelled_at": registration.cancelled_at.isoformat()
            if registration.cancelled_at
            else None,
            "emails_sent": [
                {
                    "kind": email.kind,
                    "status": email.status,
                    "created_at": email.created_at.isoformat(),
                }
                for email in registration.emails.order_by("pk")
            ],
            "visa_letter": _visa_letter_summary(registration),
        }
        for registration in registrations
    ]
    by_page = defaultdict(list)
    for registration in registrations:
        by_page[registration.page_id].append(registration)
    for page_registrations in by_page.values():
        audit.record(
            page_registrations[0].page,
            audit.PERSON_EXPORTED,
            user=user,
            registrations=[registration.pk for registration in page_registrations],
            count=len(page_registrations),
        )
    return data


def _visa_letter_summary(registration):
    """A visa letter request's status, reference and dates, never its passport details:
    they are kept out of every export (this one goes by email or file to whoever asked,
    and its requester's identity is checked outside the site). The person sees them on
    their letter; a registration manager can read them out on request."""
    letter_request = VisaLetterRequest.objects.filter(registration_id=registration.pk).first()
    if letter_request is None:
        return None
    return {
        "status": letter_request.status,
        "reference": letter_request.reference,
        "requested_at": letter_request.requested_at.isoformat(),
        "decided_at": letter_request.decided_at.isoformat() if letter_request.decided_at else None,
        "passport_details": "erased" if letter_request.details_erased_at else "withheld",
    }


def forget_person(email, *, user=None):
    """Erase a person's registrations, as `erase()` does (a confirmed place is cancelled
    first, so the waiting list moves up). Returns the number of registrations erased."""
    return erase(registrations_of(email), action=audit.PERSON_ERASED, user=user)
