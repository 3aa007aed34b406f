"""Which language a request is in, and keeping each page under its own language prefix."""

from django.shortcuts import redirect
from django.utils import translation
from wagtail.models import Locale

from . import page_cache


def locale_ids():
    """`{language code: Locale id}`, kept in the page cache (emptied when a Locale is
    saved or deleted, see `home.apps`)."""
    return page_cache.remember(
        "locale-ids", lambda: dict(Locale.objects.values_list("language_code", "pk"))
    )


def active_locale_id():
    """The id of the active language's `Locale`."""
    return locale_ids().get(translation.get_language())


def live_translation(page, language_code):
    """`page`'s live translation in `language_code` (as its own class), else `page`
    itself: what a registrant reads in their language, in an email, a PDF or a link."""
    if page is None or page.locale.language_code == language_code:
        return page
    locale_id = locale_ids().get(language_code)
    if locale_id is not None:
        translated = page.get_translation_or_none(locale_id)
        if translated is not None and translated.live:
            return translated.specific
    return page


def redirect_to_own_language(page, request, suffix=""):
    """A redirect to the page's own address when it is being served under another
    language's prefix, else None.

    Wagtail routes `/tr/...` through the Turkish home page when it is live and falls back
    to the default language's tree otherwise; a page must never be shown under another
    language's prefix. `suffix` is a routable page's sub-route (`event.ics`, `thanks/`)."""
    if request is None or page.locale_id == active_locale_id():
        return None
    return redirect(page.get_url(request) + suffix)
