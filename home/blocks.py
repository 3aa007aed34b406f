"""The content blocks editors compose pages from. Each declares an icon, a template and a
preview value, so the block picker shows what a block looks like before it is chosen."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock, EmbedValue
from wagtail.images.blocks import ImageChooserBlock

from .embeds import video_for


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200, label=_("Text"))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
        label=_("Level"),
    )

    class Meta:
        icon = "title"
        template = "home/blocks/heading.html"
        label = _("Heading")
        preview_value = {"text": "The programme at a glance", "level": "h2"}
        description = _("A section heading; it also structures the page for screen readers.")


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link", "document-link", "ol", "ul", "h3"])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "home/blocks/paragraph.html"
        label = _("Paragraph")
        preview_value = (
            "<p>Diaspora groups and individuals meet to share a year of work and plan the "
            "next one together.</p>"
        )


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        max_length=250,
        required=False,
        label=_("Alternative text"),
        help_text=_("Describe the image for people who cannot see it. Empty uses the title."),
    )
    caption = blocks.CharBlock(max_length=250, required=False, label=_("Caption"))

    class Meta:
        icon = "image"
        template = "home/blocks/image.html"
        label = _("Image")
        preview_value = {"caption": "Participants in a working-group session"}


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=1000, label=_("Quote"))
    attribution = blocks.CharBlock(max_length=200, required=False, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        template = "home/blocks/quote.html"
        label = _("Quote")
        preview_value = {
            "quote": "A gathering of equals, where teamwork leaves room for initiative.",
            "attribution": "The organisers",
        }


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, label=_("Title"))
    text = blocks.TextBlock(max_length=500, required=False, label=_("Text"))
    button_label = blocks.CharBlock(max_length=80, label=_("Button label"))
    page = blocks.PageChooserBlock(required=False, label=_("Page"))
    url = blocks.URLBlock(required=False, label=_("Or an external address"))

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or enter an address."))}
            )
        return value

    class Meta:
        icon = "pick"
        template = "home/blocks/call_to_action.html"
        label = _("Call to action")
        preview_value = {
            "title": "Join the next conference",
            "text": "Registration is open in English, Turkish and Urdu.",
            "button_label": "Register",
            "url": "https://example.org/",
        }


PREVIEW_VIDEO_URL = "https://www.youtube.com/watch?v=M7lc1UVf-VE"


class VideoEmbedBlock(EmbedBlock):
    """The address of a video or live stream on YouTube, Vimeo or a PeerTube instance
    listed in `EMBED_PEERTUBE_HOSTS` (home/embeds.py). Any other address is refused here,
    with a message that says which are accepted. wagtail-localize keeps the address the
    same in every language (a translator may override it, e.g. for a dubbed recording)."""

    # An empty (optional) embed is an EmbedValue without an address rather than None:
    # wagtail-localize 1.14 reads `.url` of every EmbedBlock value when it extracts a
    # page's segments, and fails on None (wagtail/wagtail-localize#875), which would make
    # every event with a session without a recording untranslatable. Stored, it is "" as
    # before; templates go by the address (`video_for`), never by the value's truth.
    def get_default(self):
        return super().get_default() or EmbedValue("")

    def to_python(self, value):
        return super().to_python(value) or EmbedValue("")

    def normalize(self, value):
        return super().normalize(value) or EmbedValue("")

    def clean(self, value):
        url = value.url if isinstance(value, EmbedValue) else value
        if url and video_for(url) is None:
            raise ValidationError(
                _(
                    "Give the address of a video on YouTube, Vimeo or one of these PeerTube "
                    "sites: %(hosts)s."
                ),
                params={"hosts": ", ".join(sorted(settings.EMBED_PEERTUBE_HOSTS)) or "–"},
            )
        # The URL field's own checks; not EmbedBlock's, which would look the embed up and
        # store it in the database for nothing (nothing is fetched: see home/embeds.py).
        return super(EmbedBlock, self).clean(value) or EmbedValue("")

    class Meta:
        icon = "media"
        template = "home/blocks/video_embed.html"
        label = _("Video address")
        preview_value = PREVIEW_VIDEO_URL


class VideoBlock(blocks.StructBlock):
    """A live stream or a recording, shown as a placeholder until the visitor chooses to
    load it from the provider (home/embeds.py)."""

    video = VideoEmbedBlock(
        label=_("Video address"),
        help_text=_(
            "The address of the video or live stream on YouTube, Vimeo or PeerTube, as "
            "you would share it."
        ),
    )
    title = blocks.CharBlock(
        max_length=200,
        label=_("Title"),
        help_text=_("Shown before the video is loaded, and read out by screen readers."),
    )

    class Meta:
        icon = "media"
        template = "home/blocks/video.html"
        label = _("Video or live stream")
        preview_value = {"video": PREVIEW_VIDEO_URL, "title": "Opening plenary (recording)"}
        description = _(
            "A live stream or a recording from YouTube, Vimeo or PeerTube. Visitors see a "
            "placeholder and load the video themselves, so nothing is shared with the "
            "provider before they choose to."
        )


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    video = VideoBlock()

    class Meta:
        block_counts = {}
