"""Name badges as PDFs: one registration's, or every confirmed registration of a filtered
list in the registrations admin, on A6 pages (one badge a page) or A4 sheets of eight
labels (2 × 4, 105 × 74 mm).

A badge shows:

- the name as the person wrote it, or their answer to a "Name on badge" question when
  the form asks one and they answered it;
- their affiliation, when the form asks for it ("Affiliation", "Organisation",
  "Institution", …);
- their role: the registration's (attendee, speaker, organiser, press, set by the
  organisers), or the answer to a "Role" question whose answer is one of those;
- the event's name and dates in the badge's language (the one they registered in);
- the ticket's QR code, which door staff scan.

The questions are recognised by their answer key (`clean_name`), which Wagtail derives
from the English label and wagtail-localize keeps the same in every language: an editor
adds a question labelled "Name on badge" (or "Affiliation") to the form and translators
translate its label as usual. No field type of our own is needed, and the form builder
and exports treat these as ordinary questions.

Text is set by `pdf.script_text()`: each name in its own script and direction (an Urdu
name joined, right to left, in Nastaliq; a Turkish name keeps ı İ ş ğ).

Only confirmed registrations have badges: a waitlisted one has no ticket yet, a cancelled
one's ticket no longer admits anyone."""

import unicodedata
from dataclasses import dataclass

from django.db.models import Q
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from events.formatting import date_range_text
from home.languages import live_translation

from . import pdf, tickets
from .answers import answer_text
from .models import BadgeRole, RegistrationFormPage, RegistrationStatus

# Answer keys (Wagtail's clean names of the English labels) a badge reads.
NAME_KEYS = ("name_on_badge", "badge_name", "name_for_badge")
AFFILIATION_KEYS = (
    "affiliation",
    "organisation",
    "organization",
    "institution",
    "company",
    "affiliation_organisation",
    "affiliation_organization",
)
ROLE_KEYS = ("role", "badge_role", "role_at_the_conference")

A6 = "a6"
A4 = "a4"
FORMATS = {
    A6: _("A6, one badge a page"),
    A4: _("A4 sheets of 8 labels"),
}
LABELS_PER_SHEET = {A6: 1, A4: 8}
# One request renders at most this many (about 15 s on two cores, well inside the
# server's 30 s timeout; benchmarks/README.md has the figures). Larger lists are split
# with the registrations list's filters.
MAX_PER_FILE = 500


@dataclass
class Badge:
    name: str
    affiliation: str
    role: str
    role_label: str
    language: str
    event_title: str
    dates: str
    code: str

    @property
    def name_size(self):
        """A size class for the name: long names get a smaller type."""
        length = len(visible(self.name))
        if length <= 16:
            return "large"
        if length <= 28:
            return "medium"
        return "small"

    def html(self):
        """The pieces of text, marked up for their own scripts, and the QR code."""
        return {
            "name": pdf.script_text(self.name, language=self.language),
            "affiliation": pdf.script_text(self.affiliation, language=self.language),
            "role": pdf.script_text(self.role_label, language=self.language),
            "event": pdf.script_text(self.event_title, language=self.language),
            "dates": pdf.script_text(self.dates, language=self.language),
            "qr": qr_svg(self.code),
        }


def visible(text):
    """`text` without format characters (joiners, bidi marks)."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def qr_svg(code, *, title=""):
    """The ticket's QR code as an inline SVG that scales to its box (a viewBox, no fixed
    size), for PDFs and the manage page."""
    markup = tickets.qr(code).svg_inline(border=4, omitsize=True, title=title or None)
    return mark_safe(markup)  # segno's markup; the title is escaped by segno


def _answer(registration, keys):
    data = registration.form_data or {}
    for key in keys:
        text = str(answer_text(data.get(key))).strip()
        if text:
            return text
    return ""


def role_of(registration):
    """The registration's role; a form's "Role" answer counts when the organisers left the
    role at "attendee" and the answer names a role (in the source wording or the value)."""
    if registration.role != BadgeRole.ATTENDEE:
        return BadgeRole(registration.role)
    answer = _answer(registration, ROLE_KEYS).casefold()
    if answer:
        with translation.override("en"):
            for role in BadgeRole:
                if answer in (role.value, str(role.label).casefold()):
                    return role
    return BadgeRole.ATTENDEE


class EventTexts:
    """The event's title and dates per language, looked up once per language for a batch
    of badges."""

    def __init__(self, source):
        self.source = source
        self.found = {}

    def __call__(self, language):
        if language not in self.found:
            self.found[language] = self.look_up(language)
        return self.found[language]

    def look_up(self, language):
        page = live_translation(self.source, language)
        event = page.event
        with translation.override(language):
            if event is None:
                return page.title, ""
            return event.title, date_range_text(event.local_start, event.local_end)


def badge_for(registration, event_texts):
    language = registration.language
    title, dates = event_texts(language)
    role = role_of(registration)
    with translation.override(language):
        role_label = str(role.label)
    return Badge(
        name=_answer(registration, NAME_KEYS) or registration.name,
        affiliation=_answer(registration, AFFILIATION_KEYS),
        role=role.value,
        role_label=role_label,
        language=language,
        event_title=title,
        dates=dates,
        code=registration.ticket_code,
    )


def with_badges(registrations):
    """The registrations of a queryset that have a badge: confirmed, with a ticket."""
    return registrations.filter(
        ~Q(ticket_code=None) & ~Q(ticket_code=""), status=RegistrationStatus.CONFIRMED
    )


def has_badge(registration):
    return registration.status == RegistrationStatus.CONFIRMED and bool(registration.ticket_code)


def render(registrations, source, badge_format=A6):
    """PDF bytes of the badges of `registrations` (registrations of the source form page
    `source` that have a badge), sorted by name."""
    if badge_format not in FORMATS:
        raise ValueError(f"Unknown badge format: {badge_format}")
    event_texts = EventTexts(source)
    badges = sorted(
        (badge_for(registration, event_texts) for registration in registrations),
        key=lambda badge: (visible(badge.name).casefold(), badge.code),
    )
    per_sheet = LABELS_PER_SHEET[badge_format]
    sheets = [
        [(badge, badge.html()) for badge in badges[start : start + per_sheet]]
        for start in range(0, len(badges), per_sheet)
    ]
    context = {"sheets": sheets, "format": badge_format, "title": source.title}
    return pdf.render("forms_app/pdf/badges.html", context, stylesheet="badges.css")


def render_one(registration, badge_format=A6):
    """PDF bytes of one confirmed registration's badge."""
    if not has_badge(registration):
        raise ValueError("Only a confirmed registration with a ticket has a badge")
    source = RegistrationFormPage.objects.select_related("locale").get(pk=registration.page_id)
    return render([registration], source, badge_format)


def for_list(queryset):
    """The registrations of a registrations-list queryset (filters and search applied)
    that get badges, read in one query."""
    return list(with_badges(queryset).order_by().only(*BADGE_FIELDS))


BADGE_FIELDS = ("pk", "page_id", "name", "language", "role", "status", "ticket_code", "form_data")


def filename(source, badge_format, registration=None):
    slug = source.slug or f"form-{source.pk}"
    if registration is not None:
        return f"{slug}-badge-{registration.pk}.pdf"
    return f"{slug}-badges-{badge_format}.pdf"
