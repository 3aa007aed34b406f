"""Language negotiation for a site where every public URL carries a language prefix."""

import re

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

_FIRST_SEGMENT = re.compile(r"^/([a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]+)?)(?:/|$)")


def unserved_language_prefix(path):
    """The language code a path starts with when it is a real language we do not publish
    in (`/de/...`), else None. `/about/` is not a language prefix."""
    match = _FIRST_SEGMENT.match(path)
    if not match:
        return None
    code = match.group(1).lower().replace("_", "-")
    served = {lang for lang, _name in settings.LANGUAGES}
    if code in served or code not in LANG_INFO:
        return None
    return code


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that a path under a language we do not publish in
    (`/de/about/`) is a 404 in the default language instead of a redirect to
    `/en/de/about/`, which would only 404 one step later."""

    def process_request(self, request):
        if unserved_language_prefix(request.path_info):
            request.unserved_language = True
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        if getattr(request, "unserved_language", False):
            response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)
