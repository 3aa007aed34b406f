"""Wagtail's page view, with the route to the page remembered.

Wagtail finds the page for an address by walking down the tree: the site for the host
name, the active language's home page (a locale query and a translation query), then a
query or two per path segment. A page three levels down costs seven queries before it
runs any code of its own, on every uncached view and every form POST.

Where an address leads changes only when pages are published, unpublished, saved, moved
or deleted, or a site or locale changes, and each of those already bumps the generation
number that `home.navigation` keeps for the header and footer. So the outcome of a route
(which site, which page, and the fixed sub-route of a routable page, if any) is kept in
the cache under that generation: a known address then costs one cache round trip and one
query for the page itself, in its specific class. The page is always read fresh from the
database and routes itself from there (`page.route()` checks that it is live and resolves
its sub-route), so a remembered route can only say where to look, never serve stale
content.

A page type may keep a few facts with its route that would otherwise cost a query on
every view, by defining `remembered_with_route()` (a dict of attribute names and values,
set on the page when it is served by a remembered route). They must be facts that only
change when some page is saved, published, moved or deleted: the form beneath an event,
the original of a translated form, the start of the event above it. `routing_queryset()`
says how to read the page itself (what to select with it).

Not remembered: addresses that did not lead to a page (404s), and sub-routes with
arguments (`manage/<token>/`), which would let anyone fill the cache with entries."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from . import navigation

# The version changes whenever the entry format does (a deploy must not read old ones).
ROUTE_PREFIX = "page-route:v3:"
# Longer addresses are routed the usual way; no page of ours is that deep.
MAX_PATH = 300

logger = logging.getLogger(__name__)


def serve(request, path):
    """Drop-in for `wagtail.views.serve` (same URL pattern and name)."""
    _route_from_cache(request, path)
    return wagtail_views.serve(request, path)


def _key(request, path):
    hostname = split_domain_port(request._get_raw_host())[0]
    language = translation.get_language() or ""
    return f"{ROUTE_PREFIX}{hostname}:{request.get_port()}:{language}:{path}"


def _route_from_cache(request, path):
    """Fill Wagtail's per-request route (`request._wagtail_route_for_request`), from the
    cache when possible, storing it there otherwise."""
    if hasattr(request, "_wagtail_route_for_request") or len(path) > MAX_PATH:
        return
    key = _key(request, path)
    try:
        generation = navigation._generation()
        entry = _local_routes.get(key)
        if entry is None or entry[0] != generation:
            entry = cache.get(key)
    except Exception:
        # The cache is down: route the usual way (and let /healthz say so).
        logger.warning("route cache unavailable", exc_info=True)
        return
    if entry is not None and entry[0] == generation and _follow(request, entry):
        _remember(key, entry)
        return
    result = Page.route_for_request(request, path)
    entry = _entry(request, path, result)
    if entry is not None:
        entry = (generation, *entry)
        _site(generation, entry[1], request._wagtail_site)
        try:
            cache.set(key, entry, navigation.CHROME_TIMEOUT)
        except Exception:
            logger.warning("route cache unavailable", exc_info=True)
        _remember(key, entry)


# Each process also keeps the routes and sites it used (small tuples and Site rows; the
# generation in each entry still decides whether it may be used).
_local_routes = {}
_local_sites = {}
MAX_LOCAL = 2000


def _keep(store, key, value):
    if len(store) >= MAX_LOCAL:
        store.clear()
    store[key] = value


def _remember(key, entry):
    _keep(_local_routes, key, entry)


def _site(generation, site_id, site=None):
    """The Site row, remembered by this process for the generation (`site`: just read)."""
    site = site or _local_sites.get((generation, site_id))
    if site is None:
        site = Site.objects.select_related("root_page").filter(pk=site_id).first()
    if site is not None:
        _keep(_local_sites, (generation, site_id), site)
    return site


def forget_local():
    """Drop this process's memory (tests do, when they empty the shared cache)."""
    _local_routes.clear()
    _local_sites.clear()


def _follow(request, entry):
    """Route to the remembered page. False when it is gone (route the usual way)."""
    generation, site_id, page_id, content_type_id, remaining, remembered = entry
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return False
    queryset = model.routing_queryset() if hasattr(model, "routing_queryset") else model.objects
    # No ORDER BY: one row by primary key.
    page = next(iter(queryset.filter(pk=page_id).order_by()[:1]), None)
    site = _site(generation, site_id) if page is not None else None
    if site is None:
        return False
    for name, value in remembered.items():
        setattr(page, name, value)
    request._wagtail_site = site
    try:
        request._wagtail_route_for_request = page.route(request, list(remaining))
    except Http404:
        request._wagtail_route_for_request = None
    return True


def _entry(request, path, result):
    """(site id, page id, content type id, remaining path components, what the page
    remembers with its route) for a route worth remembering, else None."""
    site = getattr(request, "_wagtail_site", None)
    if result is None or site is None:
        return None
    page, args, _kwargs = result
    components = [part for part in path.split("/") if part]
    # The page's own segments below its language's home page (a sibling of the site's
    # root page, so at the same depth).
    own = page.url_path.strip("/").split("/")[site.root_page.depth - 1 :]
    if components[: len(own)] != own:
        return None
    remaining = tuple(components[len(own) :])
    # A routable page's sub-route: only fixed ones (`thanks/`), no arguments.
    if remaining and (len(args) != 3 or args[1] or args[2]):
        return None
    remember = getattr(page, "remembered_with_route", None)
    remembered = remember() if callable(remember) else {}
    return site.pk, page.pk, page.content_type_id, remaining, remembered
