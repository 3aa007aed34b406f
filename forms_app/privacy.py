"""Data-protection chores: deleting registrations once an event is long over, and
answering a person's request to see or erase their data."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Registration, RegistrationFormPage, normalise_email


def retention_days():
    return int(getattr(settings, "REGISTRATION_RETENTION_DAYS", 180))


def expired_registrations(now=None, days=None):
    """Registrations of forms whose event ended more than `days` days ago. Forms that are
    not under an event keep their registrations (nothing says when they are done)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days() if days is None else days)
    expired_pages = [
        page.pk
        for page in RegistrationFormPage.objects.filter(
            pk__in=Registration.objects.values("page_id").distinct()
        )
        if page.event is not None and page.event.end < cutoff
    ]
    return Registration.objects.filter(page_id__in=expired_pages)


def registrations_of(email):
    return Registration.objects.filter(email_key=normalise_email(email)).select_related("page")


def export_person(email):
    """Everything stored about the person with this address, as plain data."""
    return [
        {
            "form": registration.page.title,
            "form_url": registration.page.full_url,
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
        }
        for registration in registrations_of(email).order_by("submit_time")
    ]


@transaction.atomic
def forget_person(email):
    """Erase a person's registrations. An active confirmed place is cancelled first, so the
    waiting list moves up. Returns the number of registrations erased."""
    from .capacity import cancel

    registrations = list(registrations_of(email))
    for registration in registrations:
        if registration.is_active:
            cancel(registration, notify=False)
    count = len(registrations)
    Registration.objects.filter(pk__in=[r.pk for r in registrations]).delete()
    return count
