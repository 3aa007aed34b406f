"""Every public page has a meta description and Open Graph and Twitter card tags (title,
description, image, locale and the other languages' locales), and a `<title>` that says
what the page is and where: "Register — <the event>", the thank-you page titled as such.
On the demo site, in English, Turkish and Urdu."""

import html as html_module
import re

import pytest

from tests.helpers import meta
from tests.public_pages import LANGUAGES, demo_addresses

pytestmark = pytest.mark.django_db

OG_LOCALES = {"en": "en_GB", "tr": "tr_TR", "ur": "ur_PK"}


def title_of(html):
    return html_module.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


def metas(html, prop):
    return re.findall(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)


@pytest.fixture
def pages(demo, client):
    return {
        name: client.get(url).content.decode()
        for name, url in demo_addresses().items()
        if not name.startswith("survey")
    }


def test_every_page_has_a_description_and_social_tags(pages):
    problems = []
    for name, html in pages.items():
        code = name.rsplit("-", 1)[1]
        for prop in (
            "description",
            "og:description",
            "twitter:description",
            "og:title",
            "twitter:title",
            "og:image",
            "twitter:image",
            "og:type",
            "og:site_name",
        ):
            if not meta(html, prop):
                problems.append(f"{name}: no {prop}")
        if meta(html, "twitter:card") != "summary_large_image":
            problems.append(f"{name}: twitter:card {meta(html, 'twitter:card')}")
        if meta(html, "og:locale") != OG_LOCALES[code]:
            problems.append(f"{name}: og:locale {meta(html, 'og:locale')}")
        alternates = sorted(metas(html, "og:locale:alternate"))
        if alternates != sorted(v for k, v in OG_LOCALES.items() if k != code):
            problems.append(f"{name}: og:locale:alternate {alternates}")
        if meta(html, "og:image") and not meta(html, "og:image").startswith("http"):
            problems.append(f"{name}: og:image is not absolute")
    assert not problems, "\n".join(problems)


def test_descriptions_come_from_the_page(pages):
    from events.models import EventPage

    event = EventPage.objects.get(slug="next-conference", locale__language_code="en")
    expected = " ".join(
        (event.search_description or event.listing_summary or event.introduction).split()
    )
    assert html_module.unescape(meta(pages["event-en"], "description")).startswith(expected[:100])


def test_titles_say_what_the_page_is_and_where(pages):
    from wagtail.models import Locale

    from events.models import EventPage

    for code in LANGUAGES:
        event = EventPage.objects.get(
            slug="next-conference", locale=Locale.objects.get(language_code=code)
        )
        form_title = title_of(pages[f"form-{code}"])
        assert form_title.endswith(f" — {event.title}"), form_title
        thanks = title_of(pages[f"thanks-{code}"])
        assert thanks.endswith(f" — {event.title}"), thanks
        assert thanks.split(" — ")[0] != form_title.split(" — ")[0], thanks
        assert " — " in title_of(pages[f"event-{code}"])
        assert " — " in title_of(pages[f"standard-{code}"])
        assert " — " in title_of(pages[f"search-{code}"])
        assert " — " not in title_of(pages[f"home-{code}"])
    english = EventPage.objects.get(slug="next-conference", locale__language_code="en")
    assert title_of(pages["form-en"]) == f"Register — {english.title}"
    assert title_of(pages["thanks-en"]).startswith("Registration received — ")


def test_call_to_action_links_are_named_after_what_they_lead_to(pages):
    link = re.search(
        r'<aside class="block-cta">.*?<a class="button"[^>]*>(.*?)</a>', pages["home-en"], re.S
    )
    assert link, "the demo home page has a call to action"
    text = re.sub(r"<[^>]+>", "", link.group(1))
    assert text.startswith("Read more: "), text
