"""A sitemap of every language tree, each page with its hreflang alternates. Wagtail's own
sitemap lists the default site's tree in one language only.

Wagtail builds each entry with the page's `get_sitemap_urls()` (its documented hook,
`home.models.BasePage` adds the alternates from `alternates()` here)."""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site

from .addresses import page_url


def _public_pages(request):
    """Every live, public page of every language tree of the request's site."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    if site is None:
        return Page.objects.none()
    homes = Page.objects.filter(translation_key=site.root_page.translation_key).live()
    paths = list(homes.values_list("path", flat=True))
    if not paths:
        return Page.objects.none()
    in_a_tree = reduce(or_, (Q(path__startswith=path) for path in paths))
    return Page.objects.live().public().filter(in_a_tree, alias_of__isnull=True)


class MultilingualSitemap(Sitemap):
    def items(self):
        return _public_pages(self.request).order_by("path").specific()


def alternates(page, request):
    """[{lang_code, location}] for each language the page is live and public in, plus
    x-default; empty when there is only the one. All pages' addresses are read in one
    query per request."""
    memo = request.__dict__ if request is not None else {}
    if "conference_sitemap_urls" not in memo:
        by_key = {}
        for item in _public_pages(request).select_related("locale"):
            by_key.setdefault(item.translation_key, {})[item.locale.language_code] = page_url(
                item, request
            )
        memo["conference_sitemap_urls"] = by_key
    by_language = memo["conference_sitemap_urls"].get(page.translation_key, {})
    links = [
        {"lang_code": code, "location": by_language[code]}
        for code, _name in settings.LANGUAGES
        if code in by_language
    ]
    if len(links) < 2:
        return []
    default = by_language.get(settings.LANGUAGE_CODE) or links[0]["location"]
    return [*links, {"lang_code": "x-default", "location": default}]
