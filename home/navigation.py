"""What the header, footer, language switcher and hreflang links need.

Everything that is the same for every page of a language (the home pages, the menus, the
footer) is built once for all languages and kept in the page cache (`home.page_cache`),
which is emptied whenever something is published, unpublished, moved or deleted. A page
view then costs one query for its own translations, however many pages, languages or menu
items there are. Private pages are left out with Wagtail's own `.public()` filter."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page, Site

from . import page_cache
from .addresses import page_url
from .models import FooterText

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


def _request_cache(request, key, compute):
    if request is None:
        return compute()
    store = request.__dict__.setdefault("conference_navigation", {})
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
        return page_cache.remember(f"site-chrome:{site.pk}", lambda: _build_chrome(site))

    return _request_cache(request, "chrome", compute)


def _build_chrome(site):
    chrome = SiteChrome()
    homes = (
        Page.objects.filter(translation_key=site.root_page.translation_key)
        .live()
        .public()
        .select_related("locale")
    )
    chrome.homes = {home.locale.language_code: home for home in homes}
    by_path = {home.path: code for code, home in chrome.homes.items()}
    if by_path:
        depth = next(iter(chrome.homes.values())).depth + 1
        children = (
            Page.objects.live()
            .public()
            .in_menu()
            .filter(depth=depth, path__regex="^({})".format("|".join(by_path)))
            .select_related("locale")
            .order_by("path")
        )
        for child in children:
            code = by_path[child.path[: len(child.path) - Page.steplen]]
            chrome.menus.setdefault(code, []).append(child)
    footers = list(FooterText.objects.select_related("locale", "privacy_page"))
    chrome.footers = {footer.locale.language_code: footer for footer in footers}
    privacy_keys = {f.privacy_page.translation_key for f in footers if f.privacy_page_id}
    for page in (
        Page.objects.live()
        .public()
        .filter(translation_key__in=privacy_keys)
        .select_related("locale")
    ):
        chrome.privacy_pages[page.locale.language_code] = page
    return chrome


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


def live_translations(request, page):
    """The page in every language where it is live, public and not an alias, keyed by
    language code (the page itself included)."""

    def compute():
        pages = (
            Page.objects.filter(translation_key=page.translation_key, alias_of__isnull=True)
            .live()
            .public()
            .select_related("locale")
        )
        return {p.locale.language_code: p for p in pages}

    # Kept in the page cache: a publish, an unpublish or a restriction starts a new epoch.
    key = f"translations:{page.translation_key}"
    return _request_cache(request, key, lambda: page_cache.remember(key, compute))


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
        (code, page_url(translations[code], request))
        for code, _name in settings.LANGUAGES
        if code in translations
    ]
    default = translations.get(settings.LANGUAGE_CODE, page)
    links.append(("x-default", page_url(default, request)))
    return links
