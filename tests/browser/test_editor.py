"""An editor's journey in the Wagtail admin, in a real browser: the demo `editor` logs in,
creates a standard page under the English home page, publishes it, translates it into
Turkish with wagtail-localize's translation editor and publishes the translation; the
Turkish page then shows the Turkish strings at its /tr/ URL."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from home.models import HomePage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Getting to the venue"
SLUG = "getting-to-the-venue"
INTRO = "The conference meets at a congress centre on the Bosphorus in Istanbul."
PARAGRAPH = "From the airport, the metro takes about an hour."
TURKISH = {
    TITLE: "Mekâna ulaşım",
    INTRO: "Konferans, İstanbul'da Boğaz kıyısındaki bir kongre merkezinde toplanır.",
    PARAGRAPH: "Havalimanından metroyla yaklaşık bir saat sürer.",
}


def log_in(page, username, password):
    page.goto(reverse("wagtailadmin_login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def segment(page, source_text):
    """One segment of the translation editor (a React app): the list item whose source
    paragraph is `source_text`."""
    return page.locator("li:has(> p)").filter(has=page.locator("> p", has_text=source_text))


def test_editor_creates_publishes_and_translates_a_page(demo_site, new_page, artifacts_dir):
    home = HomePage.objects.get(locale__language_code="en")
    page = new_page()
    log_in(page, "editor", "changeme")

    # Create the page under the English home page, with an intro and a paragraph block.
    page.goto(reverse("wagtailadmin_pages:add", args=("home", "standardpage", home.pk)))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_intro").fill(INTRO)
    body = page.locator("[data-contentpath='body']").first
    body.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    paragraph = body.locator("[contenteditable='true']").first
    paragraph.click()
    paragraph.press_sequentially(PARAGRAPH)
    expect(paragraph).to_have_text(PARAGRAPH)
    # Draftail copies its state into the form's hidden input after a short debounce; a
    # publish before that would save an empty paragraph.
    expect(page.locator("input[name='body-0-value']")).to_have_value(
        re.compile(re.escape(PARAGRAPH))
    )

    # Publish from the footer's action menu.
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(re.compile(rf"'{TITLE}'.* published"))
    expect(page).to_have_url(re.compile(rf"/admin/pages/{home.pk}/$"))

    # The page's "Translate this page" action, from its edit view's header menu.
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    page.get_by_role("button", name="Actions").first.click()
    page.get_by_role("link", name="Translate this page").click()
    expect(page).to_have_url(re.compile(r"/admin/localize/submit/page/\d+/$"))
    page.get_by_label("Türkçe").check()
    page.get_by_role("button", name="Submit").click()

    # wagtail-localize opens its translation editor on the new Turkish draft.
    expect(page.locator(".messages")).to_contain_text("submitted for translation into Türkçe")
    for source, turkish in TURKISH.items():
        item = segment(page, source)
        expect(item).to_have_count(1)
        item.get_by_role("button", name="Translate").click()
        item.locator("textarea").fill(turkish)
        item.get_by_role("button", name="Save").click()
        # Saved on the server when the "Edit" button replaces "Saving...".
        expect(item.get_by_role("button", name="Edit")).to_be_visible()
        expect(item).to_contain_text(turkish)
    expect(page.locator("li.incomplete")).to_have_count(0)
    page.screenshot(path=artifacts_dir / "editor-translation.png", full_page=True)

    # Until the translation is published, /tr/ has no such page and the English page's
    # switcher offers the Turkish home page instead.
    visitor = new_page(locale="tr-TR")
    assert visitor.goto(f"/tr/{SLUG}/").status == 404
    visitor.goto(f"/en/{SLUG}/")
    turkish_link = visitor.locator(".language-switcher a[data-language='tr']")
    expect(turkish_link).to_have_attribute("data-fallback", "true")
    expect(turkish_link).to_have_attribute("href", "/tr/")

    page.get_by_role("button", name="Publish in Türkçe").click()
    expect(page.locator(".messages")).to_contain_text(f"Published '{TURKISH[TITLE]}' in Türkçe")

    # Visitors: the English page, and the Turkish one at its /tr/ URL with Turkish text.
    visitor.goto(f"/en/{SLUG}/")
    expect(visitor.locator("h1")).to_have_text(TITLE)
    expect(visitor.locator("main")).to_contain_text(PARAGRAPH)
    visitor.locator(".language-switcher a[data-language='tr']").click()
    expect(visitor).to_have_url(re.compile(rf"/tr/{SLUG}/$"))
    expect(visitor.locator("html")).to_have_attribute("lang", "tr")
    expect(visitor.locator("h1")).to_have_text(TURKISH[TITLE])
    expect(visitor.locator("main")).to_contain_text(TURKISH[INTRO])
    expect(visitor.locator("main")).to_contain_text(TURKISH[PARAGRAPH])
    expect(visitor.locator("main")).not_to_contain_text(INTRO)
    visitor.screenshot(path=artifacts_dir / "editor-page-tr.png", full_page=True)
