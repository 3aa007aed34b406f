"""Full-page cache for anonymous visitors.

A page served by Wagtail to a visitor without a session, messages or authorisation is
kept in Django's cache (Redis when `REDIS_URL` is set, so every app process shares it) and
served from there with no database query, for `PAGE_CACHE_SECONDS` (0 turns it off).

Why our own middleware and not wagtail-cache: wagtail-cache clears its whole cache backend
on publish (with Redis, a FLUSHDB of the database that also holds sessions and rate
limits, unless it gets a Redis database of its own) and keys entries by Django's
`Vary: Cookie` learning, so a visitor with only a CSRF cookie gets entries of their own.
Here, invalidation is a generation number: the one `home.navigation` already keeps for the
header and footer (bumped when a page is published, unpublished, moved or deleted, or the
footer changes), also bumped here when a page, a speaker, an organiser or an image is
saved or deleted. An entry made under an older generation is never served again.

An event page also shows whether registration is open or full, which changes without a
publish. Each entry therefore also records a per-page generation (keyed by the page's
`translation_key`, so it covers every language), which `forms_app.signals.seats_changed`
bumps for the event above a form whenever a registration takes or frees a seat.

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
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_cache_control

from . import navigation

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
MAX_QUERY_STRING = 200

logger = logging.getLogger(__name__)

# Each process also keeps its most recent entries in memory, so that a hit costs one small
# round trip to the shared cache (the two generation numbers) instead of fetching and
# unpickling the page. The shared generations stay the only source of truth.
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


def seconds():
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def invalidate(**kwargs):
    """Every cached page (and the cached site chrome) is stale from now on."""
    navigation.invalidate()


def invalidate_page(translation_key):
    """The cached copies of one page, in every language, are stale from now on."""
    if translation_key:
        cache.set(f"{PAGE_GENERATION_PREFIX}{translation_key}", uuid.uuid4().hex, None)


def _page_saved(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        invalidate()


def _seats_changed(sender, page_id, **kwargs):
    """A registration took or freed a seat of form page `page_id`: the event page above it
    (every language) shows availability."""
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


_connected = False


def connect_signals():
    """Idempotent. Called when the middleware loads (every web process); page publishing,
    moves, deletions and the footer are already connected by `home.apps`."""
    global _connected
    if _connected:
        return
    from django.db.models.signals import post_delete, post_save
    from wagtail.images import get_image_model

    from events.models import Organiser, Speaker
    from forms_app.signals import seats_changed

    post_save.connect(_page_saved, dispatch_uid="page-cache-page-save")
    for model in (Speaker, Organiser, get_image_model()):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{model}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-del-{model}")
    seats_changed.connect(_seats_changed, dispatch_uid="page-cache-seats")
    _connected = True


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


def _entry_key(request):
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    return f"{ENTRY_PREFIX}{request.scheme}://{request.get_host()}{request.path}?{query}"


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
        connect_signals()

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
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return self.get_response(request)

        key = _entry_key(request)
        try:
            hit = self._serve_local(key)
            if hit is None:
                found = cache.get_many([key, navigation.GENERATION_KEY])
                entry = found.get(key)
                generation = found.get(navigation.GENERATION_KEY) or navigation._generation()
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
        page_key = _page_generation_key(translation_key)
        page_generation = cache.get(page_key)
        if page_generation is None:
            cache.add(page_key, uuid.uuid4().hex, None)
            page_generation = cache.get(page_key)
        headers = [(k, v) for k, v in response.items() if k.lower() not in _SKIP_HEADERS]
        entry = (generation, translation_key, page_generation, response.content, headers)
        cache.set(key, entry, seconds())
        _local_put(key, entry, seconds())

    def _serve_local(self, key):
        entry = _local_get(key)
        if entry is None:
            return None
        entry_generation, translation_key, page_generation, _content, _headers = entry
        page_key = _page_generation_key(translation_key)
        current = cache.get_many([navigation.GENERATION_KEY, page_key])
        if (
            current.get(navigation.GENERATION_KEY) != entry_generation
            or current.get(page_key) != page_generation
        ):
            return None
        return self._response(entry)

    def _serve(self, key, entry, generation):
        entry_generation, translation_key, page_generation, _content, _headers = entry
        if entry_generation != generation:
            return None
        if cache.get(_page_generation_key(translation_key)) != page_generation:
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
