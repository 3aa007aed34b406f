"""A visitor's journey through the languages, in a real browser: `/` lands on English, the
switcher leads to Urdu (right to left, and the header really mirrors), then to Turkish on
the same page. Screenshots of each language's home page are left in tests/artifacts/."""

import re

import pytest
from playwright.sync_api import expect

from home.models import HomePage, StandardPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


def header_boxes(page):
    """Bounding boxes of the header's parts, and the header's computed direction, once
    the stylesheet and the web fonts are in: a layout measured while they load (the text
    can already be visible) is not the one visitors see."""
    page.wait_for_load_state("load")
    return page.evaluate(
        """async () => {
            await document.fonts.ready;
            const element = (selector) => document.querySelector(selector);
            const box = (selector) => element(selector).getBoundingClientRect().toJSON();
            return {
                brand: box(".site-header__brand"),
                nav: box(".site-nav"),
                switcher: box(".language-switcher"),
                direction: getComputedStyle(element(".site-header__inner")).direction,
                firstMenuItem: box(".site-nav__list > li:first-child"),
                lastMenuItem: box(".site-nav__list > li:last-child"),
            };
        }"""
    )


def expect_document_language(page, code, direction):
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator("html")).to_have_attribute("dir", direction)


def test_visitor_lands_on_english_switches_to_urdu_then_turkish(demo_site, new_page, artifacts_dir):
    homes = {home.locale.language_code: home for home in HomePage.objects.live()}
    about = {
        page.locale.language_code: page for page in StandardPage.objects.live().filter(slug="about")
    }
    assert set(homes) == set(about) == {"en", "tr", "ur"}, "the demo has every language"

    page = new_page(locale="en-GB")

    # `/` follows Accept-Language to the English home page.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect_document_language(page, "en", "ltr")
    expect(page.locator("h1")).to_have_text(homes["en"].hero_title or homes["en"].title)
    ltr = header_boxes(page)
    assert ltr["direction"] == "ltr"
    # Left to right: the brand comes first, on the left; the menu and the switcher follow.
    assert ltr["brand"]["right"] <= ltr["nav"]["left"], ltr
    assert ltr["nav"]["right"] <= ltr["switcher"]["left"], ltr
    assert ltr["firstMenuItem"]["left"] < ltr["lastMenuItem"]["left"], ltr
    page.screenshot(path=artifacts_dir / "home-en.png", full_page=True)

    # The switcher's Urdu link leads to the Urdu home page, set right to left.
    page.locator(".language-switcher a[data-language='ur']").click()
    expect(page).to_have_url(re.compile(r"/ur/$"))
    expect_document_language(page, "ur", "rtl")
    urdu_title = homes["ur"].hero_title or homes["ur"].title
    assert ARABIC_SCRIPT.search(urdu_title), "the demo's Urdu home page is in Urdu"
    expect(page.locator("h1")).to_have_text(urdu_title)
    expect(page.get_by_text(urdu_title)).to_be_visible()
    rtl = header_boxes(page)
    assert rtl["direction"] == "rtl"
    # Right to left, the reading order mirrors: the brand is on the right, then the menu,
    # then the switcher further left; the first menu item is right of the last.
    assert rtl["brand"]["left"] >= rtl["nav"]["right"], rtl
    assert rtl["nav"]["left"] >= rtl["switcher"]["right"], rtl
    assert rtl["firstMenuItem"]["left"] > rtl["lastMenuItem"]["left"], rtl
    viewport_width = page.viewport_size["width"]
    assert rtl["brand"]["right"] > viewport_width / 2 > rtl["switcher"]["left"], rtl
    # The current language is shown, not linked.
    expect(page.locator(".language-switcher [aria-current]")).to_have_attribute("lang", "ur")
    expect(page.locator(".language-switcher a[data-language='ur']")).to_have_count(0)
    page.screenshot(path=artifacts_dir / "home-ur.png", full_page=True)

    # Through the Urdu menu to About, then the switcher keeps the visitor on that page.
    page.locator(".site-nav").get_by_role("link", name=about["ur"].title).click()
    expect(page).to_have_url(re.compile(r"/ur/about/$"))
    expect(page.locator("h1")).to_have_text(about["ur"].title)
    page.locator(".language-switcher a[data-language='tr']").click()
    expect(page).to_have_url(re.compile(r"/tr/about/$"))
    expect_document_language(page, "tr", "ltr")
    expect(page.locator("h1")).to_have_text(about["tr"].title)
    assert about["tr"].title != about["en"].title, "the demo's Turkish About is translated"
    assert header_boxes(page)["direction"] == "ltr"

    # The brand link leads to the Turkish home page.
    page.locator(".site-header__brand").click()
    expect(page).to_have_url(re.compile(r"/tr/$"))
    expect(page.locator("h1")).to_have_text(homes["tr"].hero_title or homes["tr"].title)
    page.screenshot(path=artifacts_dir / "home-tr.png", full_page=True)
