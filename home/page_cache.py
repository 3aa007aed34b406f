"""Full-page cache for anonymous visitors.

A page served by Wagtail to a visitor without a session, messages or authorisation is
kept in Django's cache (Redis when `REDIS_URL` is set, so every app process shares it) and
served from there with no database query, for `PAGE_CACHE_SECONDS` (0 turns it off).

Why our own middleware and not wagtail-cache: wagtail-cache clears its whole cache backend
on publish (with Redis, a FLUSHDB of the database that also holds sessions and rate
limits, unless it gets a Redis database of its own) and keys entries by Django's
`Vary: Cookie` learning, so a visitor with only a CSRF cookie gets entries of their own.
Here, invalidation is a generation number: the one `home.navigation` already keeps for the
header and footer, bumped when a page is saved, published, unpublished, moved or deleted,
when the footer or an image changes (`home.apps`) and when a speaker or an organiser
changes (`events.apps`). An entry made under an older generation is never served again.

An event page also shows whether registration is open or full, which changes without a
publish. Each entry therefore also records a per-page generation (keyed by the page's
`translation_key`, so it covers every language), which `forms_app` bumps for the event
above a form when its availability may have changed (`forms_app.signals`).

What is never cached: anything but GET/HEAD; requests carrying a session, messages or
Authorization; anything not served by Wagtail's page view (admin, previews, search, the
health check, calendar files, documents); responses that are not 200, that stream, set a
cookie, used the CSRF token, vary on anything but Cookie/Accept-Encoding or carry their own
`Cache-Control` (the registration form, thank-you and manage pages send `no-store,
private`). Password-protected pages render a form with a CSRF token, so they are not
cached either.

Public entries get `Cache-Control: public, max-age, s-maxage, stale-while-revalidate` (and
lose `Vary: Cookie`, which would stop a CDN from sharing them); a page served to a signed-in
or session-holding visitor gets `private, no-cache`."""

import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_cache_control

from . import generations, navigation

ENTRY_PREFIX = "page-cache:entry:"
PAGE_GENERATION_PREFIX = "page-cache:page:"
STATUS_HEADER = "X-Page-Cache"
# Cookies that make a request personal: its page may show messages, a signed-in user, a
# passed page password. (The CSRF cookie alone does not: cached pages carry no token.)
PRIVATE_COOKIES = ("messages",)
# Headers stored with an entry are the response's own; these are added per request by
# middleware outside this one or must not be replayed.
_SKIP_HEADERS = {"set-cookie", "x-request-id", STATUS_HEADER.lower()}
_ALLOWED_VARY = {"cookie", "accept-encoding"}

logger = logging.getLogger(__name__)

# Each process also keeps its most recent entries in memory, so that a hit needs neither
# to fetch and unpickle the page nor (while this process's memory of the two generations
# is fresh, see home.generations) any round trip to the shared cache at all.
LOCAL_ENTRIES = 256
_local = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key):
    with _local_lock:
        expires, entry = _local.get(key, (0, None))
        if expires < time.monotonic():
            _local.pop(key, None)
            return None
        _local.move_to_end(key)
        return entry


def _local_put(key, entry, timeout):
    with _local_lock:
        _local[key] = (time.monotonic() + timeout, entry)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def forget_local():
    """Drop this process's copies of entries (tests do, when they empty the cache)."""
    with _local_lock:
        _local.clear()


def seconds():
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def invalidate(**kwargs):
    """Every cached page (and the cached site chrome) is stale from now on."""
    navigation.invalidate()


def invalidate_page(translation_key):
    """The cached copies of one page, in every language, are stale from now on."""
    if translation_key:
        generations.bump(_page_generation_key(translation_key))


def invalidate_page_and_parent(page_id):
    """Page `page_id` and its parent, in every language (a form page and the event page
    above it, which shows the form's availability)."""
    if not seconds():
        return
    from wagtail.models import Page

    path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if not path:
        return
    keys = Page.objects.filter(path__in=[path, path[: -Page.steplen]], depth__gt=1).values_list(
        "translation_key", flat=True
    )
    for key in keys:
        invalidate_page(key)


def _is_private_request(request):
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or any(name in cookies for name in PRIVATE_COOKIES)
        or "HTTP_AUTHORIZATION" in request.META
    )


def _under_language_prefix(path):
    """Wagtail pages are served only under a language prefix (config/urls.py); the admin,
    /healthz, static files and documents never reach the cache."""
    return any(path.startswith(f"/{code}/") for code, _name in settings.LANGUAGES)


def cache_query(request):
    """The part of the query string a cached page may depend on: the parameters our pages
    read (`PAGE_CACHE_QUERY_PARAMETERS`, e.g. `page` of a listing) with well-formed values,
    in a fixed order. Anything else (`?utm_source=…`, `?junk=123`) is left out of the key,
    so it neither changes the page nor creates an entry of its own."""
    kept = []
    for name in sorted(set(getattr(settings, "PAGE_CACHE_QUERY_PARAMETERS", ()))):
        value = request.GET.get(name, "")
        if value.isascii() and value.isdigit() and len(value) <= 6:
            kept.append(f"{name}={int(value)}")
    return "&".join(kept)


def _entry_key(request):
    return f"{ENTRY_PREFIX}{request.scheme}://{request.get_host()}{request.path}?{cache_query(request)}"


def _page_generation_key(translation_key):
    return f"{PAGE_GENERATION_PREFIX}{translation_key}"


def public_cache_control(response):
    ttl = seconds()
    patch_cache_control(
        response,
        public=True,
        max_age=min(ttl, int(getattr(settings, "PAGE_CACHE_BROWSER_SECONDS", 60))),
        s_maxage=ttl,
        stale_while_revalidate=int(getattr(settings, "PAGE_CACHE_STALE_SECONDS", 60)),
    )


def _drop_vary_cookie(response):
    if not response.has_header("Vary"):
        return
    kept = [v for v in cc_delim_re.split(response["Vary"]) if v and v.lower() != "cookie"]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


class PageCacheMiddleware:
    """Goes after WhiteNoise and before the session middleware: a hit skips sessions,
    locale, CSRF, authentication and the view, while the request id, security and CSP
    headers are still added by the middleware outside it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not seconds()
            or request.method not in ("GET", "HEAD")
            or not _under_language_prefix(request.path_info)
        ):
            return self.get_response(request)
        if _is_private_request(request):
            response = self.get_response(request)
            if _is_page_view(request) and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response

        key = _entry_key(request)
        try:
            generation = navigation._generation()
            hit = self._serve_local(key, generation)
            if hit is None:
                entry = cache.get(key)
                hit = self._serve(key, entry, generation) if entry is not None else None
        except Exception:
            # The cache is down: serve the page (and let /healthz say so), store nothing.
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        if hit is not None:
            return hit

        response = self.get_response(request)
        translation_key = self._cacheable_page(request, response)
        if translation_key is None:
            return response
        _drop_vary_cookie(response)
        public_cache_control(response)
        try:
            self._store(key, response, generation, translation_key)
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
            return response
        response[STATUS_HEADER] = "miss"
        return response

    def _store(self, key, response, generation, translation_key):
        page_generation = generations.current(_page_generation_key(translation_key))
        headers = [(k, v) for k, v in response.items() if k.lower() not in _SKIP_HEADERS]
        entry = (generation, translation_key, page_generation, response.content, headers)
        cache.set(key, entry, seconds())
        _local_put(key, entry, seconds())

    def _serve_local(self, key, generation):
        entry = _local_get(key)
        if entry is None or not self._current(entry, generation):
            return None
        return self._response(entry)

    def _current(self, entry, generation):
        entry_generation, translation_key, page_generation, _content, _headers = entry
        return entry_generation == generation and page_generation == generations.current(
            _page_generation_key(translation_key)
        )

    def _serve(self, key, entry, generation):
        if not self._current(entry, generation):
            return None
        # At most the page-cache lifetime from now, though the shared copy may expire
        # sooner: the generations still decide.
        _local_put(key, entry, seconds())
        return self._response(entry)

    def _response(self, entry):
        _generation, _translation_key, _page_generation, content, headers = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response[STATUS_HEADER] = "hit"
        return response

    def _cacheable_page(self, request, response):
        """The served page's translation_key when the response may be shared, else None."""
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or response.has_header("Cache-Control")
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or getattr(request, "is_preview", False)
            or not _is_page_view(request)
        ):
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        if response.has_header("Vary"):
            vary = {v.lower() for v in cc_delim_re.split(response["Vary"]) if v}
            if not vary <= _ALLOWED_VARY:
                return None
        page = (getattr(response, "context_data", None) or {}).get("page")
        return getattr(page, "translation_key", None) and str(page.translation_key)


def _is_page_view(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "wagtail_serve"
