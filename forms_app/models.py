import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail_localize.fields import SynchronizedField

from events.models import LocalisedRoutableMixin
from home.models import BasePage

from .panels import RegistrationsPanel


class RegistrationFormField(TranslatableMixin, AbstractFormField):
    """A question on a registration form. Translatable, so that translators translate its
    label, help text and choices; its answer key (`clean_name`), type and "required" flag
    are synchronised from the source language and never translated, so every language
    version of a form has the same answer schema."""

    page = ParentalKey("RegistrationFormPage", on_delete=models.CASCADE, related_name="form_fields")

    override_translatable_fields = [
        SynchronizedField("clean_name", overridable=False),
        SynchronizedField("field_type", overridable=False),
        SynchronizedField("required", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")


class RegistrationFormPage(LocalisedRoutableMixin, AbstractEmailForm, BasePage):
    """A registration form, usually placed under an event page. Every language version
    feeds one pool of registrations (kept on the source-language page), with capacity, a
    waiting list, an opening window, confirmation emails and a private manage link.

    Name, email address and privacy consent are asked on every form and need not be
    added as fields; editors add the event's own questions."""

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

    confirmation_subject = models.CharField(
        _("confirmation email subject"), max_length=255, blank=True
    )
    confirmation_body = models.TextField(
        _("confirmation email text"),
        max_length=5000,
        blank=True,
        help_text=_(
            "Opens the confirmation email. Placeholders: {name}, {event}, {dates}, {manage_url}."
        ),
    )

    override_translatable_fields = [
        *BasePage.override_translatable_fields,
        # Email addresses are not text to translate (a machine translation of a
        # CharField address once broke publishing).
        SynchronizedField("to_address"),
        SynchronizedField("from_address"),
    ]

    parent_page_types = ["events.EventPage", "home.HomePage", "home.StandardPage"]
    subpage_types = []
    template = "forms_app/registration_form_page.html"
    landing_page_template = "forms_app/registration_thanks.html"
    from .admin_views import RegistrationsListView as submissions_list_view_class

    content_panels = [
        *AbstractEmailForm.content_panels,
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
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            ],
            heading=_("Places and dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("confirmation_subject"),
                FieldPanel("confirmation_body"),
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Emails"),
        ),
        *Page.settings_panels,
    ]

    class Meta:
        verbose_name = _("registration form page")

    def remembered_with_route(self):
        """Kept with the page's route by `home.routing`, so that serving the form (and
        every POST) needs no query for them: the original's id and the event's start."""
        source = self.source_page()
        event = source.event
        return {
            "source_page_id": source.pk,
            "source_event_start": event.start if event is not None else None,
        }

    # The pool ----------------------------------------------------------------------------
    def source_page(self):
        """The page every language version's registrations belong to: the original (the
        first created of the translations)."""
        if getattr(self, "_source_page", None) is not None:
            return self._source_page
        known = getattr(self, "source_page_id", None)  # remembered with the route
        if known == self.pk:
            self._source_page = self
        elif known is not None:
            self._source_page = type(self).objects.filter(pk=known).first() or self
        else:
            original = (
                Page.objects.filter(translation_key=self.translation_key).order_by("pk").first()
            )
            self._source_page = (
                self if original is None or original.pk == self.pk else original.specific
            )
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
        from .answers import RegistrationFormBuilder

        return RegistrationFormBuilder.for_page(self).get_form_class()

    def get_data_fields(self):
        """Columns of the registrations list and exports, labelled in the source language."""
        source = self.source_page()
        return [
            ("submit_time", _("Registered at")),
            ("name", _("Name")),
            ("email", _("Email")),
            ("status", _("Status")),
            ("language", _("Language")),
            *((field.clean_name, field.label) for field in source.form_fields.all()),
        ]

    # Event and window ------------------------------------------------------------------
    @property
    def event(self):
        """The event page this form sits under, or None (e.g. a volunteer sign-up)."""
        from events.models import EventPage

        if not hasattr(self, "_event"):
            parent = getattr(self, "_cached_parent_obj", None)  # set by the event page
            if parent is not None:
                self._event = parent.specific if parent.specific_class is EventPage else None
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
        if hasattr(self, "source_event_start"):
            return self.source_event_start  # remembered with the route
        event = source.event
        return event.start if event is not None else None

    def window_state(self, now=None):
        """ "not_yet_open", "closed" or "open" at `now`."""
        now = now or timezone.now()
        opens_at = self.source_page().opens_at
        if opens_at and now < opens_at:
            return "not_yet_open"
        closes_at = self.effective_closes_at
        if closes_at and now >= closes_at:
            return "closed"
        return "open"

    def registration_availability(self):
        """What the event page and its structured data show: "open", "full",
        "not_yet_open" or "closed" (read by `events.registration`)."""
        state = self.window_state()
        if state != "open":
            return state
        from .capacity import seats_left

        if not self.source_page().waiting_list and seats_left(self) == 0:
            return "full"
        return "open"

    # Serving ---------------------------------------------------------------------------
    @path("")
    def form_view(self, request):
        from .views import form_view

        return form_view(self, request)

    @path("thanks/", name="thanks")
    def thanks_view(self, request):
        from .views import thanks_view

        return thanks_view(self, request)

    @path("manage/<str:token>/", name="manage")
    def manage_view(self, request, token):
        from .views import manage_view

        return manage_view(self, request, token)

    @path("manage/<str:token>/calendar/", name="manage_calendar")
    def manage_calendar_view(self, request, token):
        from .views import manage_calendar_view

        return manage_calendar_view(self, request, token)

    def serve_preview(self, request, mode_name):
        from .views import preview

        return preview(self, request, mode_name)


class RegistrationPool(models.Model):
    """The row registrations for one form lock while they take a seat, so that seats are
    counted and taken by one registrant at a time without locking the Wagtail page row
    (which editors' publishing would otherwise contend for)."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Pool for page {self.page_id}"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def new_manage_token():
    return secrets.token_urlsafe(32)


def normalise_email(address):
    return (address or "").strip().casefold()


class Registration(AbstractFormSubmission):
    """One person's registration for one form, whichever language they registered in.
    It belongs to the source-language form page, so deleting or unpublishing a translation
    never touches it; answers are stored under the synchronised answer keys, with choices
    in their source-language wording."""

    # Replaces the abstract submission's CASCADE: a form with registrations cannot be
    # deleted by accident, registrations go only through the privacy commands.
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
        permissions = [("manage_registrations", "Can see and manage registrations")]

    def __str__(self):
        return f"{self.name} <{self.email}> ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.email_key = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    def get_data(self):
        return {
            "name": self.name,
            "email": self.email,
            "status": self.get_status_display(),
            "language": self.language,
            **self.form_data,
            "submit_time": self.submit_time,
        }


class EmailKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Confirmation")
    WAITLISTED = "waitlisted", _("Waiting-list notice")
    PROMOTED = "promoted", _("Promotion notice")
    DETAILS_AGAIN = "details_again", _("Details sent again")
    CANCELLED = "cancelled", _("Cancellation notice")
    ORGANISER = "organiser", _("Organiser notification")


class OutgoingEmail(models.Model):
    """An email owed to a registrant or the organisers. Written in the same transaction as
    the change that causes it and sent after commit; a failed send stays here to be
    retried (`manage.py retry_emails`), and a sent one is never sent again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=20, choices=EmailKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="outgoing_email_status")]

    def __str__(self):
        return f"{self.get_kind_display()} for registration {self.registration_id} ({self.status})"
