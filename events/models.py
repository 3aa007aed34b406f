"""Conference events: an index of events per language, event pages with their programme,
and the speakers and organisers chosen on them (translatable snippets)."""

import datetime as dt
import uuid
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from home import page_cache
from home.admin_editing import ContentLanguagePanel
from home.blocks import BodyBlock
from home.languages import redirect_to_own_language
from home.models import BasePage

from . import calendar, registration
from .blocks import ProgrammeBlock, day_view
from .choices import AttendanceMode, EventStatus
from .formatting import DEFAULT_TIME_ZONE, is_valid_zone, list_separator, local
from .forms import EventPageForm
from .registration import Availability
from .structured_data import event_json_ld


def _image_prefetch(lookup, *filter_specs):
    return Prefetch(lookup, queryset=get_image_model().objects.prefetch_renditions(*filter_specs))


def _prefetch_renditions(images):
    """Load the renditions of all these images in one query."""
    images = [image for image in images if image is not None]
    if images:
        prefetch_related_objects(images, "renditions")


def _items(value):
    """ListBlock raw data: items in block format ({"type", "value", "id"}) or bare."""
    for item in value or ():
        if isinstance(item, dict) and "value" in item and "type" in item:
            yield item["value"]
        else:
            yield item


def _parse_date(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _parse_time(value):
    if not value:
        return None
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(value)


def _day_value(raw):
    """A DayBlock value from raw data, with speakers left as primary keys."""
    return {
        "date": _parse_date(raw["date"]),
        "title": raw.get("title") or "",
        "sessions": [
            {
                "start": _parse_time(session.get("start")),
                "end": _parse_time(session.get("end")),
                "title": session.get("title") or "",
                "kind": session.get("kind") or "talk",
                "description": session.get("description") or "",
                "room": session.get("room") or "",
                "speakers": [pk for pk in _items(session.get("speakers")) if pk is not None],
                # After the event (events.blocks.day_view): a document's primary key, a URL.
                "slides": session.get("slides"),
                "recording": session.get("recording") or "",
            }
            for session in _items(raw.get("sessions"))
            if session.get("start")
        ],
    }


def validate_time_zone(value):
    if not is_valid_zone(value):
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Istanbul."),
            params={"value": value},
        )


class Speaker(TranslatableMixin, index.Indexed, models.Model):
    """A person on the programme. Translatable so that a visitor reads the role and bio in
    their language; the photo and link are shared by every translation."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role or affiliation"), max_length=255, blank=True)
    bio = models.TextField(_("short biography"), max_length=1500, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link = models.URLField(_("link"), blank=True)

    panels = [
        ContentLanguagePanel(),
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("link"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    override_translatable_fields = [SynchronizedField("photo"), SynchronizedField("link")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organiser(TranslatableMixin, index.Indexed, models.Model):
    """An organisation that runs an event. Several can share the credit equally."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link = models.URLField(_("website"), blank=True)

    panels = [
        ContentLanguagePanel(),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("logo"),
        FieldPanel("link"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    override_translatable_fields = [SynchronizedField("logo"), SynchronizedField("link")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerTier(models.TextChoices):
    """How a partner is credited, in the order they are shown."""

    ORGANISER = "organiser", _("Organiser")
    PARTNER = "partner", _("Partner")
    SPONSOR = "sponsor", _("Sponsor")


class Partner(TranslatableMixin, index.Indexed, models.Model):
    """An organisation credited on an event page and the home page: a co-organiser, a
    partner or a sponsor. Translatable so its name reads in the visitor's script; the
    logo, link and tier are shared by every translation. Chosen per event (`EventPartner`),
    because partners and sponsors change from one edition to the next."""

    name = models.CharField(_("name"), max_length=200)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link = models.URLField(_("website"), blank=True)
    tier = models.CharField(
        _("tier"), max_length=20, choices=PartnerTier.choices, default=PartnerTier.PARTNER
    )

    panels = [
        ContentLanguagePanel(),
        FieldPanel("name"),
        FieldPanel("tier"),
        FieldPanel("logo"),
        FieldPanel("link"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    override_translatable_fields = [
        SynchronizedField("logo"),
        SynchronizedField("link"),
        SynchronizedField("tier", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LocalisedRoutableMixin(RoutablePageMixin):
    """Routable pages skip `BasePage.serve` (the index route renders directly), so check
    here that the page is shown under its own language prefix, sub-routes included."""

    def public_subpage_url(self, name, args=None, kwargs=None):
        """The sub-route's address relative to the page: file routes (`event.ics/`) are
        published without their trailing slash, see `events.urls`."""
        suffix = self.reverse_subpage(name, args=args, kwargs=kwargs)
        return suffix[:-1] if suffix.endswith(".ics/") else suffix

    def serve(self, request, view=None, args=None, kwargs=None):
        match = getattr(request, "routable_resolver_match", None)
        suffix = ""
        if match is not None and match.url_name and match.url_name != "index_route":
            suffix = self.public_subpage_url(match.url_name, match.args, match.kwargs)
        return redirect_to_own_language(self, request, suffix) or super().serve(
            request, view, args, kwargs
        )


class EventIndexPage(LocalisedRoutableMixin, BasePage):
    """Every event of one language: upcoming first (soonest first), then past events as an
        archive (newest first). Also serves `calendar.ics`, the subscription feed: the latest
    events, past ones included."""

    intro = models.TextField(_("introduction"), max_length=1000, blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    per_page = 12

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("event index")

    def route(self, request, path_components):
        """Fetch the event with its hero image and locale in one query (Wagtail's own
        routing takes two for the page and one more for the image), and, when the event
        page itself is asked for, which registration form it shows."""
        if path_components and self.live:
            try:
                self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                events = (
                    EventPage.objects.child_of(self)
                    .filter(slug=path_components[0])
                    .select_related("hero_image", "locale")
                )
                if len(path_components) == 1:
                    events = registration.annotate_registration_page(events)
                event = events.first()
                if event is not None:
                    return event.route(request, path_components[1:])
        return super().route(request, path_components)

    def events(self):
        """Live public events below this index, upcoming before past; one query."""
        now = timezone.now()
        return (
            EventPage.objects.child_of(self)
            .live()
            .public()
            .annotate(
                in_archive=ExpressionWrapper(Q(end__lt=now), output_field=BooleanField()),
                upcoming_start=Case(When(end__gte=now, then=F("start"))),
                past_start=Case(When(end__lt=now, then=F("start"))),
            )
            .order_by(
                "in_archive",
                F("upcoming_start").asc(nulls_last=True),
                F("past_start").desc(nulls_last=True),
                "pk",
            )
            .select_related("locale")
            .prefetch_related(
                # Every rendition: `{% picture %}` asks for one per format.
                _image_prefetch("listing_image"),
                _image_prefetch("hero_image"),
            )
        )

    def upcoming_events(self):
        return self.events().filter(end__gte=timezone.now())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.events(), self.per_page)
        context["events_page"] = paginator.get_page(request.GET.get("page"))
        context["paginator"] = paginator
        return context

    # The subscription feed's bound: a subscriber's calendar keeps last years' events (a
    # feed that dropped them would delete them from the calendar), up to this many.
    CALENDAR_FEED_SIZE = 50

    def calendar_feed_events(self):
        """The most recent CALENDAR_FEED_SIZE live public events by start, past ones
        included, in date order."""
        latest = (
            EventPage.objects.child_of(self)
            .live()
            .public()
            .select_related("locale")
            .order_by("-start", "-pk")[: self.CALENDAR_FEED_SIZE]
        )
        return sorted(latest, key=lambda event: (event.start, event.pk))

    @path("calendar.ics/", name="calendar")
    def calendar_file(self, request):
        return calendar.calendar_response(
            self.calendar_feed_events(),
            request,
            name=self.title,
            filename=f"{self.slug or 'events'}-{self.locale.language_code}.ics",
        )


class EventOrganiser(Orderable):
    """An organiser credited on an event. Not translatable itself: the same organisations
    run every translation of the event; each is shown in the visitor's language."""

    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="organisers")
    organiser = models.ForeignKey(
        Organiser, verbose_name=_("organiser"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("organiser")]

    class Meta(Orderable.Meta):
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")


class EventPartner(Orderable):
    """A partner credited on an event, like `EventOrganiser`: the same partners for every
    translation of the event, each shown in the visitor's language."""

    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="partners")
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("partner")]

    class Meta(Orderable.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")


TIER_ORDER = [PartnerTier.ORGANISER, PartnerTier.PARTNER, PartnerTier.SPONSOR]


def chosen_in_language(model, links, field):
    """The snippets of `model` that `links` (Orderable rows of one event, pointing to them
    by `field`) choose, in editor order, each in the active language where translated (the
    chosen one stands in otherwise): one query."""
    language = translation.get_language()
    position = links.filter(**{f"{field}__translation_key": OuterRef("translation_key")})
    rows = (
        model.objects.filter(
            Q(pk__in=links.values(f"{field}_id"))
            | Q(
                translation_key__in=links.values(f"{field}__translation_key"),
                locale__language_code=language,
            )
        )
        .annotate(position=Subquery(position.order_by("sort_order").values("sort_order")[:1]))
        .select_related("logo", "locale")
        .order_by("position", "pk")
    )
    chosen = {}
    for snippet in rows:
        current = chosen.get(snippet.translation_key)
        if current is None or snippet.locale.language_code == language:
            chosen[snippet.translation_key] = snippet
    return list(chosen.values())


def partners_in_language(links):
    """The partners `links` (`EventPartner` rows of one event) credit, in the active
    language, by tier then editor order: one query."""
    tiers = {tier: n for n, tier in enumerate(TIER_ORDER)}
    partners = chosen_in_language(Partner, links, "partner")
    return sorted(partners, key=lambda p: tiers.get(p.tier, len(tiers)))


class EventPeople:
    """An event's speakers and organisers in its language, with their pictures' renditions,
    read in one go the first time a template asks for them (and not at all when the
    fragments that show them come from the cache)."""

    def __init__(self, event):
        self.event = event

    @cached_property
    def _loaded(self):
        by_key = self.event.speakers_in_language()
        speakers = list({s.pk: s for s in by_key.values()}.values())
        organisers = self.event.organisers_in_language()
        partners = self.event.partners_in_language()
        _prefetch_renditions(
            [
                *(s.photo for s in speakers),
                *(o.logo for o in organisers),
                *(p.logo for p in partners),
            ]
        )
        return by_key, speakers, organisers, partners

    @property
    def by_key(self):
        """Speakers by translation key (the programme refers to them that way)."""
        return self._loaded[0]

    @property
    def speakers(self):
        return self._loaded[1]

    @property
    def organisers(self):
        return self._loaded[2]

    @property
    def partners(self):
        """Partners in tier order (organisers, partners, sponsors), then editor order."""
        return self._loaded[3]


class EventPage(LocalisedRoutableMixin, BasePage):
    """One event (a conference edition): when and where, its status, its programme,
    speakers and organisers. Serves `event.ics`; shows a registration call to action when
    a live form page sits beneath it."""

    strapline = models.CharField(_("strapline"), max_length=255, blank=True)
    introduction = models.TextField(_("introduction"), max_length=1500, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_(
            "Where the event takes place, e.g. Europe/Istanbul. Start and end are entered "
            "and shown in this zone."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    attendance_mode = models.CharField(
        _("attendance"),
        max_length=20,
        choices=AttendanceMode.choices,
        default=AttendanceMode.IN_PERSON,
    )
    online_url = models.URLField(
        _("online address"), blank=True, help_text=_("Where online participants join.")
    )
    # Only confirmed registrants get the join address (forms_app.emails, the manage page).
    private_fields = ("online_url",)

    venue_name = models.CharField(_("venue"), max_length=255, blank=True)
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=120, blank=True)
    map_url = models.URLField(_("map link"), blank=True)
    # The country as a code for calendars and search engines (schema.org wants ISO 3166);
    # `country` above is the name as each language writes it.
    country_code = CountryField(
        _("country code"), blank=True, help_text=_("For search engines and calendars.")
    )
    previous_start = models.DateTimeField(
        _("previous start"),
        null=True,
        blank=True,
        help_text=_("For a rescheduled event: when it was to start."),
    )
    price = models.DecimalField(
        _("registration fee"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("0 for a free event."),
    )
    price_currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        validators=[
            RegexValidator(r"^[A-Z]{3}$", _("Give the three-letter ISO 4217 code, e.g. EUR."))
        ],
        help_text=_("ISO 4217 code, e.g. EUR, TRY, USD."),
    )

    programme = StreamField(ProgrammeBlock(), blank=True, verbose_name=_("programme"))

    # The calendar identity of the event: the same in every translation and across slug
    # changes, so calendars update the entry instead of adding a second one.
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)

    parent_page_types = ["events.EventIndexPage"]
    base_form_class = EventPageForm
    exclude_fields_in_copy = ["uid", "sequence"]

    override_translatable_fields = [
        *BasePage.override_translatable_fields,
        SynchronizedField("time_zone", overridable=False),
        SynchronizedField("start", overridable=False),
        SynchronizedField("end", overridable=False),
        SynchronizedField("uid", overridable=False),
        SynchronizedField("sequence", overridable=False),
        SynchronizedField("status", overridable=False),
        SynchronizedField("attendance_mode", overridable=False),
        SynchronizedField("postal_code"),
        SynchronizedField("country_code", overridable=False),
        SynchronizedField("previous_start", overridable=False),
        SynchronizedField("price", overridable=False),
        SynchronizedField("price_currency", overridable=False),
    ]

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("strapline"),
        FieldPanel("introduction"),
        FieldPanel("hero_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("time_zone"),
                FieldRowPanel([FieldPanel("status"), FieldPanel("attendance_mode")]),
                FieldPanel("previous_start"),
                FieldPanel("online_url"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")]),
                FieldRowPanel([FieldPanel("country"), FieldPanel("country_code")]),
                FieldPanel("map_url"),
            ],
            heading=_("Where"),
        ),
        FieldRowPanel(
            [FieldPanel("price"), FieldPanel("price_currency")], heading=_("Registration fee")
        ),
        FieldPanel("body"),
        FieldPanel("programme"),
        InlinePanel("organisers", label=_("Organisers"), heading=_("Organisers")),
        InlinePanel(
            "partners", label=_("Partners and sponsors"), heading=_("Partners and sponsors")
        ),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("strapline"),
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.SearchField("city"),
        index.FilterField("start"),
        index.FilterField("end"),
    ]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    @classmethod
    def next_in_language(cls, language):
        """(event, is_upcoming, events index) in `language`: the next event that has not
        ended, else the latest past one, for the home page."""
        events = (
            cls.objects.live()
            .public()
            .filter(locale__language_code=language)
            .select_related("hero_image", "locale")
        )
        event = events.filter(end__gte=timezone.now()).order_by("start").first()
        is_upcoming = event is not None
        if event is None:
            event = events.order_by("-start").first()
        index = (
            EventIndexPage.objects.live().public().filter(locale__language_code=language).first()
        )
        return event, is_upcoming, index

    # Dates -----------------------------------------------------------------------------
    # What a calendar entry changes with (RFC 5545: the times, the status, the location):
    # a change bumps SEQUENCE, so calendars replace their copy. The place is translated
    # text, so only the original's counts (a translator's wording is no change); the
    # times and status are synchronised with the sequence itself.
    CALENDAR_FIELDS = ("start", "end", "status")
    PLACE_FIELDS = ("venue_name", "street_address", "postal_code", "city", "country")

    def save(self, *args, **kwargs):
        """Bump SEQUENCE when the dates, status or place change. A translation receiving
        the source's new sequence does not bump it again."""
        update_fields = kwargs.get("update_fields")
        if self.pk and update_fields is None:
            names = (*self.CALENDAR_FIELDS, *self.PLACE_FIELDS)
            stored = type(self).objects.filter(pk=self.pk).values_list(*names, "sequence").first()
            if stored is not None:
                *facts, sequence = stored
                old = dict(zip(names, facts, strict=True))
                changed = any(old[name] != getattr(self, name) for name in self.CALENDAR_FIELDS)
                if not changed and any(
                    old[name] != getattr(self, name) for name in self.PLACE_FIELDS
                ):
                    changed = not Page.objects.filter(
                        translation_key=self.translation_key, pk__lt=self.pk
                    ).exists()
                if changed and self.sequence <= sequence:
                    self.sequence = sequence + 1
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The event must end after it starts.")})
        if self.status == EventStatus.RESCHEDULED and not self.previous_start:
            raise ValidationError(
                {"previous_start": _("Give the start it had before it was rescheduled.")}
            )
        if self.previous_start and self.start and self.previous_start == self.start:
            raise ValidationError(
                {"previous_start": _("The previous start is the same as the new one.")}
            )
        if (
            self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.MIXED)
            or (self.status == EventStatus.MOVED_ONLINE)
        ) and not self.online_url:
            raise ValidationError(
                {"online_url": _("Give the address where online participants join.")}
            )

    @property
    def local_start(self):
        return local(self.start, self.time_zone)

    @property
    def local_end(self):
        return local(self.end, self.time_zone)

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def is_upcoming(self):
        return not self.is_past

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    @property
    def is_online(self):
        return self.attendance_mode == AttendanceMode.ONLINE or (
            self.status == EventStatus.MOVED_ONLINE
        )

    @property
    def is_in_person(self):
        return not self.is_online

    @property
    def has_online_part(self):
        return self.is_online or self.attendance_mode == AttendanceMode.MIXED

    @property
    def effective_attendance_mode(self):
        if self.status == EventStatus.MOVED_ONLINE:
            return AttendanceMode.ONLINE
        return self.attendance_mode

    @property
    def location_line(self):
        # In the language being shown: "استنبول، ترکی" in Urdu.
        parts = (self.venue_name, self.city, self.country)
        return list_separator().join(part for part in parts if part)

    @property
    def full_address(self):
        parts = [
            self.venue_name,
            self.street_address,
            " ".join(p for p in (self.postal_code, self.city) if p),
            self.country,
        ]
        return list_separator().join(part for part in parts if part)

    @property
    def openstreetmap_url(self):
        """The map link: the editor's (`map_url`), else an OpenStreetMap search for the
        address. A link, not an embedded map: no third party is contacted until the
        visitor follows it."""
        if self.map_url:
            return self.map_url
        parts = (self.street_address, self.postal_code, self.city, self.country)
        query = ", ".join(part for part in parts if part) or self.venue_name
        if not query:
            return ""
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})

    # Programme, speakers, organisers ----------------------------------------------------
    def programme_speaker_ids(self):
        """Primary keys of the speakers chosen on the programme, in order of first
        appearance, read from the raw StreamField data (no query)."""
        seen = {}
        for day in self.programme.raw_data:
            for session in _items(day.get("value", {}).get("sessions")):
                for speaker_id in _items(session.get("speakers")):
                    if speaker_id is not None:
                        seen.setdefault(speaker_id, None)
        return list(seen)

    def programme_speakers(self):
        """Chosen speakers (in the programme's language), in order of first appearance."""
        ids = self.programme_speaker_ids()
        found = Speaker.objects.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def speakers_in_language(self):
        """`{chosen speaker pk: speaker in the visitor's language}` (the chosen speaker
        stands in when it has no translation), photos included: one query."""
        ids = self.programme_speaker_ids()
        if not ids:
            return {}
        language = translation.get_language()
        chosen = Speaker.objects.filter(pk__in=ids)
        rows = Speaker.objects.filter(
            Q(pk__in=ids)
            | Q(
                translation_key__in=chosen.values("translation_key"), locale__language_code=language
            )
        ).select_related("photo", "locale")
        by_pk = {}
        by_key = {}
        for speaker in rows:
            by_pk[speaker.pk] = speaker
            if speaker.locale.language_code == language:
                by_key[speaker.translation_key] = speaker
        return {pk: by_key.get(by_pk[pk].translation_key, by_pk[pk]) for pk in ids if pk in by_pk}

    def organisers_in_language(self):
        """The organisers in editor order, each in the visitor's language where
        translated, logos included: one query."""
        return chosen_in_language(Organiser, EventOrganiser.objects.filter(page=self), "organiser")

    def partners_in_language(self):
        """The partners by tier, then in editor order, each in the visitor's language
        where translated, logos included: one query."""
        return partners_in_language(EventPartner.objects.filter(page=self))

    def programme_days(self, speakers):
        """The programme as plain data for templates, built from the raw StreamField data
        so that rendering costs no query per block."""
        return [
            day_view(_day_value(day.get("value", {})), self.time_zone, speakers)
            for day in self.programme.raw_data
            if day.get("type") == "day"
        ]

    def route(self, request, path_components):
        result = super().route(request, path_components)
        page = result[0]
        if page is not self and page.depth == self.depth + 1:
            # A page beneath (the registration form) is handed its event, as
            # `events.registration` does, so it need not read it again.
            page.parent_event = self
        return result

    # Registration -----------------------------------------------------------------------
    def registration_page(self):
        return registration.registration_page_for(self)

    # Context and routes -----------------------------------------------------------------
    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        people = EventPeople(self)
        form_page = self.registration_page()
        availability = registration.availability(form_page)
        context.update(
            {
                # Callables, which templates call when they render them: the programme,
                # the people and the structured data are fragments cached under the page
                # cache's epoch (home/page_cache.py), and a cached one reads none of them.
                "page_cache_epoch": page_cache.epoch(),
                "speakers_in_language": lambda: people.by_key,
                "programme_days": lambda: self.programme_days(people.by_key),
                "speakers": lambda: people.speakers,
                "event_organisers": lambda: people.organisers,
                "event_partners": lambda: people.partners,
                "registration_page": form_page,
                "registration_availability": availability,
                "registration_opens_at": registration.opening(form_page)
                if availability == Availability.NOT_YET_OPEN
                else None,
                "availability_states": Availability,
                "show_registration": form_page is not None
                and not self.is_past
                and self.status != EventStatus.CANCELLED,
                "ics_url": self.ics_url(request),
                "google_calendar_url": calendar.google_calendar_url(self, request),
                "outlook_calendar_url": calendar.outlook_calendar_url(self, request),
                "json_ld": lambda: event_json_ld(
                    self,
                    request,
                    performers=people.speakers,
                    organisers=people.organisers,
                    sponsors=people.partners,
                    form_page=form_page,
                    availability=availability,
                ),
            }
        )
        return context

    @path("event.ics/", name="ics")
    def calendar_file(self, request):
        return calendar.calendar_response(
            [self],
            request,
            name=self.title,
            filename=f"{self.slug or 'event'}-{self.locale.language_code}.ics",
        )

    def ics_url(self, request=None):
        return self.get_url(request) + self.public_subpage_url("ics")
