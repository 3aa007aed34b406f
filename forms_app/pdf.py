"""PDFs made from HTML templates with WeasyPrint: tickets and badges.

Why WeasyPrint: names and event titles come in Latin, Turkish and Urdu. WeasyPrint lays
text out through Pango and HarfBuzz (Debian's packages), so an Urdu name is shaped,
joined and set right to left in Nastaliq (Noto Nastaliq Urdu, Debian's
`fonts-noto-core`), and Turkish keeps ı, İ, ş and ğ. ReportLab needs bidi and reshaping
added and still cannot set Nastaliq (indico/indico#4237 prints names unjoined).

Text you can copy. A PDF maps each glyph to the text it stands for (`ToUnicode`), one
mapping per glyph for the whole file. Nastaliq draws a word from shared pieces (one
skeleton for ب ت ن ی …, dots as glyphs of their own), so that mapping cannot say which
letter a piece was: extracted or copied, a Nastaliq name comes out with letters missing
and spaces inside words. The PDF standard's answer is marked content: a span whose
`ActualText` says what its glyphs read. Readers differ in how they order such a span
within right-to-left text (poppler reverses it), so we do as scanned documents with a
text layer do: the visible Nastaliq glyphs get an empty `ActualText` (they are drawing,
not text), and the same words are laid over them, invisible, in Noto Naskh Arabic, whose
glyphs map one to one to letters. Search, copy and `pdftotext` then read the name
in logical order, and the eye sees Nastaliq. `script_text()` writes both layers; the
empty `ActualText` is added by `_marked_draw_text`, wrapped around WeasyPrint's
`draw_text` (the one place a text box is drawn), for elements carrying
`data-pdf-text`. tests/forms/test_badges.py fails if either stops working."""

import functools
import logging
import unicodedata
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.html import format_html

STYLES = Path(__file__).resolve().parent / "pdf_css"

# Scripts written right to left that we set in Nastaliq (Urdu is the site's one RTL
# language; a name typed in Arabic script is set the same way).
_RTL_CLASSES = {"R", "AL"}


def is_rtl(text):
    """Whether `text` is written right to left (its first strong character is)."""
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_CLASSES:
            return True
        if kind == "L":
            return False
    return False


def script_text(text, *, language=""):
    """Markup for one piece of text on a PDF (a name, an event title), with `lang` and
    `dir` from its own script, not the page's: an Urdu registrant may write their name in
    Latin letters, an English one in Urdu. Right-to-left text gets the two layers
    described above."""
    text = text or ""
    if not is_rtl(text):
        lang = language if language and language != "ur" else "en"
        return format_html('<span class="script-text" lang="{}" dir="ltr">{}</span>', lang, text)
    return format_html(
        '<span class="script-text script-text--rtl" lang="ur" dir="rtl">'
        '<span class="script-text__shown" data-pdf-text="">{}</span>'
        '<span class="script-text__layer" aria-hidden="true">{}</span>'
        "</span>",
        text,
        text,
    )


def render(template_name, context, *, stylesheet):
    """PDF bytes of `template_name` rendered with `context`, styled by
    `pdf_css/<stylesheet>`. Nothing is fetched (`data:` URLs only): the templates use local
    fonts and inline QR codes (SVG)."""
    weasyprint = _weasyprint()
    html = render_to_string(template_name, context)
    document = weasyprint.HTML(
        string=html,
        base_url=str(STYLES),
        url_fetcher=weasyprint.urls.URLFetcher(allowed_protocols=["data"]),
    )
    return document.write_pdf(stylesheets=[_stylesheet(stylesheet)])


@functools.cache
def _stylesheet(name):
    return _weasyprint().CSS(filename=str(STYLES / name))


@functools.cache
def _weasyprint():
    """WeasyPrint, loaded on first use (it takes a moment, and most processes never make a
    PDF), quiet and with `data-pdf-text` marking (see the module's docstring)."""
    # It reports each step of every rendering, loading included, at INFO level.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint
    import weasyprint.draw
    import weasyprint.urls

    if not getattr(weasyprint.draw.draw_text, "marks_actual_text", False):
        weasyprint.draw.draw_text = _marked_draw_text(weasyprint.draw.draw_text)
    return weasyprint


def _marked_draw_text(draw_text):
    import pydyf

    @functools.wraps(draw_text)
    def draw(stream, textbox, *args, **kwargs):
        element = getattr(textbox, "element", None)
        actual = element.get("data-pdf-text") if element is not None else None
        if actual is None:
            return draw_text(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(actual)}))
        try:
            return draw_text(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw.marks_actual_text = True
    return draw
