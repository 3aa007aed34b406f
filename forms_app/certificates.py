"""Certificates of attendance: a one-page PDF for a registration checked in at least once,
in the registrant's language, naming the days they were checked in on, the event's name,
dates and venue, and a reference the organisers can verify.

Who has one: a registration that is not cancelled and has at least one `CheckIn` row
(so a confirmed registrant, or a walk-in, who came through the door). A cancelled
registration's certificate is revoked: the reference still looks up, and says so.

The reference is `<registration id>-<16 characters>`, the characters an HMAC of the id
keyed with the SECRET_KEY (`django.utils.crypto.salted_hmac`, salted for this purpose
only), in base 32 (80 bits; no 0/1/8/9, nothing a person reading it over the phone to a
funder can confuse). Nothing is stored, so no migration and nothing to leak: it cannot be
guessed or forged without the key, and the verification page (`certificate_views`)
recomputes it. Rotating SECRET_KEY invalidates earlier references (list the old key in
SECRET_KEY_FALLBACKS to keep them valid, which `salted_hmac`'s callers here honour).

Rendered with WeasyPrint through `forms_app.pdf`, as the ticket and the badges: every
piece of text is set by `pdf.script_text()`, so an Urdu name is joined, right to left,
in Nastaliq, and copyable.

This module imports no emails or views: the certificate email is built in
`forms_app.emails`, which imports this."""

import base64
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from events.formatting import date_range_text, format_date, format_weekday_date
from home.languages import live_translation

from . import pdf
from .models import CheckIn, Registration, RegistrationFormPage, RegistrationStatus

SALT = "forms_app.certificates.reference"
CODE_LENGTH = 16
_REFERENCE = re.compile(rf"^(\d{{1,12}})-([A-Z2-7]{{{CODE_LENGTH}}})$")


# Who has a certificate -------------------------------------------------------------------


def attended_days(registration):
    """The days `registration` was checked in on, in order."""
    return list(
        CheckIn.objects.filter(registration_id=registration.pk)
        .order_by("day")
        .values_list("day", flat=True)
    )


def has_certificate(registration, event=None, now=None):
    """Whether `registration` gets a certificate now: not cancelled, checked in at least
    once, and its event (when given) has started."""
    if registration.status == RegistrationStatus.CANCELLED:
        return False
    if event is not None and event.start > (now or timezone.now()):
        return False
    return CheckIn.objects.filter(registration_id=registration.pk).exists()


# References ------------------------------------------------------------------------------


def _code(registration_id, secret=None):
    digest = salted_hmac(SALT, str(registration_id), secret=secret, algorithm="sha256").digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def reference(registration):
    """The certificate's reference: the registration's id and its HMAC code."""
    return f"{registration.pk}-{_code(registration.pk)}"


def normalise_reference(text):
    """`text` as typed or read aloud: spaces removed, upper case."""
    return "".join((text or "").split()).upper()


def registration_for_reference(text):
    """The registration a reference names, or None when it is malformed, forged or the
    registration no longer exists. The code is compared in constant time, against the
    current key and any fallback key."""
    match = _REFERENCE.match(normalise_reference(text))
    if match is None:
        return None
    registration_id, code = int(match.group(1)), match.group(2)
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(code, _code(registration_id, key)) for key in keys):
        return None
    return Registration.objects.filter(pk=registration_id).first()


class Verdict:
    VALID = "valid"
    REVOKED = "revoked"  # the registration was cancelled
    NO_ATTENDANCE = "no_attendance"  # its check-ins were undone
    UNKNOWN = "unknown"  # malformed, forged, or deleted


@dataclass
class Verification:
    verdict: str
    registration: Registration | None = None
    event_title: str = ""
    days: list = field(default_factory=list)

    @property
    def is_valid(self):
        return self.verdict == Verdict.VALID


def verify(text):
    """What a reference says: whose certificate it is, for which event and days, or that
    it is unknown or no longer valid."""
    registration = registration_for_reference(text)
    if registration is None:
        return Verification(Verdict.UNKNOWN)
    source = RegistrationFormPage.objects.select_related("locale").get(pk=registration.page_id)
    event = source.event
    title = event.title if event is not None else source.title
    days = attended_days(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        verdict = Verdict.REVOKED
    elif not days:
        verdict = Verdict.NO_ATTENDANCE
    else:
        verdict = Verdict.VALID
    return Verification(verdict, registration, title, days)


# The PDF ---------------------------------------------------------------------------------


def context_for(registration, days=None):
    """The certificate's texts (marked up by `pdf.script_text`) in the registrant's
    language. The event's dates come from the source event (a translation's copies of
    them catch up only when it is synced), its name and venue from the translation."""
    source = RegistrationFormPage.objects.select_related("locale").get(pk=registration.page_id)
    language = registration.language
    days = attended_days(registration) if days is None else days
    event = source.event
    shown = live_translation(event, language) if event is not None else None
    page = live_translation(source, language)

    def text(value):
        return pdf.script_text(value, language=language) if value else ""

    with translation.override(language):
        title = shown.title if shown is not None else page.title
        dates = date_range_text(event.local_start, event.local_end) if event is not None else ""
        where = shown.location_line if shown is not None else ""
        return {
            "language": language,
            "bidi": translation.get_language_bidi(),
            "title": title,
            "heading": text(gettext("Certificate of attendance")),
            "certify": text(gettext("This is to certify that")),
            "name": text(registration.name),
            "attended": text(gettext("attended")),
            "event": text(title),
            "dates": text(dates),
            "where": text(where),
            "days_label": text(gettext("Days attended")),
            "days": [text(format_weekday_date(day)) for day in days],
            "reference_label": text(gettext("Reference")),
            "reference": reference(registration),
            "verify_note": text(
                gettext("The organisers can confirm this certificate by its reference.")
            ),
            "issued": text(
                gettext("Issued on %(date)s") % {"date": format_date(timezone.localdate())}
            ),
        }


def render(registration):
    """PDF bytes of the certificate of a registration that has one."""
    days = attended_days(registration)
    if registration.status == RegistrationStatus.CANCELLED or not days:
        raise ValueError("Only a registration checked in at least once has a certificate")
    context = context_for(registration, days)
    return pdf.render("forms_app/pdf/certificate.html", context, stylesheet="certificate.css")


def filename(registration):
    return f"certificate-{registration.pk}.pdf"
