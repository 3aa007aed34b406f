"""Visa invitation letters: sealing the passport details, the request and the decision,
the reference and its verification, and erasing the details after the event.

Who may ask: a form offers letters when its source page's `visa_letters` switch is on;
a CONFIRMED registrant asks from their manage page. Waitlisted and cancelled ones are
refused (a letter promises a place). One request per registration (the OneToOne, and an
IntegrityError from a double submit or a second tab is answered with the existing row).
A declined request may be asked again, with corrected details: it goes back to
"requested" (a mistyped passport number is the usual reason for a decline); a pending or
approved one may not (the managers decide on what they were shown).

Decisions: a registration manager approves a request (it gets a reference and the
letter is emailed) or declines it with a reason; an approved letter may still be
withdrawn (declined), its reference then verifies as "declined". A cancelled
registration revokes its letter: the verification says "revoked", the manage page no
longer offers it and the download is refused.

The details (name as in the passport, nationality, passport number and expiry, date of
birth, consulate city) are one Fernet token of their JSON (`sealed_details`), made with
`MultiFernet` over `settings.VISA_DATA_KEYS`: the first key encrypts, every listed key
decrypts, so a key is rotated by putting the new one first and keeping the old one
listed until `rotate()` (or the retention erase) has re-sealed or blanked every row.
They are decrypted only for registration managers (the request's admin page), for the
letter (PDF to the registrant and the managers) and for the verification page; never
logged, exported, put in an audit entry (ids only) or in the organisers' email.

This module imports no emails or views: the views queue the emails in the same
transaction as the decision (`visa_views`), and the letter and its email are built in
`visa_letters`, which `emails` imports."""

import datetime as dt
import json
import secrets
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from wagtail.log_actions import LogFormatter

from . import audit
from .models import (
    TICKET_ALPHABET,
    Registration,
    RegistrationFormPage,
    RegistrationStatus,
    VisaLetterRequest,
    VisaLetterStatus,
)

DETAIL_FIELDS = (
    "passport_name",
    "nationality",
    "passport_number",
    "passport_expiry",
    "date_of_birth",
    "consulate_city",
)
REFERENCE_PREFIX = "VL"
REFERENCE_CODE_LENGTH = 12  # from a 31-letter alphabet: about 59 bits

# Audit actions (ids only; labelled by `register_log_actions`, wagtail_hooks.py).
REQUESTED = "forms_app.visa_letter_request"
APPROVED = "forms_app.visa_letter_approve"
DECLINED = "forms_app.visa_letter_decline"
DETAILS_VIEWED = "forms_app.visa_letter_view_details"
DETAILS_ERASED = "forms_app.visa_letter_erase_details"


class VisaKeysMissing(ImproperlyConfigured):
    """No VISA_DATA_KEYS: passport details can be neither stored nor read."""


class DetailsUnavailable(Exception):
    """The details were erased, or cannot be opened with the listed keys."""


# Sealing ---------------------------------------------------------------------------------


def keys():
    configured = settings.VISA_DATA_KEYS or ()
    if isinstance(configured, str):
        configured = configured.split(",")
    return [key.strip() for key in configured if key and key.strip()]


def available():
    """Whether passport details can be sealed (a key is configured)."""
    return bool(keys())


def _fernet():
    listed = keys()
    if not listed:
        raise VisaKeysMissing("VISA_DATA_KEYS is not set: visa letter requests are off.")
    return MultiFernet([Fernet(key.encode()) for key in listed])


@sensitive_variables("details", "data")
def seal(details):
    """One Fernet token (text) of `details` (a dict of strings), under the first key."""
    data = json.dumps(details, ensure_ascii=False, sort_keys=True).encode()
    return _fernet().encrypt(data).decode()


@sensitive_variables("data")
def unseal(token):
    """The details a token holds; DetailsUnavailable when it is empty (erased) or no
    listed key opens it."""
    if not token:
        raise DetailsUnavailable("erased")
    try:
        data = _fernet().decrypt(token.encode())
    except InvalidToken:
        raise DetailsUnavailable("no listed key opens these details") from None
    return json.loads(data)


def details_of(letter_request):
    """The request's details, or None when erased or unreadable."""
    try:
        return unseal(letter_request.sealed_details)
    except DetailsUnavailable:
        return None


def rotate():
    """Re-seal every stored token under the first key (after a new key was put first);
    the old key may be dropped from VISA_DATA_KEYS afterwards. Returns the number
    re-sealed."""
    fernet = _fernet()
    count = 0
    for pk, token in VisaLetterRequest.objects.exclude(sealed_details="").values_list(
        "pk", "sealed_details"
    ):
        VisaLetterRequest.objects.filter(pk=pk, sealed_details=token).update(
            sealed_details=fernet.rotate(token.encode()).decode()
        )
        count += 1
    return count


# Who may ask -----------------------------------------------------------------------------


def offered(page):
    """Whether the form (any language version) offers visa letters."""
    return bool(page.source_page().visa_letters)


class Refusal:
    NOT_OFFERED = "not_offered"
    NOT_CONFIRMED = "not_confirmed"
    UNAVAILABLE = "unavailable"  # no keys configured
    ALREADY = "already"  # a pending or approved request exists


def refusal(page, registration, existing=...):
    """Why `registration` may not ask for a letter now (a `Refusal`), or None.
    `existing`: its request (or None) when already read."""
    if not offered(page):
        return Refusal.NOT_OFFERED
    if registration.status != RegistrationStatus.CONFIRMED:
        return Refusal.NOT_CONFIRMED
    if not available():
        return Refusal.UNAVAILABLE
    if existing is ...:
        existing = request_of(registration)
    if existing is not None and existing.status != VisaLetterStatus.DECLINED:
        return Refusal.ALREADY
    return None


def request_of(registration):
    return VisaLetterRequest.objects.filter(registration_id=registration.pk).first()


@sensitive_variables("details")
def request_letter(page, registration, details):
    """Store a request with `details` (cleaned by the form): (request, created).

    Refused (ValueError, the `Refusal`) unless `refusal()` is None, checked again under a
    lock on the registration. A declined request is asked again (same row, back to
    "requested", the new details). A second submit of the same request, or one from a
    second tab at the same moment, returns the existing one (created False)."""
    token = seal({name: str(details[name]) for name in DETAIL_FIELDS})
    try:
        with transaction.atomic():
            registration = Registration.objects.select_for_update().get(pk=registration.pk)
            reason = refusal(page, registration)
            if reason == Refusal.ALREADY:
                return request_of(registration), False
            if reason is not None:
                raise ValueError(reason)
            letter_request = request_of(registration)
            if letter_request is None:
                letter_request = VisaLetterRequest.objects.create(
                    registration=registration, sealed_details=token
                )
            else:  # declined before: asked again
                letter_request.status = VisaLetterStatus.REQUESTED
                letter_request.sealed_details = token
                letter_request.requested_at = timezone.now()
                letter_request.decided_at = None
                letter_request.decided_by = None
                letter_request.decline_reason = ""
                letter_request.details_erased_at = None
                letter_request.save()
            audit.record(
                registration.page,
                REQUESTED,
                registration=registration.pk,
                request=letter_request.pk,
                by_registrant=True,
            )
            return letter_request, True
    except IntegrityError:
        # Another request for this registration was stored between our check and insert.
        existing = request_of(registration)
        if existing is None:
            raise
        return existing, False


# Decisions -------------------------------------------------------------------------------


def new_reference(year):
    code = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(REFERENCE_CODE_LENGTH))
    return f"{REFERENCE_PREFIX}-{year}-{code}"


def _event_year(registration):
    source = RegistrationFormPage.objects.get(pk=registration.page_id)
    event = source.event
    return (event.local_start if event is not None else timezone.localtime()).year


class DecisionRefused(Exception):
    """The request is not in a state that allows this decision (already decided, the
    registration cancelled, the details erased)."""


def _locked(letter_request):
    return (
        # The request's row only: never the registration's page (editors publish it).
        VisaLetterRequest.objects.select_for_update(of=("self",))
        .select_related("registration", "registration__page")
        .get(pk=letter_request.pk)
    )


def approve(letter_request, *, user):
    """Approve a requested letter: a new reference, the decision recorded and logged.
    Call inside the transaction that queues the letter's email (`visa_views`)."""
    letter_request = _locked(letter_request)
    registration = letter_request.registration
    if letter_request.status != VisaLetterStatus.REQUESTED:
        raise DecisionRefused(letter_request.status)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DecisionRefused(registration.status)
    if not letter_request.sealed_details:
        raise DecisionRefused("erased")
    year = _event_year(registration)
    for _attempt in range(5):  # a clash of 59 random bits is not expected, but is cheap
        reference = new_reference(year)
        if not VisaLetterRequest.objects.filter(reference=reference).exists():
            break
    letter_request.status = VisaLetterStatus.APPROVED
    letter_request.reference = reference
    letter_request.decided_at = timezone.now()
    letter_request.decided_by = user
    letter_request.decline_reason = ""
    letter_request.save()
    audit.record(
        registration.page,
        APPROVED,
        user=user,
        registration=registration.pk,
        request=letter_request.pk,
    )
    return letter_request


def decline(letter_request, *, user, reason):
    """Decline a requested letter, or withdraw an approved one, with `reason` (told to
    the registrant, never logged). Call inside the transaction that queues the email."""
    letter_request = _locked(letter_request)
    if letter_request.status == VisaLetterStatus.DECLINED:
        raise DecisionRefused(letter_request.status)
    letter_request.status = VisaLetterStatus.DECLINED
    letter_request.decided_at = timezone.now()
    letter_request.decided_by = user
    letter_request.decline_reason = reason
    letter_request.save()
    audit.record(
        letter_request.registration.page,
        DECLINED,
        user=user,
        registration=letter_request.registration_id,
        request=letter_request.pk,
    )
    return letter_request


def record_details_viewed(letter_request, *, user):
    audit.record(
        letter_request.registration.page,
        DETAILS_VIEWED,
        user=user,
        registration=letter_request.registration_id,
        request=letter_request.pk,
    )


# What a request is now -------------------------------------------------------------------


class State:
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    REVOKED = "revoked"  # approved, then the registration was cancelled


STATE_LABELS = {
    State.REQUESTED: _("Requested"),
    State.APPROVED: _("Approved"),
    State.DECLINED: _("Declined"),
    State.REVOKED: _("Revoked (registration cancelled)"),
}


def state(letter_request, registration=None):
    """The request's `State`: its status, or REVOKED for an approved letter whose
    registration was cancelled."""
    registration = registration or letter_request.registration
    if (
        letter_request.status == VisaLetterStatus.APPROVED
        and registration.status == RegistrationStatus.CANCELLED
    ):
        return State.REVOKED
    return letter_request.status


def has_letter(letter_request, registration=None):
    """Whether the letter can be downloaded: approved, registration not cancelled, and
    the details not erased."""
    return (
        letter_request is not None
        and state(letter_request, registration) == State.APPROVED
        and bool(letter_request.sealed_details)
    )


# Verification ----------------------------------------------------------------------------


class Verdict:
    VALID = "valid"
    REVOKED = "revoked"  # the registration was cancelled
    DECLINED = "declined"  # withdrawn by the organisers
    UNKNOWN = "unknown"


@dataclass
class Verification:
    verdict: str
    letter_request: VisaLetterRequest | None = None
    name: str = ""
    nationality: str = ""
    event_title: str = ""
    event_dates: str = ""
    details_erased: bool = False

    @property
    def is_valid(self):
        return self.verdict == Verdict.VALID


def normalise_reference(text):
    return "".join((text or "").split()).upper()


def verify(text, *, event_info=None):
    """What a letter's reference says. `event_info(source_page)` gives (title, dates)
    for display (from `visa_letters`, which knows the formatting)."""
    reference = normalise_reference(text)
    if not reference.startswith(f"{REFERENCE_PREFIX}-") or len(reference) > 32:
        return Verification(Verdict.UNKNOWN)
    letter_request = (
        VisaLetterRequest.objects.select_related("registration").filter(reference=reference).first()
    )
    if letter_request is None:
        return Verification(Verdict.UNKNOWN)
    registration = letter_request.registration
    if letter_request.status == VisaLetterStatus.DECLINED:
        verdict = Verdict.DECLINED
    elif registration.status == RegistrationStatus.CANCELLED:
        verdict = Verdict.REVOKED
    else:
        verdict = Verdict.VALID
    details = details_of(letter_request)
    source = RegistrationFormPage.objects.select_related("locale").get(pk=registration.page_id)
    title, dates = event_info(source) if event_info is not None else (source.title, "")
    return Verification(
        verdict,
        letter_request,
        name=(details or {}).get("passport_name") or registration.name,
        nationality=(details or {}).get("nationality", ""),
        event_title=title,
        event_dates=dates,
        details_erased=details is None,
    )


# Retention -------------------------------------------------------------------------------


def retention_days():
    return settings.VISA_DATA_RETENTION_DAYS


def due_for_erasure(now=None, days=None):
    """{source form page: queryset of its requests still holding details} for forms
    whose event ended more than `days` days ago (forms not under an event keep them until
    the registration goes)."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    if days < 0:
        raise ValueError(f"The retention period cannot be negative ({days} days).")
    cutoff = min(now - dt.timedelta(days=days), now)
    holding = VisaLetterRequest.objects.exclude(sealed_details="")
    page_ids = holding.values_list("registration__page_id", flat=True).distinct()
    due = {}
    for page in RegistrationFormPage.objects.filter(pk__in=list(page_ids)):
        event = page.event
        if event is not None and event.end < cutoff:
            due[page] = holding.filter(registration__page_id=page.pk)
    return due


def erase_due(now=None, days=None):
    """Blank the details of `due_for_erasure()`, logging each form's count. Returns the
    number of requests erased."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    total = 0
    with transaction.atomic():
        for page, requests in due_for_erasure(now=now, days=days).items():
            count = requests.update(sealed_details="", details_erased_at=now)
            if count:
                audit.record(page, DETAILS_ERASED, count=count, days=days)
            total += count
    return total


# Audit trail labels -----------------------------------------------------------------------


class _RequestFormatter(LogFormatter):
    message = ""

    def format_message(self, log_entry):
        data = log_entry.data
        return gettext(self.message) % {
            "id": data.get("registration"),
            "request": data.get("request"),
        }


class RequestedFormatter(_RequestFormatter):
    label = _("Request a visa letter")
    message = gettext_noop(
        "Registration %(id)s asked for a visa invitation letter (request %(request)s)"
    )


class ApprovedFormatter(_RequestFormatter):
    label = _("Approve a visa letter")
    message = gettext_noop(
        "Approved the visa invitation letter of registration %(id)s (request %(request)s)"
    )


class DeclinedFormatter(_RequestFormatter):
    label = _("Decline a visa letter")
    message = gettext_noop(
        "Declined the visa invitation letter of registration %(id)s (request %(request)s)"
    )


class DetailsViewedFormatter(_RequestFormatter):
    label = _("See a visa letter request's passport details")
    message = gettext_noop("Saw the passport details of registration %(id)s (request %(request)s)")


class DetailsErasedFormatter(LogFormatter):
    label = _("Erase visa letter details after the event")

    def format_message(self, log_entry):
        data = log_entry.data
        return gettext(
            "Erased the passport details of %(count)s visa letter request(s), %(days)s days "
            "after the event"
        ) % {"count": data.get("count", 0), "days": data.get("days")}


FORMATTERS = {
    REQUESTED: RequestedFormatter,
    APPROVED: ApprovedFormatter,
    DECLINED: DeclinedFormatter,
    DETAILS_VIEWED: DetailsViewedFormatter,
    DETAILS_ERASED: DetailsErasedFormatter,
}


def register_actions(actions):
    """For the `register_log_actions` hook."""
    for action, formatter in FORMATTERS.items():
        actions.register_action(action)(formatter)
