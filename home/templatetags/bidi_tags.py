"""Latin fragments inside right-to-left text: "(.ics)" in an Urdu sentence is laid out by
the bidi algorithm as "(ics.)" (the dot and brackets are neutral and take the Urdu
direction). `{{ text|isolate_latin }}` wraps each Latin run, with brackets around it, in
`<bdi dir="ltr">` when the page is right to left; in left-to-right languages it only
escapes the text."""

import re

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# A run of Latin letters and digits with the punctuation file names and codes use inside
# it ("(.ics)", "UTC+3", "PDF"), with its brackets.
LATIN_RUN = re.compile(r"\(?\.?[A-Za-z0-9][A-Za-z0-9.+:/_-]*\)?")


@register.filter
def isolate_latin(text):
    text = str(text)
    if not translation.get_language_bidi():
        return conditional_escape(text)
    parts = []
    position = 0
    for match in LATIN_RUN.finditer(text):
        parts.append(conditional_escape(text[position : match.start()]))
        parts.append(format_html('<bdi dir="ltr">{}</bdi>', match.group()))
        position = match.end()
    parts.append(conditional_escape(text[position:]))
    return mark_safe("".join(str(part) for part in parts))
