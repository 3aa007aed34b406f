"""The content blocks editors compose pages from. Each declares an icon, a template and a
preview value, so the block picker shows what a block looks like before it is chosen."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


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


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {}
