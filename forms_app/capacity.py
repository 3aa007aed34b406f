"""Taking, freeing and handing on seats.

Every change to a form's registrations happens inside one transaction that first locks
the form's pool row (`SELECT … FOR UPDATE`), so two registrants never count the same free
seat, and the database's partial unique constraint backs up the one-active-registration-
per-address rule. Emails are written to the outbox in the same transaction and sent after
it commits."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import emails, signals
from .models import (
    ACTIVE_STATUSES,
    EmailKind,
    Registration,
    RegistrationPool,
    RegistrationStatus,
    normalise_email,
)

# Outcomes of an attempt to register.
REGISTERED = "registered"
ALREADY_REGISTERED = "already_registered"
SAME_SUBMISSION = "same_submission"
FULL = "full"


@dataclass
class Outcome:
    result: str
    registration: Registration | None = None


def lock_pool(source_page):
    """Lock and return the pool row of a source form page (created on first use)."""
    pool, _created = RegistrationPool.objects.get_or_create(page_id=source_page.pk)
    return RegistrationPool.objects.select_for_update().get(pk=pool.pk)


def confirmed_count(source_page):
    return Registration.objects.filter(
        page_id=source_page.pk, status=RegistrationStatus.CONFIRMED
    ).count()


def seats_left(form_page):
    """Free confirmed places, or None for a form without a capacity."""
    source = form_page.source_page()
    if source.capacity is None:
        return None
    return max(source.capacity - confirmed_count(source), 0)


def register(form_page, *, name, email, answers, language, submission_token, privacy_revision=None):
    """Register someone through any language version of `form_page`."""
    source = form_page.source_page()
    try:
        with transaction.atomic():
            lock_pool(source)
            outcome = _register_locked(
                source,
                name=name,
                email=email,
                answers=answers,
                language=language,
                submission_token=submission_token,
                privacy_revision=privacy_revision,
            )
            if outcome.result == REGISTERED:
                _announce_seats_changed(source.pk)
            return outcome
    except IntegrityError:
        # Only reachable if something bypassed the lock (another code path, a manual
        # insert): the constraints still hold, and the registrant gets the neutral answer.
        existing = _existing(source, email, submission_token)
        if existing is None:
            raise
        return Outcome(SAME_SUBMISSION, existing)


def _existing(source, email, submission_token):
    same = submission_token and (
        Registration.objects.filter(page_id=source.pk, submission_token=submission_token).first()
    )
    return same or (
        Registration.objects.filter(
            page_id=source.pk, email_key=normalise_email(email), status__in=ACTIVE_STATUSES
        ).first()
    )


def _register_locked(source, *, name, email, answers, language, submission_token, privacy_revision):
    same = submission_token and (
        Registration.objects.filter(page_id=source.pk, submission_token=submission_token).first()
    )
    if same:
        # A double click or a refreshed POST: nothing new to do, nothing new to send.
        return Outcome(SAME_SUBMISSION, same)

    active = Registration.objects.filter(
        page_id=source.pk, email_key=normalise_email(email), status__in=ACTIVE_STATUSES
    ).first()
    if active is not None:
        emails.queue(active, EmailKind.DETAILS_AGAIN)
        return Outcome(ALREADY_REGISTERED, active)

    if source.capacity is None or confirmed_count(source) < source.capacity:
        status = RegistrationStatus.CONFIRMED
    elif source.waiting_list:
        status = RegistrationStatus.WAITLISTED
    else:
        return Outcome(FULL)

    now = timezone.now()
    registration = Registration.objects.create(
        page_id=source.pk,
        status=status,
        language=language,
        name=name,
        email=email.strip(),
        form_data=answers,
        submission_token=submission_token,
        consent_at=now,
        privacy_revision=privacy_revision,
    )
    emails.queue(
        registration,
        EmailKind.CONFIRMATION if status == RegistrationStatus.CONFIRMED else EmailKind.WAITLISTED,
    )
    if source.to_address:
        emails.queue(registration, EmailKind.ORGANISER)
    return Outcome(REGISTERED, registration)


def cancel(registration, *, notify=True):
    """Cancel a registration; a freed confirmed seat goes to the earliest waitlisted
    registrant, who is told. Returns the promoted registration, if any. Idempotent."""
    source_id = registration.page_id
    with transaction.atomic():
        RegistrationPool.objects.get_or_create(page_id=source_id)
        RegistrationPool.objects.select_for_update().get(page_id=source_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            registration.refresh_from_db()
            return None
        was_confirmed = current.status == RegistrationStatus.CONFIRMED
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at", "updated_at"])
        if notify:
            emails.queue(current, EmailKind.CANCELLED)
        promoted = _promote_locked(current.page.specific) if was_confirmed else None
        _announce_seats_changed(source_id)
    registration.refresh_from_db()
    return promoted


def _promote_locked(source):
    """Fill free seats from the waiting list, earliest first (the pool is locked)."""
    promoted = None
    capacity = source.capacity
    while capacity is None or confirmed_count(source) < capacity:
        candidate = (
            Registration.objects.select_for_update()
            .filter(page_id=source.pk, status=RegistrationStatus.WAITLISTED)
            .order_by("submit_time", "pk")
            .first()
        )
        if candidate is None:
            break
        candidate.status = RegistrationStatus.CONFIRMED
        candidate.promoted_at = timezone.now()
        candidate.save(update_fields=["status", "promoted_at", "updated_at"])
        emails.queue(candidate, EmailKind.PROMOTED)
        promoted = promoted or candidate
    return promoted


def fill_from_waiting_list(form_page):
    """After an editor raises the capacity: promote as many as now fit."""
    source = form_page.source_page()
    with transaction.atomic():
        lock_pool(source)
        promoted = _promote_locked(source)
        if promoted is not None:
            _announce_seats_changed(source.pk)
        return promoted


def _announce_seats_changed(source_id):
    """After commit, tell listeners (the page cache) that availability may have changed."""
    transaction.on_commit(lambda: signals.seats_changed.send(sender=None, page_id=source_id))
