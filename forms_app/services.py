"""Registering, cancelling and promoting: taking, freeing and handing on seats.

Every change to a form's places happens in one transaction that counts them under the
form's pool row lock (`SELECT … FOR UPDATE`), so two registrants never count the same free
seat; a new registration is written just before the lock is taken, so the lock is held
for as little as possible. The database's partial unique constraints keep one active
registration per address and one per form submission. Emails are written to the outbox in
the same transaction and sent after it commits."""

from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from . import emails, signals
from .models import (
    ACTIVE_STATUSES,
    Attendance,
    EmailKind,
    Registration,
    RegistrationEmailSettings,
    RegistrationPool,
    RegistrationStatus,
    new_ticket_code,
    normalise_email,
)


class RegistrationOutcome(models.TextChoices):
    """What an attempt to register did."""

    # A new registration, confirmed or on the waiting list.
    REGISTERED = "registered"
    # The address already has an active registration: its details are sent again.
    ALREADY_REGISTERED = "already_registered"
    # The same form submission again (a double click, a refreshed POST): nothing new.
    SAME_SUBMISSION = "same_submission"
    # Every place is taken and there is no waiting list: nothing is recorded. (The form's
    # availability is then `events.registration.Availability.FULL`.)
    NO_PLACE_LEFT = "no_place_left"


@dataclass
class Outcome:
    result: RegistrationOutcome
    registration: Registration | None = None
    # True when this registration took the last seat of a form without a waiting list:
    # the event page now says "fully booked".
    fills_last_seat: bool = False


def lock_pool(source_page):
    """Lock and return the pool row of a source form page (created on first use)."""
    return _lock_pool_of(source_page.pk)


def _lock_pool_of(page_id):
    pool = RegistrationPool.objects.select_for_update().filter(page_id=page_id).first()
    if pool is None:
        RegistrationPool.objects.get_or_create(page_id=page_id)
        pool = RegistrationPool.objects.select_for_update().get(page_id=page_id)
    return pool


def register(
    form_page,
    *,
    name,
    email,
    answers,
    language,
    submission_token,
    privacy_revision=None,
    walk_in=False,
    attendance=Attendance.IN_PERSON,
):
    """Register someone through any language version of `form_page`, in person or (on a
    form with online places) online: each has its own places and waiting list. A walk-in
    (added by a registrar at the door) takes a free place or none: nobody joins a waiting
    list at the door, so a full form answers NO_PLACE_LEFT whatever its waiting-list
    setting."""
    source = form_page.source_page()
    # Read before the pool is locked: the lock is held for as short a time as possible.
    notify_organisers = RegistrationEmailSettings.notifies_organisers(source)
    attendance = attendance if source.offers_online else Attendance.IN_PERSON
    try:
        with transaction.atomic():
            outcome = _register(
                source,
                name=name,
                email=email,
                answers=answers,
                language=language,
                submission_token=submission_token,
                privacy_revision=privacy_revision,
                notify_organisers=notify_organisers,
                walk_in=walk_in,
                attendance=attendance,
            )
            if outcome.fills_last_seat:
                _announce_availability_changed(source.pk)
            return outcome
    except IntegrityError:
        # The same submission (a double click, a refreshed POST, two at the same moment)
        # or an address with an active registration: the database's constraints let one
        # in, and this one is answered from it, sending nothing new for the same
        # submission and the registration's details again for the same address.
        same, active = _existing(source, email, submission_token)
        if same is not None:
            return Outcome(RegistrationOutcome.SAME_SUBMISSION, same)
        if active is None:
            raise
        with transaction.atomic():
            emails.queue(active, EmailKind.DETAILS_AGAIN)
        return Outcome(RegistrationOutcome.ALREADY_REGISTERED, active)


def _existing(source, email, submission_token):
    """(the registration made by this same submission, the address's active
    registration): one query, either may be None."""
    match = Q(email_key=normalise_email(email), status__in=ACTIVE_STATUSES)
    if submission_token:
        match |= Q(submission_token=submission_token)
    same = active = None
    for found in Registration.objects.filter(match, page_id=source.pk)[:2]:
        if submission_token and str(found.submission_token) == str(submission_token):
            same = found
        else:
            active = found
    return same, active


def _register(
    source,
    *,
    name,
    email,
    answers,
    language,
    submission_token,
    privacy_revision,
    notify_organisers,
    walk_in,
    attendance,
):
    """The registration is written first, as confirmed, and only then is the pool
    locked and its places counted (this row among them): the lock is held for one count
    and the commit, not for every insert, so registrants queue on it for as short a
    time as possible (`benchmarks/README.md`, row 5). When no place is left it becomes a
    waiting-list entry, or is removed. Another transaction's row is counted only once it
    has committed, which it does only after its own count under the same lock.

    A double click, a refreshed POST or an address already registered is not looked for
    first: the insert meets the database's constraints, and `register` answers from what
    exists (one query fewer for everyone else, `benchmarks/README.md`)."""
    registration = Registration.objects.create(
        page_id=source.pk,
        status=RegistrationStatus.CONFIRMED,
        language=language,
        name=name,
        email=email.strip(),
        form_data=answers,
        submission_token=submission_token,
        consent_at=timezone.now(),
        privacy_revision=privacy_revision,
        ticket_code=new_ticket_code(),
        walk_in=walk_in,
        attendance=attendance,
    )
    lock_pool(source)
    fills_last_seat = False
    capacity = source.capacity_for(attendance)
    if capacity is not None:
        # This registration is among the confirmed ones counted.
        taken = source.confirmed_count(source.pool_attendance(attendance)) - 1
        if taken < capacity:
            # The last place of this pool: the form may now be fully booked.
            fills_last_seat = not source.waiting_list and taken + 1 == capacity
        elif source.waiting_list and not walk_in:
            registration.status = RegistrationStatus.WAITLISTED
            registration.ticket_code = None
            registration.save(update_fields=["status", "ticket_code", "updated_at"])
        else:
            Registration.objects.filter(pk=registration.pk).delete()
            return Outcome(RegistrationOutcome.NO_PLACE_LEFT)

    kinds = [
        EmailKind.CONFIRMATION
        if registration.status == RegistrationStatus.CONFIRMED
        else EmailKind.WAITLISTED
    ]
    if notify_organisers:
        kinds.append(EmailKind.ORGANISER)
    emails.queue(registration, *kinds)
    return Outcome(RegistrationOutcome.REGISTERED, registration, fills_last_seat=fills_last_seat)


def cancel(registration, *, notify=True):
    """Cancel a registration; a freed confirmed seat goes to the earliest waitlisted
    registrant, who is told. Returns the promoted registration, if any. Idempotent."""
    source_id = registration.page_id
    with transaction.atomic():
        _lock_pool_of(source_id)
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
        promoted = None
        if was_confirmed:
            source = current.page.specific
            promoted = _promote_locked(source, [source.pool_attendance(current.attendance)])
        # A freed seat can turn "fully booked" back into "open".
        _announce_availability_changed(source_id)
    registration.refresh_from_db()
    return promoted


def _pools(source):
    """The pools of `source` as `pool_attendance()` names them (None: the one pool)."""
    return [source.pool_attendance(option) for option, _capacity in source.attendance_options()]


def _promote_locked(source, pools=None):
    """Fill free seats from the waiting lists of `pools` (default: all), earliest first
    (the pool lock is held). Returns the first promoted registration, if any."""
    promoted = None
    for pool in _pools(source) if pools is None else pools:
        first = _promote_pool_locked(source, pool)
        promoted = promoted or first
    return promoted


def _promote_pool_locked(source, pool):
    promoted = None
    capacity = source.capacity_for(pool)
    waiting = Registration.objects.filter(page_id=source.pk, status=RegistrationStatus.WAITLISTED)
    if pool is not None:
        waiting = waiting.filter(attendance=pool)
    while capacity is None or source.confirmed_count(pool) < capacity:
        candidate = waiting.select_for_update().order_by("submit_time", "pk").first()
        if candidate is None:
            break
        candidate.status = RegistrationStatus.CONFIRMED
        candidate.promoted_at = timezone.now()
        candidate.issue_ticket()
        candidate.save(update_fields=["status", "promoted_at", "ticket_code", "updated_at"])
        emails.queue(candidate, EmailKind.PROMOTED)
        promoted = promoted or candidate
    return promoted


def fill_from_waiting_list(form_page):
    """After an editor raises the capacity: promote as many as now fit."""
    source = form_page.source_page()
    with transaction.atomic():
        lock_pool(source)
        promoted = _promote_locked(source)
        _announce_availability_changed(source.pk)
        return promoted


def _announce_availability_changed(source_id):
    """After commit, tell listeners (the page cache) that the form's availability may
    have changed."""
    transaction.on_commit(lambda: signals.availability_changed.send(sender=None, page_id=source_id))
