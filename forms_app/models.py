import datetime
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.forms.models import (
    AbstractForm,
    AbstractFormField,
    AbstractFormSubmission,
    validate_to_address,
)
from wagtail.contrib.routable_page.models import path
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail_localize.fields import SynchronizedField

from events.models import EventPage, LocalisedRoutableMixin
from events.registration import Availability
from home import page_cache
from home.models import BasePage

from .answers import answer_column, distinct_labels
from .forms import RegistrationFormBuilder, SurveyFormBuilder
from .panels import RegistrationsPanel
from .registration_window import RegistrationFormPageForm

REMINDER_PATTERN = re.compile(r"^([1-9][0-9]{0,2})([dh])$")


def parse_reminders(text):
    """The reminder offsets in `text` ("7d, 1d, 3h") as (key, timedelta) pairs, longest
    first, without repeats; ValueError for anything else. The key ("7d") names the
    reminder in the outbox, so that each is sent once per registrant."""
    offsets = {}
    for part in (text or "").replace("،", ",").split(","):
        part = part.strip().lower()
        if not part:
            continue
        match = REMINDER_PATTERN.match(part)
        if match is None:
            raise ValueError(part)
        number, unit = int(match.group(1)), match.group(2)
        delta = datetime.timedelta(days=number) if unit == "d" else datetime.timedelta(hours=number)
        offsets[f"{number}{unit}"] = delta
    return sorted(offsets.items(), key=lambda item: item[1], reverse=True)


def validate_reminders(text):
    try:
        parse_reminders(text)
    except ValueError as error:
        raise ValidationError(
            _("“%(part)s” is not a number of days or hours, such as 7d or 3h."),
            params={"part": str(error)},
        ) from None


class TranslatedQuestion(TranslatableMixin, AbstractFormField):
    """A question of a form page that is translated. Translators translate its label, help
    text and choices; its answer key (`clean_name`), type and "required" flag are
    synchronised from the source language and never translated, so every language
    version of a form has the same answer schema."""

    override_translatable_fields = [
        SynchronizedField("clean_name", overridable=False),
        SynchronizedField("field_type", overridable=False),
        SynchronizedField("required", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        abstract = True


class RegistrationFormField(TranslatedQuestion):
    """A question on a registration form."""

    page = ParentalKey("RegistrationFormPage", on_delete=models.CASCADE, related_name="form_fields")

    class Meta(TranslatedQuestion.Meta):
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")


class RegistrationFormPage(LocalisedRoutableMixin, AbstractForm, BasePage):
    """A registration form, usually placed under an event page. Every language version
    feeds one pool of registrations (kept on the source-language page), with capacity, a
    waiting list, an opening window, confirmation emails and a private manage link.

    Name, email address and privacy consent are asked on every form and need not be
    added as fields; editors add the event's own questions.

    Built on `AbstractForm`, not `AbstractEmailForm`: where registration emails go and
    what they say are not page fields an editor or translator can change, but
    `RegistrationEmailSettings`, edited by registration managers only."""

    intro = models.TextField(_("introduction"), max_length=2000, blank=True)
    thank_you_text = RichTextField(
        _("thank-you text"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown after registering, above the note about the email we send."),
    )

    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Confirmed places across all languages. Empty: no limit."),
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_(
            "When full, further registrants join a waiting list instead of being turned away."
        ),
    )
    opens_at = models.DateTimeField(
        _("opens at"), null=True, blank=True, help_text=_("Empty: open as soon as published.")
    )
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("Empty: closes when the event starts."),
    )

    offers_online = models.BooleanField(
        _("online places"),
        default=False,
        help_text=_(
            "Registrants choose between a place in person and a place online. The capacity "
            "above is then the in-person places; online places have their own, below, and "
            "their own waiting list."
        ),
    )
    online_capacity = models.PositiveIntegerField(
        _("online capacity"),
        null=True,
        blank=True,
        help_text=_("Confirmed online places across all languages. Empty: no limit."),
    )
    reminders = models.CharField(
        _("reminders"),
        max_length=100,
        blank=True,
        default="7d, 1d",
        validators=[validate_reminders],
        help_text=_(
            "When registrants are reminded, before the event starts: days (7d) or hours "
            "(3h), separated by commas. Empty: no reminders."
        ),
    )
    visa_letters = models.BooleanField(
        _("visa invitation letters"),
        default=False,
        help_text=_(
            "Confirmed registrants may ask for a visa invitation letter from their "
            "registration page; registration managers approve or decline each request."
        ),
    )

    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the consent checkbox, in the registrant's language."),
    )
    consent_text = models.CharField(
        _("consent text"),
        max_length=255,
        default=(
            "I agree that my data is used to organise the conference, as described in the "
            "privacy notice."
        ),
    )

    override_translatable_fields = [
        *BasePage.override_translatable_fields,
        # A setting, not text: read from the source page (`reminders.py`).
        SynchronizedField("reminders", overridable=False),
    ]

    parent_page_types = ["events.EventPage", "home.HomePage", "home.StandardPage"]
    # The registration window in the event's time zone (registration_window.py).
    base_form_class = RegistrationFormPageForm
    subpage_types = []
    template = "forms_app/registration_form_page.html"
    landing_page_template = "forms_app/registration_thanks.html"
    # Plugged in by `FormsAppConfig.ready()`, see "Serving" below.
    submissions_list_view_class = None  # admin_views.RegistrationsListView
    public_views = None  # forms_app.views

    content_panels = [
        *BasePage.content_panels,
        RegistrationsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Questions")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldPanel("privacy_page"), FieldPanel("consent_text")],
            heading=_("Consent"),
        ),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("waiting_list")]),
                FieldRowPanel([FieldPanel("offers_online"), FieldPanel("online_capacity")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            ],
            heading=_("Places and dates"),
        ),
        MultiFieldPanel(
            [FieldPanel("reminders"), FieldPanel("visa_letters")],
            heading=_("Before the event"),
        ),
        HelpPanel(
            content=_(
                "Who is told of new registrations, the sender of the emails and the "
                "confirmation texts are set by registration managers, under “Email "
                "settings” in this form's registrations."
            ),
            heading=_("Emails"),
        ),
        *Page.settings_panels,
    ]

    class Meta:
        verbose_name = _("registration form page")

    # The pool ----------------------------------------------------------------------------
    @classmethod
    def source_pages(cls):
        """The registration form pages that are the original of their translations (what
        `source_page()` returns, which owns the registrations), as a `Page` queryset."""
        earlier_translation = Page.objects.filter(
            translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk")
        )
        return Page.objects.type(cls).exclude(Exists(earlier_translation))

    def source_page(self):
        """The page every language version's registrations belong to: the original (the
        first created of the translations)."""
        if getattr(self, "_source_page", None) is not None:
            return self._source_page
        original_id = getattr(self, "original_page_id", None)  # annotated by events
        if original_id is None:
            # Which page is the original changes only when one is deleted: a new epoch.
            original_id = page_cache.remember(
                f"original:{self.translation_key}",
                lambda: (
                    Page.objects.filter(translation_key=self.translation_key)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                    .first()
                ),
            )
        original = None
        if original_id is not None and original_id != self.pk:
            original = type(self).objects.filter(pk=original_id).first()
        self._source_page = original or self
        return self._source_page

    def get_submission_class(self):
        return Registration

    def get_submissions(self):
        return Registration.objects.filter(page=self.source_page())

    # Questions -----------------------------------------------------------------------
    def get_form_fields(self):
        # Prefetched by the form views; ordered by the synchronised sort order.
        return self.form_fields.all()

    def get_form_class(self):
        return RegistrationFormBuilder.for_page(self).get_form_class()

    def get_data_fields(self):
        """Columns of the registrations list and the exports: the built-in ones, then the
        source page's questions under namespaced keys (`answer_column()`), so that a
        question labelled "Status" or "Language" has a column of its own. The labels are
        text in the active language, a question's made distinct from the others' ("Status
        (question)")."""
        source = self.source_page()
        columns = [
            ("submit_time", _("Registered at")),
            ("name", _("Name")),
            ("email", _("Email")),
            ("status", _("Status")),
            ("language", _("Language")),
            *([("attendance", _("Attendance"))] if source.offers_online else []),
            *((answer_column(field.clean_name), field.label) for field in source.form_fields.all()),
        ]
        labels = distinct_labels(label for _key, label in columns)
        return [(key, label) for (key, _label), label in zip(columns, labels, strict=True)]

    # Event and window ------------------------------------------------------------------
    @property
    def event(self):
        """The event page this form sits under, or None (e.g. a volunteer sign-up)."""
        if not hasattr(self, "_event"):
            # Given by the event page that found this form (`events.registration`).
            parent = getattr(self, "parent_event", None)
            if parent is not None:
                self._event = parent if isinstance(parent, EventPage) else None
            else:
                # The parent in one query (get_parent() and .specific take two).
                parent_path = self.path[: -self.steplen]
                self._event = (
                    EventPage.objects.filter(path=parent_path).select_related("locale").first()
                )
        return self._event

    @property
    def effective_closes_at(self):
        # Settings and dates come from the source page: a translation's copies of them
        # only catch up when the translation is synced.
        source = self.source_page()
        if source.closes_at:
            return source.closes_at

        def event_start():
            event = source.event
            return event.start if event is not None else None

        # The event's start changes only when it is published (or moved): a new epoch.
        return page_cache.remember(f"event-start:{source.pk}", event_start)

    def window_state(self, now=None):
        """`Availability.NOT_YET_OPEN`, `CLOSED` or `OPEN` at `now`, by the dates alone."""
        now = now or timezone.now()
        opens_at = self.source_page().opens_at
        if opens_at and now < opens_at:
            return Availability.NOT_YET_OPEN
        closes_at = self.effective_closes_at
        if closes_at and now >= closes_at:
            return Availability.CLOSED
        return Availability.OPEN

    def registration_availability(self):
        """The `Availability` the event page and its structured data show (read by
        `events.registration`): the window's state, or FULL when it is open but every
        place is taken and there is no waiting list."""
        state = self.window_state()
        if state != Availability.OPEN:
            return state
        source = self.source_page()
        unlimited = any(capacity is None for _option, capacity in source.attendance_options())
        if unlimited or source.waiting_list:
            return Availability.OPEN
        # Remembered under the page-cache epoch, so that an event page does not count a
        # big form's registrations on every view: the form becomes full only when its
        # last place is taken, and stops being full when one is freed or more are
        # published, and each of those starts a new epoch (`services`,
        # `signals.availability_changed`; a publish). The registration itself counts
        # again under the pool's lock.
        full = page_cache.remember(f"full:{source.pk}", lambda: source.seats_left() == 0)
        return Availability.FULL if full else Availability.OPEN

    # Places ----------------------------------------------------------------------------
    # A form has one pool of places, or two when it `offers_online`: in-person places
    # (`capacity`) and online places (`online_capacity`), each with its own count and
    # waiting list. Both are counted under the form's one pool lock (`services`). Call
    # these on the source page (`source_page()`), which keeps every language's
    # registrations.
    def attendance_options(self):
        """[(attendance, capacity or None)]: the pools registrants choose from."""
        source = self.source_page()
        if not source.offers_online:
            return [(Attendance.IN_PERSON, source.capacity)]
        return [
            (Attendance.IN_PERSON, source.capacity),
            (Attendance.ONLINE, source.online_capacity),
        ]

    def pool_attendance(self, attendance):
        """The pool a registration with `attendance` is counted in: its own on a form
        with online places, else the one pool (None: every registration)."""
        if not self.source_page().offers_online:
            return None
        return attendance or Attendance.IN_PERSON

    def capacity_for(self, attendance):
        source = self.source_page()
        if source.offers_online and attendance == Attendance.ONLINE:
            return source.online_capacity
        return source.capacity

    def confirmed_count(self, attendance=None):
        """Confirmed registrations kept on this page, in the pool of `attendance` when
        given (`pool_attendance()`)."""
        confirmed = Registration.objects.filter(
            page_id=self.pk, status=RegistrationStatus.CONFIRMED
        )
        if attendance is not None:
            confirmed = confirmed.filter(attendance=attendance)
        return confirmed.count()

    def seats_left(self, attendance=None):
        """Free confirmed places in the pool of `attendance`, or in all pools together;
        None where there is no limit."""
        source = self.source_page()
        if attendance is not None:
            capacity = source.capacity_for(attendance)
            if capacity is None:
                return None
            return max(capacity - source.confirmed_count(source.pool_attendance(attendance)), 0)
        options = source.attendance_options()
        if any(capacity is None for _option, capacity in options):
            return None
        if len(options) == 1:
            return max(options[0][1] - source.confirmed_count(), 0)
        return sum(source.seats_left(option) for option, _capacity in options)

    def is_full_without_waiting_list(self, seats_left=None):
        """Whether a registrant would be turned away now, whatever they choose
        (`seats_left` if already counted)."""
        if self.source_page().waiting_list:
            return False
        return (self.seats_left() if seats_left is None else seats_left) == 0

    # Serving ---------------------------------------------------------------------------
    # The routes are declared here, on the page, because Wagtail's RoutablePageMixin
    # resolves and reverses them from the page class (`reverse_subpage("manage")`). What
    # they do is view work (forms, redirects, messages, templates) that registers and
    # cancels through the services, which use these models: it lives in forms_app.views,
    # and the admin's registrations list in admin_views. The models do not import either
    # (that would be a cycle: views -> services -> models -> views). Instead the app
    # config hands both to the page class once, at start-up, in the same way Wagtail
    # itself takes `submissions_list_view_class`: one explicit place (apps.py) where the
    # layers are joined, visible to readers and import checkers, unlike a lookup by
    # dotted name, and with no view logic pulled down into the models.
    @classmethod
    def plug_in_views(cls, *, public_views, submissions_list_view_class):
        """Called once by `FormsAppConfig.ready()`."""
        cls.public_views = public_views
        cls.submissions_list_view_class = submissions_list_view_class

    @path("")
    def form_view(self, request):
        return self.public_views.form_view(self, request)

    @path("thanks/", name="thanks")
    def thanks_view(self, request):
        return self.public_views.thanks_view(self, request)

    @path("manage/<str:token>/", name="manage")
    def manage_view(self, request, token):
        return self.public_views.manage_view(self, request, token)

    @path("manage/<str:token>/calendar/", name="manage_calendar")
    def manage_calendar_view(self, request, token):
        return self.public_views.manage_calendar_view(self, request, token)

    @path("manage/<str:token>/ticket/", name="manage_ticket")
    def manage_ticket_view(self, request, token):
        return self.public_views.manage_ticket_view(self, request, token)

    @path("manage/<str:token>/certificate/", name="manage_certificate")
    def manage_certificate_view(self, request, token):
        return self.public_views.manage_certificate_view(self, request, token)

    @path("manage/<str:token>/visa/", name="manage_visa")
    def manage_visa_view(self, request, token):
        return self.public_views.manage_visa_view(self, request, token)

    @path("manage/<str:token>/visa-letter/", name="manage_visa_letter")
    def manage_visa_letter_view(self, request, token):
        return self.public_views.manage_visa_letter_view(self, request, token)

    def serve_preview(self, request, mode_name):
        return self.public_views.preview(self, request, mode_name)


class RegistrationPool(models.Model):
    """The row registrations for one form lock while they take a seat, so that seats are
    counted and taken by one registrant at a time without locking the Wagtail page row
    (which editors' publishing would otherwise contend for)."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Pool for page {self.page_id}"


# What a confirmation text may contain, filled in for each registrant (emails.py).
CONFIRMATION_PLACEHOLDERS = ("name", "event", "dates", "manage_url")
PLACEHOLDER_PATTERN = re.compile(r"\{([^{}\s]*)\}")


def unknown_placeholders(text):
    """The `{…}` placeholders in `text` that are not CONFIRMATION_PLACEHOLDERS."""
    return sorted(set(PLACEHOLDER_PATTERN.findall(text or "")) - set(CONFIRMATION_PLACEHOLDERS))


class RegistrationEmailSettings(models.Model):
    """Where a registration form's emails go and what they say: the organisers told of
    each new registration, the sender, and the confirmation subject and text in each
    site language. One per source form page (the page that owns the registrations, see
    `RegistrationFormPage.source_page()`), whatever language a registrant uses.

    Why not fields of the form page: whoever can edit or translate a page could then
    route every new registrant's personal data to an address of their choosing, change
    the sender, or rewrite what registrants are told; Wagtail editors (and translators,
    whose wagtail-localize editor ignores panel permissions) are not trusted with
    registrants' data. So these are edited only by registration managers and superusers,
    in the registrations admin (`email_settings.RegistrationEmailSettingsView`), each change
    logged. The organiser notification itself carries no personal data either: the form,
    the registration's number and status, and a link into the admin."""

    page = models.OneToOneField(
        Page, verbose_name=_("form"), on_delete=models.CASCADE, related_name="+"
    )
    organiser_addresses = models.CharField(
        _("organiser addresses"),
        max_length=1000,
        blank=True,
        validators=[validate_to_address],
        help_text=_(
            "Told of each new registration (with a link to the registrations, never the "
            "registrant's details). Separate several addresses with commas. Empty: no one "
            "is told."
        ),
    )
    organiser_subject = models.CharField(
        _("organiser email subject"),
        max_length=255,
        blank=True,
        help_text=_("Empty: “New registration for” and the event's title."),
    )
    from_address = models.EmailField(
        _("sender address"),
        blank=True,
        help_text=_("The From address of every email about this form. Empty: the site's."),
    )
    # {"tr": {"subject": "…", "body": "…"}, …} for the languages in settings.LANGUAGES
    # (a JSON field, so a site language added later needs no migration). A language
    # without its own text gets the built-in wording, in that language.
    confirmation_texts = models.JSONField(_("confirmation texts"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration email settings")
        verbose_name_plural = _("registration email settings")

    def __str__(self):
        return f"Registration email settings of page {self.page_id}"

    @classmethod
    def for_page(cls, source_page):
        """The settings of a source form page: the stored row, else unsaved defaults."""
        page_id = getattr(source_page, "pk", source_page)
        return cls.objects.filter(page_id=page_id).first() or cls(page_id=page_id)

    @classmethod
    def notifies_organisers(cls, source_page):
        # Asked on every registration; a save of the settings starts a new epoch (apps.py).
        return page_cache.remember(
            f"notifies-organisers:{source_page.pk}",
            lambda: (
                cls.objects.filter(page_id=source_page.pk).exclude(organiser_addresses="").exists()
            ),
        )

    def organiser_recipients(self):
        return [a.strip() for a in self.organiser_addresses.split(",") if a.strip()]

    def sender(self):
        return self.from_address or settings.DEFAULT_FROM_EMAIL

    def confirmation_for(self, language_code):
        """(subject, body) of the confirmation in `language_code`; "" where unset."""
        text = (self.confirmation_texts or {}).get(language_code) or {}
        return (text.get("subject") or "").strip(), (text.get("body") or "").strip()


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def new_manage_token():
    return secrets.token_urlsafe(32)


def new_ticket_code():
    """A ticket's code: 20 random characters from an alphabet a door scanner and a person
    reading it aloud cannot confuse (no 0/O, 1/I/L), about 100 bits."""
    return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_CODE_LENGTH))


TICKET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TICKET_CODE_LENGTH = 20


class BadgeRole(models.TextChoices):
    """What a badge says a person is at the event."""

    ATTENDEE = "attendee", _("Attendee")
    SPEAKER = "speaker", _("Speaker")
    ORGANISER = "organiser", _("Organiser")
    PRESS = "press", _("Press")


class Attendance(models.TextChoices):
    """How a registrant takes part, on a form with online places (`offers_online`): each
    has its own capacity and waiting list, counted under the form's one pool lock."""

    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


def normalise_email(address):
    return (address or "").strip().casefold()


class Registration(AbstractFormSubmission):
    """One person's registration for one form, whichever language they registered in.
    It belongs to the source-language form page, so deleting or unpublishing a translation
    never touches it; answers are stored under the synchronised answer keys, with choices
    in their source-language wording.

    A registration is deleted only through `forms_app.privacy`: a registration manager
    deleting it in the admin and `forget_person` erase it the same way (`privacy.erase`:
    its place goes to the waiting list, the promoted person is emailed, the deleted one
    is not), `purge_registrations` removes those of events long over; each is logged in
    Wagtail's audit log (`forms_app.audit`) with ids and counts only."""

    # Replaces the abstract submission's CASCADE: a form with registrations cannot be
    # deleted by accident; registrations go only through `forms_app.privacy`.
    page = models.ForeignKey(Page, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, db_index=True
    )
    language = models.CharField(_("language"), max_length=12, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    email_key = models.CharField(max_length=254, editable=False)
    manage_token = models.CharField(max_length=64, unique=True, default=new_manage_token)
    # One per form render: a double click or a refresh of the POST re-sends the same
    # token, which the database refuses to store twice.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    privacy_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("privacy notice revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # Shown at the door (QR code on the ticket), so it is not the manage token, which
    # must stay private. Issued when the registration is confirmed (at once, on promotion
    # from the waiting list, or at the door); kept when cancelled, so that a scan of a
    # cancelled ticket says so instead of "unknown".
    ticket_code = models.CharField(
        _("ticket code"), max_length=32, unique=True, null=True, blank=True, editable=False
    )
    role = models.CharField(
        _("role"), max_length=16, choices=BadgeRole.choices, default=BadgeRole.ATTENDEE
    )
    # Registered at the door by a registrar rather than through the form.
    walk_in = models.BooleanField(_("walk-in"), default=False)
    attendance = models.CharField(
        _("attendance"), max_length=16, choices=Attendance.choices, default=Attendance.IN_PERSON
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "email_key"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="one_active_registration_per_email",
            ),
            models.UniqueConstraint(
                fields=["page", "submission_token"],
                condition=Q(submission_token__isnull=False),
                name="one_registration_per_submission",
            ),
        ]
        indexes = [
            models.Index(fields=["page", "status", "submit_time"], name="registration_pool_status"),
            models.Index(fields=["email_key"], name="registration_email_key"),
        ]
        permissions = [
            ("manage_registrations", "Can see and manage registrations"),
            ("check_in_registrations", "Can check people in at the door"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}> ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.email_key = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    def issue_ticket(self):
        """Give a confirmed registration its ticket code (once; the caller saves)."""
        if not self.ticket_code:
            self.ticket_code = new_ticket_code()
        return self.ticket_code

    def get_data(self, *, status_label=None):
        """The row for `RegistrationFormPage.get_data_fields()`: built-in columns, and the
        answers under their namespaced keys (an answer never overwrites a built-in)."""
        return {
            "submit_time": self.submit_time,
            "name": self.name,
            "email": self.email,
            "status": self.get_status_display() if status_label is None else status_label,
            "language": self.language,
            "attendance": self.get_attendance_display(),
            **{answer_column(key): value for key, value in self.form_data.items()},
        }


class EmailKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Confirmation")
    WAITLISTED = "waitlisted", _("Waiting-list notice")
    PROMOTED = "promoted", _("Promotion notice")
    DETAILS_AGAIN = "details_again", _("Details sent again")
    CANCELLED = "cancelled", _("Cancellation notice")
    ORGANISER = "organiser", _("Organiser notification")
    # After the event, to each registration checked in at least once (send_certificates).
    CERTIFICATE = "certificate", _("Certificate of attendance")
    # Before the event, once per registrant and reminder offset (send_reminders).
    REMINDER = "reminder", _("Reminder")
    # The event's date, time, place or status changed and was published.
    EVENT_CHANGED = "event_changed", _("Event changed")
    # Written by registration managers to a filtered set of registrants.
    MESSAGE = "message", _("Message from the organisers")
    VISA_LETTER = "visa_letter", _("Visa invitation letter")
    VISA_DECLINED = "visa_declined", _("Visa letter declined")


class OutgoingEmail(models.Model):
    """An email owed to a registrant or the organisers. Written in the same transaction as
    the change that causes it and sent after commit, outside the request (a task worker)
    and outside any transaction: a sender first claims the row (`sending`, `claimed_at`)
    in a short transaction, talks to the mail server with no lock held, then records the
    outcome. A failed send, or a claim older than its lease (a worker died mid-send), is
    retried by the scheduler (`manage.py retry_emails`); a sent one is never sent again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=20, choices=EmailKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What this email is one of, where a registrant must get it once: a reminder's offset
    # ("7d"), an event change's calendar sequence ("sequence-3" / "status-…"), a
    # message's id. The database refuses a second row for the same registration, kind
    # and occasion, so two workers scheduling at once send one.
    occasion = models.CharField(max_length=40, blank=True, default="")
    message = models.ForeignKey(
        "RegistrantMessage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
    )
    # The throttle (`OUTBOX_EMAILS_PER_MINUTE`): a bulk send's emails are spread out, and
    # the sender leaves each until its time.
    not_before = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "created_at"], name="outgoing_email_status"),
            # The throttle books minutes after the latest `not_before` (`messaging`).
            models.Index(
                fields=["not_before"],
                condition=Q(not_before__isnull=False),
                name="outgoing_email_not_before",
            ),
        ]
        constraints = [
            # A certificate is sent once per registration, however often and by however
            # many workers `send_certificates` runs: the second insert is refused.
            models.UniqueConstraint(
                fields=["registration", "kind"],
                condition=Q(kind="certificate"),
                name="one_certificate_email_per_registration",
            ),
            models.UniqueConstraint(
                fields=["registration", "kind", "occasion"],
                condition=~Q(occasion=""),
                name="one_email_per_occasion",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for registration {self.registration_id} ({self.status})"


class CheckIn(models.Model):
    """One person let in on one day of an event. A multi-day event has one row per day, so
    day 2 never says "already checked in" because of day 1. The unique constraint is what
    makes a check-in idempotent: two staff scanning the same ticket at once insert one row.
    Undoing a mistaken check-in deletes the row (and is logged)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="check_ins"
    )
    day = models.DateField(_("day"))
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="one_check_in_per_day")
        ]
        indexes = [models.Index(fields=["day", "registration"], name="check_in_day")]

    def __str__(self):
        return f"{self.registration_id} on {self.day}"


class RegistrantMessage(models.Model):
    """A message registration managers wrote to some of a form's registrants (say "all
    confirmed, Turkish"): kept as the record of what was sent, by whom, when and to how
    many. Each recipient's copy is an `OutgoingEmail` (kind MESSAGE, `message` set, the
    occasion its id), so it goes through the outbox like every other email: sent once,
    retried on failure, throttled."""

    page = models.ForeignKey(
        Page, verbose_name=_("form"), on_delete=models.CASCADE, related_name="+"
    )
    # {"en": {"subject": "…", "body": "…"}, "tr": {…}}: a registrant gets their language's
    # version, else the source language's.
    texts = models.JSONField(_("texts"), default=dict)
    # The filters it was sent with: {"status": [...], "language": [...], "checked_in": "…"}.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("message to registrants")
        verbose_name_plural = _("messages to registrants")
        ordering = ["-created_at"]

    def __str__(self):
        return f"Message {self.pk} to registrants of page {self.page_id}"


class NotifiedEventFacts(models.Model):
    """What registrants of an event were last told about when and where it is, and its
    status: on each publish of the event the facts are compared with these, and a change
    emails every active registrant once ("the event changed"), then these are updated."""

    event = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="+")
    facts = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Facts registrants know of event {self.event_id}"


class VisaLetterStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class VisaLetterRequest(models.Model):
    """A confirmed registrant's request for a visa invitation letter, and the registration
    managers' decision on it.

    The passport details (name as in the passport, nationality, passport number and
    expiry, date of birth, consulate city) are the most sensitive personal data the site
    holds: they are stored only as one Fernet token (`sealed_details`, see
    `forms_app.visa`), encrypted with a key from the environment, shown decrypted only
    to registration managers, and never written to logs, exports or the organisers'
    notification. They go with the registration (CASCADE, so `purge_registrations` and
    `forget_person` erase them) and on their own, `VISA_DATA_RETENTION_DAYS` after the
    event (`details_erased_at`)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="visa_letter"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=VisaLetterStatus.choices,
        default=VisaLetterStatus.REQUESTED,
        db_index=True,
    )
    sealed_details = models.TextField(editable=False, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    # Given on approval; printed on the letter and looked up by the verification page.
    reference = models.CharField(
        _("reference"), max_length=32, unique=True, null=True, blank=True, editable=False
    )
    details_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("visa letter request")
        verbose_name_plural = _("visa letter requests")

    def __str__(self):
        return f"Visa letter request of registration {self.registration_id} ({self.status})"


@register_setting(icon="doc-full")
class VisaLetterhead(BaseGenericSetting):
    """The organiser's letterhead and wording for visa invitation letters: who invites,
    from where, who signs, and who pays. One for the site; edited by registration
    managers (the migration gives their group the permission)."""

    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    address = models.TextField(_("address"), max_length=1000, blank=True)
    contact = models.CharField(
        _("contact line"), max_length=255, blank=True, help_text=_("Telephone, email, website.")
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    costs_statement = models.TextField(
        _("who pays"),
        max_length=2000,
        blank=True,
        help_text=_(
            "The letter's statement of who pays for travel, accommodation and the stay, in English."
        ),
    )
    costs_statement_tr = models.TextField(
        _("who pays (Turkish)"),
        max_length=2000,
        blank=True,
        help_text=_("The same statement in Turkish. Empty: letters are in English only."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("address"),
                FieldPanel("contact"),
                FieldPanel("logo"),
            ],
            heading=_("Letterhead"),
        ),
        MultiFieldPanel(
            [FieldPanel("signatory_name"), FieldPanel("signatory_title"), FieldPanel("signature")],
            heading=_("Signed by"),
        ),
        MultiFieldPanel(
            [FieldPanel("costs_statement"), FieldPanel("costs_statement_tr")],
            heading=_("Costs"),
        ),
    ]

    class Meta:
        verbose_name = _("visa letterhead")


class FeedbackFormField(TranslatedQuestion):
    """A question of a feedback survey."""

    page = ParentalKey("FeedbackFormPage", on_delete=models.CASCADE, related_name="form_fields")

    class Meta(TranslatedQuestion.Meta):
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")


class FeedbackFormPage(LocalisedRoutableMixin, AbstractForm, BasePage):
    """A feedback survey under an event, linked from the after-event email. Answered once
    per registrant, through their manage token (so not open to anonymous spam), in any
    language; every language version's answers are kept on the source page."""

    intro = models.TextField(_("introduction"), max_length=2000, blank=True)
    thank_you_text = RichTextField(
        _("thank-you text"), blank=True, features=["bold", "italic", "link"]
    )

    override_translatable_fields = [*BasePage.override_translatable_fields]

    parent_page_types = ["events.EventPage"]
    subpage_types = []
    template = "forms_app/feedback_form_page.html"
    landing_page_template = "forms_app/feedback_thanks.html"
    # Plugged in by `FormsAppConfig.ready()`, as for the registration form.
    public_views = None  # forms_app.feedback_views
    submissions_list_view_class = None  # feedback_views.FeedbackResultsView

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Questions")),
        FieldPanel("thank_you_text"),
    ]

    class Meta:
        verbose_name = _("feedback survey page")

    def source_page(self):
        """The survey every language version's answers belong to: the original."""
        if getattr(self, "_source_page", None) is None:
            original = (
                type(self)
                .objects.filter(translation_key=self.translation_key)
                .order_by("pk")
                .first()
            )
            self._source_page = original or self
        return self._source_page

    def get_form_fields(self):
        return self.form_fields.all()

    def get_form_class(self):
        return SurveyFormBuilder.for_page(self).get_form_class()

    def get_submission_class(self):
        return FeedbackResponse

    def get_submissions(self):
        return FeedbackResponse.objects.filter(page=self.source_page())

    def get_data_fields(self):
        """The results' columns: when, in which language, then the source page's
        questions (no name or address: the answers are read for what they say)."""
        source = self.source_page()
        columns = [
            ("submit_time", _("Answered at")),
            ("language", _("Language")),
            *((answer_column(field.clean_name), field.label) for field in source.form_fields.all()),
        ]
        labels = distinct_labels(label for _key, label in columns)
        return [(key, label) for (key, _label), label in zip(columns, labels, strict=True)]

    @classmethod
    def plug_in_views(cls, *, public_views, submissions_list_view_class):
        cls.public_views = public_views
        cls.submissions_list_view_class = submissions_list_view_class

    @path("<str:token>/", name="answer")
    def answer_view(self, request, token):
        return self.public_views.answer_view(self, request, token)

    @path("<str:token>/thanks/", name="thanks")
    def thanks_view(self, request, token):
        return self.public_views.thanks_view(self, request, token)

    @path("")
    def no_token_view(self, request):
        return self.public_views.no_token_view(self, request)


class FeedbackResponse(AbstractFormSubmission):
    """One registrant's answers to a feedback survey: at most one per registration and
    survey (the constraint refuses a second, from a double click or a second tab). Kept
    on the source survey page, whatever language it was answered in."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="feedback_responses"
    )
    language = models.CharField(_("language"), max_length=12, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("feedback response")
        verbose_name_plural = _("feedback responses")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "registration"], name="one_feedback_response_per_registration"
            )
        ]

    def get_data(self):
        return {
            "submit_time": self.submit_time,
            "language": self.get_language_display(),
            **{answer_column(key): value for key, value in self.form_data.items()},
        }
