"""A sitemap of every language tree, each page with its hreflang alternates. Wagtail's own
sitemap lists the default site's tree in one language only."""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from . import navigation


class MultilingualSitemap(Sitemap):
    def items(self):
        homes = navigation.locale_homes(self.request).values()
        if not homes:
            return Page.objects.none()
        in_a_tree = reduce(or_, (Q(path__startswith=home.path) for home in homes))
        return (
            Page.objects.live()
            .public()
            .filter(in_a_tree, alias_of__isnull=True)
            .select_related("locale")
            .order_by("path")
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        urls_by_key = defaultdict(dict)
        for item in self._all_translations({p.translation_key for p in pages}):
            urls_by_key[item.translation_key][item.locale.language_code] = navigation.absolute_url(
                self.request, item
            )
        urls, last_mods = [], set()
        for item in pages:
            by_language = urls_by_key[item.translation_key]
            alternates = [
                {"lang_code": code, "location": by_language[code]}
                for code, _name in settings.LANGUAGES
                if code in by_language
            ]
            if len(alternates) > 1:
                default = by_language.get(settings.LANGUAGE_CODE) or alternates[0]["location"]
                alternates.append({"lang_code": "x-default", "location": default})
            lastmod = self.lastmod(item)
            urls.append(
                {
                    "item": item,
                    "location": by_language.get(item.locale.language_code)
                    or navigation.absolute_url(self.request, item),
                    "lastmod": lastmod,
                    "alternates": alternates,
                }
            )
            last_mods.add(lastmod)
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def _all_translations(self, translation_keys):
        return self.items().filter(translation_key__in=translation_keys)
