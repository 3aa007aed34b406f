"""Checking people in at the door, adding walk-ins and correcting a registrant's name or
email: the service layer under the check-in page (checkin_views.py).

A check-in is a `CheckIn` row: one per registration and event day. The database's unique
constraint on (registration, day) is what makes a check-in idempotent and safe under
concurrency: two staff scanning the same ticket at the same moment both try to insert
the row inside a savepoint, one insert wins, the other gets an IntegrityError, rolls its
savepoint back and reads the winner's row ("already checked in at 09:14 by X"). No lock,
no count-then-insert, and no lock on anything registrations take (the pool row): a busy
door does not slow registrations down.

Which days an event has comes from the event page the form sits under (its start and end,
in its own time zone); a form without an event (a volunteer sign-up) has one day, today.
A day-2 check-in of a three-day event is never "already checked in" because of day 1.

An undone check-in (a mistaken scan) deletes the row and is logged in the registrations
audit trail (`forms_app.audit`, ids only), as are walk-ins and corrections; the name and
address themselves never reach the log.

Door staff see names and nothing else of a registration (no answers, no email address
shown, no exports): search matches a name or an email address, but answers with names."""

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import formatting

from . import audit, emails, services
from .models import (
    ACTIVE_STATUSES,
    TICKET_ALPHABET,
    CheckIn,
    EmailKind,
    Registration,
    RegistrationStatus,
    normalise_email,
)

# How many characters of the ticket code the printed door list shows: enough to tell two
# people of the same name apart, too few to forge a ticket from.
CODE_TAIL = 4
SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 20
# An event longer than this is not checked in day by day (a mistyped end date must not
# make a list of hundreds of days).
MAX_DAYS = 31


class CheckInOutcome(models.TextChoices):
    """What a scan (or a tap on a search result) did."""

    CHECKED_IN = "checked_in", _("Checked in")
    ALREADY_CHECKED_IN = "already_checked_in", _("Already checked in")
    # On the waiting list: no place, no ticket that lets them in.
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    # A real ticket of another form (another event, or the workshop of the same one).
    WRONG_EVENT = "wrong_event", _("Wrong event")
    UNKNOWN = "unknown", _("Unknown ticket")


@dataclass
class ScanResult:
    outcome: CheckInOutcome
    day: dt.date
    registration: Registration | None = None
    # The day's check-in: the new one, or the earlier one that makes this "already".
    check_in: CheckIn | None = None

    @property
    def lets_in(self):
        return self.outcome in (CheckInOutcome.CHECKED_IN, CheckInOutcome.ALREADY_CHECKED_IN)


# Days -----------------------------------------------------------------------------------


def time_zone_of(event):
    return formatting.zone(event.time_zone if event is not None else None)


def event_days(event, now=None):
    """The days (dates in the event's time zone) people are checked in on: from the
    event's first day to its last; today alone for a form without an event."""
    zone = time_zone_of(event)
    if event is None:
        return [timezone.localdate(now or timezone.now(), zone)]
    first = timezone.localtime(event.start, zone).date()
    last = timezone.localtime(event.end, zone).date()
    count = min(max((last - first).days + 1, 1), MAX_DAYS)
    return [first + dt.timedelta(days=offset) for offset in range(count)]


def default_day(event, days=None, now=None):
    """Today when the event is on; before it, its first day; after it, its last."""
    days = days or event_days(event, now)
    today = timezone.localdate(now or timezone.now(), time_zone_of(event))
    if today in days:
        return today
    return days[0] if today < days[0] else days[-1]


def parse_day(value, days):
    """The day `value` (YYYY-MM-DD) names if it is one of `days`, else None."""
    try:
        day = dt.date.fromisoformat(str(value or ""))
    except ValueError:
        return None
    return day if day in days else None


# Check-in -------------------------------------------------------------------------------


def normalise_code(code):
    """What a scanner or a person typing the code may add removed: spaces, dashes, lower
    case. Anything not from the ticket alphabet cannot be a code."""
    cleaned = "".join((code or "").split()).replace("-", "").upper()
    if not cleaned or len(cleaned) > 64 or any(c not in TICKET_ALPHABET for c in cleaned):
        return ""
    return cleaned


def check_in(source, *, day, user=None, code=None, registration_id=None):
    """Check the holder of ticket `code` (or registration `registration_id`) in for `day`
    at the form `source` (a source registration form page). Idempotent."""
    if code is not None:
        code = normalise_code(code)
        found = Registration.objects.filter(ticket_code=code).first() if code else None
    else:
        found = Registration.objects.filter(pk=registration_id).first()
    if found is None:
        return ScanResult(CheckInOutcome.UNKNOWN, day)
    if found.page_id != source.pk:
        return ScanResult(CheckInOutcome.WRONG_EVENT, day, found)
    if found.status == RegistrationStatus.CANCELLED:
        return ScanResult(CheckInOutcome.CANCELLED, day, found)
    if found.status != RegistrationStatus.CONFIRMED:
        return ScanResult(CheckInOutcome.NOT_CONFIRMED, day, found)
    try:
        # A savepoint, so that losing the race leaves the caller's transaction usable.
        with transaction.atomic():
            row = CheckIn.objects.create(registration=found, day=day, checked_in_by=user)
    except IntegrityError:
        row = CheckIn.objects.select_related("checked_in_by").get(registration=found, day=day)
        return ScanResult(CheckInOutcome.ALREADY_CHECKED_IN, day, found, row)
    return ScanResult(CheckInOutcome.CHECKED_IN, day, found, row)


def undo(source, *, registration_id, day, user=None):
    """Undo a mistaken check-in of registration `registration_id` on `day` (logged, ids
    only). Returns whether there was one to undo."""
    with transaction.atomic():
        deleted, _rows = CheckIn.objects.filter(
            registration_id=registration_id, registration__page_id=source.pk, day=day
        ).delete()
        if deleted:
            audit.record(
                source,
                audit.CHECK_IN_UNDONE,
                user=user,
                registration=registration_id,
                day=day.isoformat(),
            )
    return bool(deleted)


def checked_in_by_name(check_in):
    user = check_in.checked_in_by if check_in is not None else None
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# Finding people -------------------------------------------------------------------------


@dataclass
class Person:
    """A registration as door staff see it: a name, whether it lets them in, and whether
    they are in on the day."""

    id: int
    name: str
    status: str
    checked_in_at: dt.datetime | None
    ticket_tail: str = ""


def _people(queryset, day):
    check_ins = dict(
        CheckIn.objects.filter(registration__in=queryset.values("pk"), day=day).values_list(
            "registration_id", "checked_in_at"
        )
    )
    return [
        Person(
            id=pk,
            name=name,
            status=status,
            checked_in_at=check_ins.get(pk),
            ticket_tail=(code or "")[-CODE_TAIL:],
        )
        for pk, name, status, code in queryset.values_list("pk", "name", "status", "ticket_code")
    ]


def search(source, query, day, limit=SEARCH_LIMIT):
    """Registrations of `source` whose name or email address contains `query`, as
    `Person`s (names only), active ones first; two queries."""
    query = fold(" ".join((query or "").split()))
    if len(query) < SEARCH_MIN_LENGTH:
        return []
    # Matched here rather than by the database: "cakir" finds "Çakır" and "AYSE" finds
    # "Ayşe" (SQLite's LIKE folds ASCII only, and no database folds accents by default).
    # One form's names and addresses are a few thousand short strings at most.
    rows = Registration.objects.filter(page_id=source.pk).values_list(
        "pk", "name", "email_key", "status"
    )
    found = [
        (status not in ACTIVE_STATUSES, fold(name), pk)
        for pk, name, email_key, status in rows
        if query in fold(name) or query in email_key
    ]
    ids = [pk for _inactive, _name, pk in sorted(found)[:limit]]
    order = {pk: index for index, pk in enumerate(ids)}
    people = _people(Registration.objects.filter(pk__in=ids), day) if ids else []
    return sorted(people, key=lambda person: order[person.id])


def fold(text):
    """Case and accents folded, and the Turkish dotless ı as i: what a search compares."""
    return sort_key(text).replace("ı", "i")


def family_name(name):
    """The family name a door list is sorted by: the last word of the name as written.
    A rule, not knowledge: "Ayşe Nur Yılmaz" sorts under Yılmaz, "محمد علی" under علی,
    and a name written family name first ("KAYA Zeynep") under its given name, so the list
    also shows the full name for a glance up or down."""
    words = (name or "").split()
    return words[-1] if words else ""


def sort_key(text):
    """Case and accents folded ("Çakır" sorts with C, "ABAY" with "abay"), so a list in
    Latin script reads alphabetically to a Turkish or English reader; names in Arabic
    script come after Latin ones, in their own alphabet's order. A readable order for a
    printed list, not a full collation (that would need ICU)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def door_list(source, day):
    """The confirmed registrations of `source`, sorted by family name (then the whole
    name), for the printed door list of `day`; marks who is already checked in."""
    confirmed = Registration.objects.filter(page_id=source.pk, status=RegistrationStatus.CONFIRMED)
    people = _people(confirmed, day)
    return sorted(people, key=lambda p: (sort_key(family_name(p.name)), sort_key(p.name), p.id))


# Walk-ins and corrections (registrars) --------------------------------------------------


def add_walk_in(
    form_page, *, name, email, language, submission_token, user=None, check_in_day=None
):
    """Register someone at the door: through `services.register` (the same pool lock and
    capacity as online registrations; a walk-in takes a free place or none), emailed like
    any other registrant (their ticket comes with the confirmation), logged. With
    `check_in_day`, a confirmed walk-in is also checked in for that day. A walk-in
    answers none of the form's own questions (the door is no place for a questionnaire;
    its answers are empty in the list and the exports). Consent is recorded as given:
    the registrar's form asks for it.
    Returns (services.Outcome, ScanResult or None)."""
    source = form_page.source_page()
    with transaction.atomic():
        outcome = services.register(
            form_page,
            name=name,
            email=email,
            answers={},
            language=language,
            submission_token=submission_token,
            walk_in=True,
        )
        if outcome.result == services.RegistrationOutcome.REGISTERED:
            audit.record(source, audit.WALK_IN, user=user, registration=outcome.registration.pk)
    scan = None
    if check_in_day is not None and outcome.registration is not None:
        scan = check_in(
            source, day=check_in_day, user=user, registration_id=outcome.registration.pk
        )
    return outcome, scan


class AddressInUse(Exception):
    """Another active registration of the same form has this email address."""


def correct(registration, *, name, email, role=None, user=None, resend=False):
    """Correct a registrant's name, email address or badge role; logged with the names of
    the fields changed (never their values). With `resend` and a changed address, the
    registration's details (and ticket) are sent to the corrected address. Returns the
    fields changed."""
    name = " ".join((name or "").split())
    email = (email or "").strip()
    changed = []
    if name and name != registration.name:
        changed.append("name")
    if role and role != registration.role:
        changed.append("role")
    if email and normalise_email(email) != registration.email_key:
        changed.append("email")
    elif email and email != registration.email:
        changed.append("email")  # the same address, written differently
    if not changed:
        return []
    try:
        with transaction.atomic():
            if "name" in changed:
                registration.name = name
            if "email" in changed:
                registration.email = email
            if "role" in changed:
                registration.role = role
            registration.save(update_fields=["name", "email", "email_key", "role", "updated_at"])
            audit.record(
                registration.page.specific,
                audit.CORRECTED,
                user=user,
                registration=registration.pk,
                fields=changed,
            )
            if resend and "email" in changed and registration.is_active:
                emails.queue(registration, EmailKind.DETAILS_AGAIN)
    except IntegrityError as error:
        registration.refresh_from_db()
        raise AddressInUse from error
    return changed
