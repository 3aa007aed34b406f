"""What the header, the language switcher and the hreflang links need, computed once per
request with a fixed number of queries however many pages or languages there are."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page, Site


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool
    # True when the page has no live translation in this language and the link leads to
    # that language's home page instead.
    is_fallback: bool


def _request_cache(request, key, compute):
    if request is None:
        return compute()
    store = request.__dict__.setdefault("_navigation_cache", {})
    if key not in store:
        store[key] = compute()
    return store[key]


def locale_homes(request):
    """The live home page of each language, keyed by language code."""

    def compute():
        site = Site.find_for_request(request) if request is not None else None
        if site is None:
            site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
        if site is None:
            return {}
        pages = (
            Page.objects.filter(translation_key=site.root_page.translation_key)
            .live()
            .select_related("locale")
        )
        return {page.locale.language_code: page for page in pages}

    return _request_cache(request, "locale_homes", compute)


def current_home(request):
    homes = locale_homes(request)
    return homes.get(translation.get_language()) or homes.get(settings.LANGUAGE_CODE)


def menu_pages(request):
    """Live, public pages marked "show in menus" directly under the current language's home."""

    def compute():
        home = current_home(request)
        if home is None:
            return []
        return list(home.get_children().live().public().in_menu().select_related("locale"))

    return _request_cache(request, "menu_pages", compute)


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
        elif page is None and request is not None and _is_non_page_view(request):
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
    """The page's address on the host the visitor used (the Site record's hostname is
    often a placeholder in development and behind proxies)."""
    if request is None:
        return page.get_full_url()
    return request.build_absolute_uri(page.get_url(request))
