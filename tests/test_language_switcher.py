"""The switcher and hreflang links lead to the same page in another language only where a
live, public, non-alias translation exists."""

import re

import pytest
from wagtail.models import PageViewRestriction

from tests.factories.home import StandardPageFactory
from tests.helpers import translate_by_copy

pytestmark = pytest.mark.django_db


def switcher_links(html):
    """{language: (href, is_fallback)} for the switcher's links."""
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    links = {}
    for match in re.finditer(r"<a ([^>]*)>", nav):
        attrs = match.group(1)
        code = re.search(r'data-language="([^"]+)"', attrs).group(1)
        href = re.search(r'href="([^"]+)"', attrs).group(1)
        links[code] = (href, 'data-fallback="true"' in attrs)
    return links


def hreflangs(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


@pytest.fixture
def about(home_in_all_languages):
    page = StandardPageFactory(parent=home_in_all_languages["en"], title="About", slug="about")
    translate_by_copy(page, "tr", title="Hakkında")
    return page


def test_switcher_links_to_the_translation_or_falls_back_to_that_languages_home(client, about):
    html = client.get("/en/about/").content.decode()
    links = switcher_links(html)
    assert links["tr"] == ("/tr/about/", False)
    assert links["ur"] == ("/ur/", True)
    assert "en" not in links  # the current language is not a link
    # The note says so in the language the link leads to.
    assert "صفحۂ اول؛ اس صفحے کا ترجمہ نہیں ہوا" in html
    assert "bu sayfa çevrilmedi" not in html


def test_draft_translations_are_not_offered(client, about, translated):
    translated(about, "ur", {"About": "تعارف"}, publish=False)
    assert switcher_links(client.get("/en/about/").content.decode())["ur"] == ("/ur/", True)


def test_private_translations_are_not_offered(client, about, locales):
    turkish = about.get_translation(locales["tr"])
    PageViewRestriction.objects.create(page=turkish, restriction_type="login")
    links = switcher_links(client.get("/en/about/").content.decode())
    assert links["tr"] == ("/tr/", True)


def test_aliases_are_not_offered(client, about, locales):
    about.copy_for_translation(locales["ur"], alias=True)
    links = switcher_links(client.get("/en/about/").content.decode())
    assert links["ur"] == ("/ur/", True)


def test_hreflang_lists_self_each_live_translation_and_x_default(client, about):
    links = hreflangs(client.get("/tr/about/").content.decode())
    assert links == {
        "en": "http://testserver/en/about/",
        "tr": "http://testserver/tr/about/",
        "x-default": "http://testserver/en/about/",
    }


def test_search_page_switcher_keeps_the_query(client, home_in_all_languages):
    html = client.get("/en/search/?q=istanbul").content.decode()
    assert switcher_links(html)["ur"] == ("/ur/search/?q=istanbul", False)
