"""Full-page cache for anonymous visitors, remembered routes, and the one rule that keeps
them fresh. Our one caching module: Django's cache API and Wagtail's public APIs only.

Two layers keep pages:

- a caching proxy or CDN in front (Varnish in `config/varnish/`), told how long it may
  keep a page by `Cache-Control: s-maxage` and purged by Wagtail's
  `wagtail.contrib.frontend_cache` (`FRONTEND_CACHE_BACKEND`);
- this middleware, for deployments without one: anonymous page views are kept in the
  `pages` cache alias (Redis, shared by every app process) and served from there without
  a database query. Without a shared cache the alias is a dummy in production (local
  memory cannot be emptied in every process), and a proxy does the caching.

The rule: any change to what the public sees (a page published, unpublished, moved or
deleted; a footer, speaker, organiser, image, restriction, locale or site saved; a
registration form filling up or freeing a seat) empties both, for every page. Pages show
each other (menus, the next event on the home page, the availability of a form on its
event page), so emptying one page would leave others stale, and such changes are rare.

"Emptying" the app cache is a new epoch: one key holds a random value, every entry records
the epoch it was made under and is served only while that is still the current one. A new
epoch is taken when the change is made and again when it commits, so a page rendered from
the old rows in between is never served after it. Each process keeps copies of the
entries it served, used only while their epoch is the current one, and trusts the epoch it
read for `PAGE_CACHE_EPOCH_CHECK_SECONDS`: a hit then costs no round trip at all.

What is never cached: anything but GET/HEAD; requests carrying a session, messages or
Authorization; anything not served by Wagtail's page view (admin, previews, search, the
health check, calendar files, documents); responses that are not 200, that stream, set a
cookie, used the CSRF token, vary on anything but Cookie/Accept-Encoding or carry their own
`Cache-Control` (the registration form, thank-you and manage pages send `no-store,
private`)."""

import functools
import gzip
import logging
import pickle
import re
import threading
import time
import uuid
from collections import OrderedDict

import brotli
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_cache_control, patch_vary_headers
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

ALIAS = "pages"
EPOCH_KEY = "epoch"
STATUS_HEADER = "X-Page-Cache"
# Raised when what a cached page holds must change at once on deploy, whatever the epoch:
# 2, entries hold the security and CSP headers; 3, event pages no longer show the online
# join address (only registrants get it); 4, entries hold compressed copies; 5, entries
# hold no Content-Length (each copy is sent with its own).
ENTRY_VERSION = 5
# How long the site chrome and other remembered values are kept (a new epoch ends them
# sooner).
REMEMBER_SECONDS = 3600
# Cookies that make a request personal: its page may show messages or a signed-in user.
# (The CSRF cookie alone does not: cached pages carry no token.)
PRIVATE_COOKIES = ("messages",)
# Headers added per request by middleware outside this one, never to be replayed, or
# (Content-Length) added to each copy as it is sent.
_SKIP_HEADERS = {"set-cookie", "x-request-id", STATUS_HEADER.lower(), "content-length"}
_ALLOWED_VARY = {"cookie", "accept-encoding"}

# A page is compressed once, when it is stored, not on every hit: Brotli and gzip copies
# are kept beside it and each hit sends the one its Accept-Encoding asks for (a tenth of
# the bytes of the event page). Brotli first, as browsers prefer it over HTTPS; the same
# test for the coding's name as Django's GZipMiddleware (`q=0` is not honoured, as there).
_CODINGS = (
    ("br", re.compile(r"\bbr\b"), lambda content: brotli.compress(content, quality=5)),
    ("gzip", re.compile(r"\bgzip\b"), lambda content: gzip.compress(content, mtime=0)),
)
# Smaller bodies gain less than the bytes Content-Encoding costs.
COMPRESS_MIN_BYTES = 512

logger = logging.getLogger(__name__)


def store():
    return caches[ALIAS]


def _epoch_and(key):
    """(current epoch, value under `key`) in one round trip; a missing epoch is created."""
    found = store().get_many([EPOCH_KEY, key])
    epoch = found.get(EPOCH_KEY)
    if epoch is None:
        store().add(EPOCH_KEY, uuid.uuid4().hex, None)
        epoch = store().get(EPOCH_KEY)
    _remember_epoch(epoch)
    return epoch, found.get(key)


# The epoch this process last read, and when. On this machine a round trip to Redis costs
# a cached page more than everything else it does (`benchmarks/README.md`), so a process
# trusts what it read for `PAGE_CACHE_EPOCH_CHECK_SECONDS` (default 1; 0 asks on every
# hit): a change made through this process is seen by it at once (`invalidate` updates
# this), one made through another process within that time.
_last_epoch = [None, 0.0]


def _remember_epoch(epoch):
    _last_epoch[:] = [epoch, time.monotonic()]


def _current_epoch():
    epoch, read_at = _last_epoch
    if epoch is not None and time.monotonic() - read_at < settings.PAGE_CACHE_EPOCH_CHECK_SECONDS:
        return epoch
    epoch = store().get(EPOCH_KEY)
    if epoch is not None:
        _remember_epoch(epoch)
    return epoch


# Each process keeps copies of the entries it used, so that a hit fetches only the epoch
# (a few bytes) from the shared cache, not the page again; a copy is used only while the
# epoch it was made under is the current one, and no longer than the shared entry lives.
LOCAL_ENTRIES = 256
_local = OrderedDict()
_local_lock = threading.Lock()


def _lookup(key, timeout):
    """(current epoch, entry under `key` or None), from this process's copy when it is of
    the current epoch, else from the shared cache (and copied)."""
    with _local_lock:
        copy = _local.get(key)
    if copy is not None and copy[0] > time.monotonic():
        epoch = _current_epoch()
        if epoch is not None and copy[1][0] == epoch:
            return epoch, copy[1]
    epoch, entry = _epoch_and(key)
    if epoch is not None and entry is not None and entry[0] == epoch:
        _copy(key, entry, timeout)
    return epoch, entry


def _copy(key, entry, timeout):
    with _local_lock:
        _local[key] = (time.monotonic() + (timeout or REMEMBER_SECONDS), entry)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def epoch():
    """The current epoch (None when the cache is off or down), for cached template
    fragments to vary on: `{% wagtailpagecache … page_cache_epoch using="pages" %}`."""
    try:
        return _current_epoch() or _epoch_and(EPOCH_KEY)[0]
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return None


def remember(name, compute):
    """`compute()`, kept in the page cache until the next change (the site chrome)."""
    try:
        epoch, entry = _lookup(name, REMEMBER_SECONDS)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return compute()
    if epoch is not None and entry is not None and entry[0] == epoch:
        return entry[1]
    value = compute()
    if epoch is not None:
        _set(name, (epoch, value), timeout=REMEMBER_SECONDS)
        _copy(name, (epoch, value), REMEMBER_SECONDS)
    return value


def _set(key, value, timeout):
    try:
        store().set(key, value, timeout)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)


def invalidate(**kwargs):
    """Signal receiver: what the public sees changed. Every cached page is stale, here and
    in the proxy: a new epoch now (this transaction's own requests see the change), and
    again once the change is committed (another process may have rendered the old rows in
    between), when the proxy is purged too."""
    _new_epoch()
    transaction.on_commit(_after_commit)


def invalidate_app(**kwargs):
    """Signal receiver for saves that change no public address's content (a page's draft
    saved): a new epoch for the app's own cache (routes and the chrome may depend on the
    tree), without purging every page from the proxy."""
    _new_epoch()
    transaction.on_commit(_new_epoch)


def _new_epoch():
    epoch = uuid.uuid4().hex
    _set(EPOCH_KEY, epoch, timeout=None)
    _remember_epoch(epoch)


def _after_commit():
    _new_epoch()
    purge_proxy()


def purge_proxy():
    """Purge every live page from the caching proxy or CDN, when one is configured."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page

    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().filter(depth__gt=1).specific())
    try:
        batch.purge()
    except Exception:
        # A proxy that is down holds nothing to purge once it is back (it restarts
        # empty); its entries expire after s-maxage otherwise.
        logger.warning("proxy purge failed", exc_info=True)


def seconds():
    return settings.PAGE_CACHE_SECONDS


def public_cache_control(response):
    """Shared caches may keep the page for `PAGE_CACHE_SECONDS` (they are purged on
    change), browsers for at most `PAGE_CACHE_BROWSER_SECONDS` (they are not)."""
    ttl = seconds()
    patch_cache_control(
        response,
        public=True,
        max_age=min(ttl, settings.PAGE_CACHE_BROWSER_SECONDS),
        s_maxage=ttl,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )


def cache_query(request):
    """The part of the query string a cached page may depend on: the parameters our pages
    read (`PAGE_CACHE_QUERY_PARAMETERS`, e.g. `page` of a listing) with well-formed values,
    in a fixed order. Anything else (`?utm_source=…`) is left out of the key, so it
    neither changes the page nor creates an entry of its own."""
    if not request.META.get("QUERY_STRING"):
        return ""
    kept = []
    for name in sorted(set(settings.PAGE_CACHE_QUERY_PARAMETERS)):
        value = request.GET.get(name, "")
        if value.isascii() and value.isdigit() and len(value) <= 6:
            kept.append(f"{name}={int(value)}")
    return "&".join(kept)


def entry_key(origin, path, query=""):
    """The key of the page at `origin` (scheme://host) + `path` with the `cache_query`
    `query`; `config.wsgi` makes it from the WSGI environ for a plain request."""
    return f"page:v{ENTRY_VERSION}:{origin}{path}?{query}"


def _entry_key(request):
    return entry_key(f"{request.scheme}://{request.get_host()}", request.path, cache_query(request))


def _is_private_request(request):
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or any(name in cookies for name in PRIVATE_COOKIES)
        or "HTTP_AUTHORIZATION" in request.META
    )


def under_language_prefix(path):
    """Wagtail pages are served only under a language prefix (config/urls.py); the admin,
    /healthz, static files and documents never reach the cache."""
    return path.startswith(_language_prefixes(tuple(settings.LANGUAGES)))


@functools.cache
def _language_prefixes(languages):
    return tuple(f"/{code}/" for code, _name in languages)


def _is_page_view(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "wagtail_serve"


def _drop_vary_cookie(response):
    if not response.has_header("Vary"):
        return
    kept = [v for v in cc_delim_re.split(response["Vary"]) if v and v.lower() != "cookie"]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


def _shareable(request, response):
    """Whether the page view's response may be kept and served to anyone."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("Cache-Control")
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or getattr(request, "is_preview", False)
        or not _is_page_view(request)
    ):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if response.has_header("Vary"):
        vary = {v.lower() for v in cc_delim_re.split(response["Vary"]) if v}
        if not vary <= _ALLOWED_VARY:
            return False
    return True


# Set in the WSGI environ by `cached()` on a miss: the epoch it read, so that the
# middleware stores the page under it without asking the cache a second time. (A client
# cannot set it: request headers reach the environ as `HTTP_…`.)
MISSED_UNDER = "page_cache.missed_under_epoch"


def cached(request):
    """The cached entry for this anonymous GET or HEAD of a page, as `(content, headers)`,
    or None. Used by the WSGI application (`config.wsgi`) before Django handles the
    request at all; the middleware answers the same hits where that is not in use."""
    ttl = seconds()
    if (
        request.method not in ("GET", "HEAD")
        or not ttl
        or not under_language_prefix(request.path_info)
        or _is_private_request(request)
    ):
        return None
    return hit(_entry_key(request), request.META, ttl)


def hit(key, environ, ttl):
    """The entry under `key` (kept `ttl` seconds, `seconds()`), as `(content, headers)`
    for the client whose WSGI `environ` this is, or None (then the epoch read is left in
    `environ` for the middleware)."""
    try:
        epoch, entry = _lookup(key, ttl)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return None
    if epoch is not None and entry is not None and entry[0] == epoch:
        content, headers = _variant(entry, _accept_encoding(environ))
        return content, [*headers, (STATUS_HEADER, "hit")]
    environ[MISSED_UNDER] = epoch
    return None


def _accept_encoding(environ):
    return environ.get("HTTP_ACCEPT_ENCODING", "")


def _compressible(response):
    """Whether a page gains from compressed copies (then it varies on Accept-Encoding)."""
    return len(response.content) >= COMPRESS_MIN_BYTES and not response.has_header(
        "Content-Encoding"
    )


def _compressed(content, codings):
    """{coding: body} of `content` in each of `codings` that makes it smaller."""
    copies = {}
    for coding, _accepts, compress in codings:
        body = compress(content)
        if len(body) < len(content):
            copies[coding] = body
    return copies


def _coding(compressed, accept_encoding):
    """Which of the `compressed` copies a client sending `accept_encoding` takes, if any."""
    if compressed and accept_encoding:
        for coding, accepts, _compress in _CODINGS:
            if coding in compressed and accepts.search(accept_encoding):
                return coding
    return None


def _variant(entry, accept_encoding):
    """(body, headers) of a stored page for a client sending `accept_encoding`."""
    _epoch, content, headers, compressed = entry
    coding = _coding(compressed, accept_encoding)
    if coding is None:
        return content, [*headers, ("Content-Length", str(len(content)))]
    body = compressed[coding]
    return body, [*headers, ("Content-Length", str(len(body))), ("Content-Encoding", coding)]


class PageCacheMiddleware:
    """Goes after the request id and before the security and CSP headers, so that an entry
    keeps the response's headers as sent (the request id excepted): a hit skips every
    middleware inside this one and the view, and the WSGI application (`config.wsgi`)
    can answer it without Django's middleware at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not under_language_prefix(request.path_info):
            return self.get_response(request)
        if _is_private_request(request):
            response = self.get_response(request)
            if _is_page_view(request) and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        if not seconds():
            return self.get_response(request)

        key = _entry_key(request)
        if MISSED_UNDER in request.META:  # the WSGI application looked already
            epoch = request.META[MISSED_UNDER]
        else:
            try:
                epoch, entry = _lookup(key, seconds())
            except Exception:
                # The cache is down: serve the page (and let /healthz say so), store nothing.
                logger.warning("page cache unavailable", exc_info=True)
                return self.get_response(request)
            if epoch is not None and entry is not None and entry[0] == epoch:
                return self._replay(request, entry)

        response = self.get_response(request)
        if not _shareable(request, response):
            return response
        # Public for the proxy in front too, which `Vary: Cookie` would stop from sharing it.
        _drop_vary_cookie(response)
        public_cache_control(response)
        accept_encoding = _accept_encoding(request.META)
        compressed = {}
        if _compressible(response):
            patch_vary_headers(response, ["Accept-Encoding"])
            if epoch is not None:  # stored: every copy, for the clients to come
                codings = _CODINGS
            else:  # kept nowhere: only the copy this client takes
                codings = [c for c in _CODINGS if c[1].search(accept_encoding)][:1]
            compressed = _compressed(response.content, codings)
        if epoch is not None:  # None: no shared cache here (a dummy), or it is down
            headers = [(k, v) for k, v in response.items() if k.lower() not in _SKIP_HEADERS]
            entry = (epoch, response.content, headers, compressed)
            _set(key, entry, timeout=seconds())
            _copy(key, entry, seconds())
            response[STATUS_HEADER] = "miss"
        coding = _coding(compressed, accept_encoding)
        if coding is not None:
            response.content = compressed[coding]
            response["Content-Length"] = str(len(response.content))
            response["Content-Encoding"] = coding
        return response

    def _replay(self, request, entry):
        content, headers = _variant(entry, _accept_encoding(request.META))
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response[STATUS_HEADER] = "hit"
        return response


# Routes ------------------------------------------------------------------------------------
# Wagtail finds the page for an address by walking the tree on every request: the site,
# the language's home page, then one or two queries per path segment (nine queries to a
# registration form, about 6 ms of a registration POST's 14 on the bench machine). Where
# an address leads changes only with the changes that start a new epoch, so the outcome
# (which site a host and port lead to; which page, and a routable page's fixed sub-route)
# is kept under it, with the page's own row as it was read under the epoch (a publish,
# a draft saved, a move or a deletion starts a new one): a remembered address costs no
# query to find and read its page (1.4 ms of ORM work on the bench machine, a tenth of a
# registration POST). Each request unpickles its own instance, so nothing one request
# sets on its page reaches another. The page routes itself from there (`page.route()`
# checks that it is live and resolves its sub-route), and view restrictions are checked
# by Wagtail's own `before_serve_page` hook on every request, never from a cache. Not
# remembered: addresses that lead nowhere (404), and sub-routes with arguments
# (`manage/<token>/`), which would let anyone fill the cache.
MAX_ROUTE_PATH = 300


def serve(request, path):
    """Wagtail's page view (`wagtail.views.serve`, the same URL pattern and name, and the
    same hooks), with the route from `route()`."""
    result = route(request, path)
    if result is None:
        raise Http404
    page, args, kwargs = result
    chain = wagtail_views.serve_chain
    for wrap in reversed(hooks.get_hooks("on_serve_page")):
        chain = wrap(chain)
    for check in hooks.get_hooks("before_serve_page"):
        response = check(page, request, args, kwargs)
        if isinstance(response, HttpResponse):
            return response
    return chain(page, request, args, kwargs)


def route(request, path):
    """Wagtail's route for `path` (`Page.route_for_request`), from the remembered page when
    the address has been routed under the current epoch."""
    site_id = _site_id(request)
    if site_id is None or len(path) > MAX_ROUTE_PATH:
        return Page.route_for_request(request, path)
    components = [part for part in path.split("/") if part]
    # v2: entries hold the page's row (v1 held its content type and id).
    key = f"route:v2:{site_id}:{translation.get_language()}:{'/'.join(components)}"
    try:
        epoch, entry = _lookup(key, REMEMBER_SECONDS)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return Page.route_for_request(request, path)
    if epoch is not None and entry is not None and entry[0] == epoch:
        _epoch, page_row, remaining = entry
        try:
            return pickle.loads(page_row).route(request, list(remaining))
        except Http404:
            return None
    result = Page.route_for_request(request, path)
    remaining = _fixed_remainder(Site.find_for_request(request), components, result)
    if epoch is not None and remaining is not None:
        entry = (epoch, pickle.dumps(_row_of(result[0])), remaining)
        _set(key, entry, timeout=REMEMBER_SECONDS)
        _copy(key, entry, REMEMBER_SECONDS)
    return result


def _row_of(page):
    """A new instance of `page` holding its row's values alone (Django's `from_db`), not
    what routing and the request cached on the routed one (its parent, annotations), nor
    its `private_fields` (`home.models.BasePage`): those stay deferred, read from the
    database if a request needs them."""
    private = set(getattr(page, "private_fields", ()))
    fields = [field.attname for field in page._meta.concrete_fields if field.attname not in private]
    return type(page).from_db(page._state.db, fields, [getattr(page, name) for name in fields])


def _site_id(request):
    """The id of the site that answers this request's host and port (Wagtail's
    `Site.find_for_request`, a query with every request), remembered under the epoch: a
    site's save or deletion starts a new one. The host is Django's validated one."""
    hostname, _port = split_domain_port(request.get_host())
    port = request.get_port()
    return remember(
        f"site:{hostname}:{port}",
        lambda: getattr(Site.find_for_request(request), "pk", None),
    )


def _fixed_remainder(site, components, result):
    """The path components a routed page handles itself (a routable page's fixed
    sub-route, `thanks/`), or None when the route is not worth remembering."""
    if result is None:
        return None
    page, args, kwargs = result
    # The page's own segments below its language's home page (a sibling of the site's
    # root page, at the same depth).
    own = page.url_path.strip("/").split("/")[site.root_page.depth - 1 :]
    if components[: len(own)] != own:
        return None
    remaining = tuple(components[len(own) :])
    # A routable page's sub-route is (view, args, kwargs): only one without arguments.
    if remaining and (len(args) != 3 or args[1] or args[2] or kwargs):
        return None
    return remaining
