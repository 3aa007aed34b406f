"""What the header, footer, language switcher and hreflang links need.

Everything that is the same for every page of a language (the home pages, the menus, the
footer, which sections are private) is built once for all languages and kept in the cache
until something is published, unpublished, moved or deleted. A page view then costs one
query for its own translations, however many pages, languages or menu items there are."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Site

from . import generations
from .addresses import page_url

GENERATION_KEY = "site-chrome:generation"
# A safety net for deployments whose processes do not share a cache (local memory):
# another process's publish shows up at the latest after this many seconds.
CHROME_TIMEOUT = 300

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool
    # True when the page has no live translation in this language and the link leads to
    # that language's home page instead.
    is_fallback: bool


@dataclass
class SiteChrome:
    """Per-language navigation data of one site, safe to cache (pickled page objects)."""

    homes: dict = field(default_factory=dict)  # language code -> live home page
    menus: dict = field(default_factory=dict)  # language code -> [page]
    footers: dict = field(default_factory=dict)  # language code -> FooterText
    privacy_pages: dict = field(default_factory=dict)  # language code -> page
    private_paths: tuple = ()  # tree paths of pages with view restrictions

    def is_public(self, page):
        return not any(page.path.startswith(path) for path in self.private_paths)


def invalidate(**kwargs):
    """Signal receiver: any change to live pages, restrictions or the footer."""
    generations.bump(GENERATION_KEY)


def _generation():
    return generations.current(GENERATION_KEY)


def _request_cache(request, key, compute):
    if request is None:
        return compute()
    store = request.__dict__.setdefault("_navigation_cache", {})
    if key not in store:
        store[key] = compute()
    return store[key]


def current_site(request):
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    return site


def site_chrome(request):
    def compute():
        site = current_site(request)
        if site is None:
            return SiteChrome()
        try:
            generation = _generation()
            remembered = _local_chrome.get(site.pk)
            if remembered is not None and remembered[0] == generation:
                return remembered[1]
            key = f"site-chrome:{site.pk}:{generation}"
            chrome = cache.get(key)
        except Exception:
            # The cache is down: build it for this request (and let /healthz say so).
            logger.warning("navigation cache unavailable", exc_info=True)
            return _build_chrome(site)
        if chrome is None:
            chrome = _build_chrome(site)
            cache.set(key, chrome, CHROME_TIMEOUT)
        _local_chrome[site.pk] = (generation, chrome)
        return chrome

    return _request_cache(request, "chrome", compute)


# Each process also keeps the chrome of the current generation (read-only page objects),
# so that a page view neither fetches nor unpickles it.
_local_chrome = {}


def _build_chrome(site):
    from home.models import FooterText

    chrome = SiteChrome()
    chrome.private_paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    homes = (
        Page.objects.filter(translation_key=site.root_page.translation_key)
        .live()
        .select_related("locale")
    )
    chrome.homes = {home.locale.language_code: home for home in homes if chrome.is_public(home)}
    by_path = {home.path: code for code, home in chrome.homes.items()}
    if by_path:
        depth = next(iter(chrome.homes.values())).depth + 1
        children = (
            Page.objects.live()
            .in_menu()
            .filter(depth=depth, path__regex="^({})".format("|".join(by_path)))
            .select_related("locale")
            .order_by("path")
        )
        for child in children:
            if chrome.is_public(child):
                code = by_path[child.path[: len(child.path) - Page.steplen]]
                chrome.menus.setdefault(code, []).append(child)
    footers = list(FooterText.objects.select_related("locale", "privacy_page"))
    chrome.footers = {footer.locale.language_code: footer for footer in footers}
    privacy_keys = {f.privacy_page.translation_key for f in footers if f.privacy_page_id}
    for page in (
        Page.objects.live().filter(translation_key__in=privacy_keys).select_related("locale")
    ):
        if chrome.is_public(page):
            chrome.privacy_pages[page.locale.language_code] = page
    return chrome


RESTRICTED_PATHS_KEY = "site-chrome:restricted-paths"


_restricted_memo = (None, ())


def restricted_paths():
    """Tree paths at and below which Wagtail may find a view restriction: each restricted
    page, and each alias of one (an alias is checked against its source's restrictions).
    Kept in the cache under the generation, and by each process while it is current."""
    global _restricted_memo
    generation = _generation()
    if _restricted_memo[0] == generation:
        return _restricted_memo[1]
    cached = cache.get(RESTRICTED_PATHS_KEY)
    if cached is not None and cached[0] == generation:
        paths = cached[1]
    else:
        paths = _restricted_paths()
        cache.set(RESTRICTED_PATHS_KEY, (generation, paths), CHROME_TIMEOUT)
    _restricted_memo = (generation, paths)
    return paths


def _restricted_paths():
    restricted = set(PageViewRestriction.objects.values_list("page_id", flat=True))
    if not restricted:
        return ()
    rows = Page.objects.filter(Q(pk__in=restricted) | Q(alias_of__isnull=False)).values_list(
        "pk", "path", "alias_of_id"
    )
    alias_of = {pk: source for pk, _path, source in rows if source}

    def source(pk):
        seen = set()
        while pk in alias_of and pk not in seen:
            seen.add(pk)
            pk = alias_of[pk]
        return pk

    return tuple(sorted(path for pk, path, _source in rows if source(pk) in restricted))


def forget_local():
    """Drop this process's memory (tests do, when they empty the shared cache)."""
    global _restricted_memo
    _restricted_memo = (None, ())
    _local_chrome.clear()


def may_be_restricted(path):
    """False when no view restriction can apply to the page at tree path `path`; True
    when one may (or the cache cannot tell: Wagtail then checks the database)."""
    try:
        paths = restricted_paths()
    except Exception:
        return True
    return any(path.startswith(restricted) for restricted in paths)


def locale_homes(request):
    """The live home page of each language, keyed by language code."""
    return site_chrome(request).homes


def current_home(request):
    homes = locale_homes(request)
    return homes.get(translation.get_language()) or homes.get(settings.LANGUAGE_CODE)


def menu_pages(request):
    """Live, public pages marked "show in menus" directly under the current language's home."""
    return site_chrome(request).menus.get(translation.get_language(), [])


def footer(request):
    """The footer in the active language (else the default language's) and the privacy
    page in the active language (else the default language's)."""
    chrome = site_chrome(request)
    codes = (translation.get_language(), settings.LANGUAGE_CODE)
    text = next((chrome.footers[c] for c in codes if c in chrome.footers), None)
    privacy = next((chrome.privacy_pages[c] for c in codes if c in chrome.privacy_pages), None)
    return text, privacy


def active_locale_id(request):
    """The id of the active language's Locale, without a query when that language has a
    home page."""
    code = translation.get_language()
    home = locale_homes(request).get(code)
    if home is not None:
        return home.locale_id

    def compute():
        locale = Locale.objects.filter(language_code=code).first()
        return locale.pk if locale else None

    return _request_cache(request, ("locale", code), compute)


def live_translations(request, page):
    """The page in every language where it is live, public and not an alias, keyed by
    language code (the page itself included)."""

    def compute():
        chrome = site_chrome(request)
        pages = (
            Page.objects.filter(translation_key=page.translation_key, alias_of__isnull=True)
            .live()
            .select_related("locale")
        )
        return {p.locale.language_code: p for p in pages if chrome.is_public(p)}

    return _request_cache(request, ("translations", page.translation_key), compute)


def language_links(request, page=None):
    """One link per site language: the same page in that language where it exists, else
    that language's home page (flagged as a fallback)."""
    current = translation.get_language()
    homes = locale_homes(request)
    translations = live_translations(request, page) if page is not None else {}
    links = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        if target is not None:
            url, fallback = target.get_url(request), False
        elif page is None and _is_non_page_view(request):
            url, fallback = translate_url(request.get_full_path(), code), False
        else:
            home = homes.get(code)
            url, fallback = (home.get_url(request) if home else f"/{code}/"), True
        links.append(LanguageLink(code, name, url, code == current, fallback))
    return links


def _is_non_page_view(request):
    # A Django view under the language prefix (search), which has the same address in
    # every language; not a 404 page.
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name not in (None, "wagtail_serve")


def alternate_links(request, page):
    """hreflang alternates: every live translation, plus x-default pointing at the
    default-language version (or this page when there is none)."""
    translations = live_translations(request, page)
    links = [
        (code, absolute_url(request, translations[code]))
        for code, _name in settings.LANGUAGES
        if code in translations
    ]
    default = translations.get(settings.LANGUAGE_CODE, page)
    links.append(("x-default", absolute_url(request, default)))
    return links


def absolute_url(request, page):
    """The page's public address (`home.addresses`)."""
    return page_url(page, request)
