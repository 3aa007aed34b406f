from django.utils import translation


def site_language(request):
    """`lang` and `dir` for the `<html>` element, from the active language, which the URL's
    language prefix sets (and which matches the page's locale: pages are only served
    under their own prefix)."""
    return {
        "HTML_LANG": translation.get_language() or "",
        "LANGUAGE_DIRECTION": "rtl" if translation.get_language_bidi() else "ltr",
    }
