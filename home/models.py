from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from . import sitemap
from .addresses import page_url
from .admin_editing import ContentLanguagePanel
from .blocks import BodyBlock
from .languages import redirect_to_own_language


class BasePage(Page):
    """Fields every public page type shares: how the page looks when listed (cards, search
    results) and when shared on social media. Later page types (events, registration forms)
    inherit them, so listings and social tags work the same everywhere."""

    listing_title = models.CharField(
        _("listing title"),
        max_length=255,
        blank=True,
        help_text=_("A shorter title for cards and listings. Empty uses the page title."),
    )
    listing_summary = models.TextField(
        _("listing summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences for cards and search results."),
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared. Empty uses the listing image."),
    )

    # Slugs go through ASCII slugify: Turkish letters are dropped and Urdu slugs come out
    # empty. One slug for every language keeps URLs stable and readable.
    override_translatable_fields = [SynchronizedField("slug")]

    # The title, and which language the content is written in (and its direction).
    content_panels = [*Page.content_panels, ContentLanguagePanel()]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [
                FieldPanel("listing_title"),
                FieldPanel("listing_summary"),
                FieldPanel("listing_image"),
            ],
            heading=_("Listings"),
        ),
        FieldPanel("social_image"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("listing_summary")]

    # Fields no cache may hold (the page cache remembers a routed page's row): left out of
    # the remembered row, and read from the database by a request that needs them.
    private_fields = ()

    class Meta:
        abstract = True

    @property
    def card_title(self):
        return self.listing_title or self.title

    @property
    def share_image(self):
        return self.social_image or self.listing_image

    # What the head's meta tags say (site/templates/includes/page_meta.html) ----------------
    # Fields that may describe a page, in order, after the editor's search description.
    description_fields = ("listing_summary", "introduction", "intro", "hero_intro", "strapline")

    def meta_description(self):
        """The meta and social description: the search description, else the summary or
        introduction (its first 300 characters, on a word boundary)."""
        for name in ("search_description", *self.description_fields):
            text = " ".join(str(getattr(self, name, "") or "").split())
            if text:
                return text if len(text) <= 300 else text[:300].rsplit(" ", 1)[0] + "…"
        return ""

    def meta_title(self):
        """What the page is (its SEO title, else its title)."""
        return self.seo_title or self.title

    def title_context(self, site_title=""):
        """Where the page is, after its title in `<title>`: the event it belongs to for
        pages under an event (registration forms and surveys have an `event`), else the
        site (`site_title`: this language's home page title). Empty on the home page."""
        if self.depth <= 2:
            return ""
        event = getattr(self, "event", None)
        if event is not None and event is not self:
            return event.title
        return site_title

    def share_image_or_fallback(self):
        """The image shared on social media: the social or listing image, else the hero."""
        return self.share_image or getattr(self, "hero_image", None)

    def get_sitemap_urls(self, request=None):
        # Wagtail's sitemap hook: the public address, and the page in the other languages.
        return [
            {
                **entry,
                "location": page_url(self, request),
                "alternates": sitemap.alternates(self, request),
            }
            for entry in super().get_sitemap_urls(request)
        ]

    def serve(self, request, *args, **kwargs):
        return redirect_to_own_language(self, request) or super().serve(request, *args, **kwargs)


class HomePage(BasePage):
    """The front page of one language's tree: a hero that says what the conference is, a
    flexible body, and the next event (filled in by the events app)."""

    hero_title = models.CharField(_("hero title"), max_length=255, blank=True)
    hero_intro = models.TextField(_("hero introduction"), max_length=1000, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["wagtailcore.Page"]

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_intro"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("hero_intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("home page")


class StandardPage(BasePage):
    """A plain content page (About, Organisers, Privacy, …): an introduction and a body
    built from the shared content blocks."""

    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["home.HomePage", "home.StandardPage"]

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("body")]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("standard page")


class FooterText(TranslatableMixin, models.Model):
    """The text at the foot of every page, one per language. A translatable snippet rather
    than a site setting, because settings are per site while the footer must be per
    language (and translated with the same workflow as pages)."""

    organisers = models.CharField(
        _("organisers line"),
        max_length=255,
        help_text=_("Who runs the conference, e.g. the organising bodies."),
    )
    body = RichTextField(_("body"), features=["bold", "italic", "link"], blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from every page; shown in the visitor's language where translated."),
    )

    panels = [
        ContentLanguagePanel(),
        FieldPanel("organisers"),
        FieldPanel("body"),
        FieldPanel("contact_email"),
        FieldPanel("privacy_page"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("footer text")
        verbose_name_plural = _("footer text")

    def __str__(self):
        return f"{self.organisers} ({self.locale})"
