"""Building blocks for demo content written in several languages at once.

Content is declared once, with every string in every language side by side; `english()`
gives the source-language value to save, and `strings()` the table of source text to
translated text that wagtail-localize imports for each other language."""

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class T:
    """One string in the three demo languages."""

    en: str
    tr: str
    ur: str

    def get(self, language_code):
        return getattr(self, language_code)


@dataclass(frozen=True)
class Para:
    """A rich-text paragraph. wagtail-localize makes each paragraph one segment whose text
    is the paragraph's inner text."""

    text: T


def english(value):
    """The source (English) form of a nested content declaration."""
    if isinstance(value, T):
        return value.en
    if isinstance(value, Para):
        return f"<p>{escape(value.text.en, quote=False)}</p>"
    if isinstance(value, dict):
        return {key: english(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [english(item) for item in value]
    return value


def strings(value, language_code, table=None):
    """Every source string in `value` mapped to its `language_code` translation."""
    table = {} if table is None else table
    if isinstance(value, T):
        table[value.en] = value.get(language_code)
    elif isinstance(value, Para):
        table[escape(value.text.en, quote=False)] = escape(
            value.text.get(language_code), quote=False
        )
    elif isinstance(value, dict):
        for item in value.values():
            strings(item, language_code, table)
    elif isinstance(value, list | tuple):
        for item in value:
            strings(item, language_code, table)
    return table


def stream(*blocks):
    """Raw StreamField data from (block type, value) pairs."""
    return [{"type": block_type, "value": value} for block_type, value in blocks]
