"""Editors' multilingual journeys in a real browser, on the demo:

- an Urdu segment in wagtail-localize's translation editor is typed right to left, in
  Nastaliq, and saved as typed; a Turkish one stays left to right;
- the demo editor (Editors group) adds a speaker, asks for its Turkish translation and
  finds it pre-filled by the machine translator (a local server speaking DeepL's API), as
  a draft to review; an Urdu speaker's fields are written right to left."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from config.machine_translation import machine_translator_setting
from events.models import Speaker
from home.models import StandardPage
from tests.browser.test_editor import log_in, segment
from tests.fake_translation_server import FakeTranslationServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

URDU = "کانفرنس کے بارے میں"


def computed(locator, prop):
    return locator.evaluate(f"(el) => getComputedStyle(el).{prop}")


def test_an_urdu_segment_is_typed_right_to_left_and_a_turkish_one_left_to_right(
    demo_site, new_page, artifacts_dir
):
    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    urdu = StandardPage.objects.get(
        translation_key=about.translation_key, locale__language_code="ur"
    )
    turkish = StandardPage.objects.get(
        translation_key=about.translation_key, locale__language_code="tr"
    )
    page = new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "editor", "changeme")

    page.goto(reverse("wagtailadmin_pages:edit", args=[urdu.pk]))
    item = segment(page, about.title)
    expect(item).to_have_count(1)
    item.get_by_role("button", name="Edit").click()
    field = item.locator("textarea")
    expect(field).to_have_attribute("dir", "rtl")
    expect(field).to_have_attribute("lang", "ur")
    assert computed(field, "direction") == "rtl"
    assert "Nastaliq" in computed(field, "fontFamily")
    # The admin's own interface stays in the editor's language and direction.
    assert computed(page.locator("body"), "direction") == "ltr"
    field.fill(URDU)
    item.get_by_role("button", name="Save").click()
    expect(item.get_by_role("button", name="Edit")).to_be_visible()
    expect(item).to_contain_text(URDU)
    page.screenshot(path=artifacts_dir / "editor-urdu-segment.png", full_page=True)

    page.goto(reverse("wagtailadmin_pages:edit", args=[turkish.pk]))
    item = segment(page, about.title)
    item.get_by_role("button", name="Edit").click()
    field = item.locator("textarea")
    expect(field).to_have_attribute("lang", "tr")
    assert computed(field, "direction") == "ltr"
    assert errors == []


def test_the_editor_adds_a_speaker_and_finds_its_turkish_translation_prefilled(
    demo_site, new_page, settings, artifacts_dir
):
    with FakeTranslationServer() as server:
        settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_setting(
            {
                "MACHINE_TRANSLATION_TR": "deepl",
                "DEEPL_AUTH_KEY": "test-key:fx",
                "DEEPL_API_URL": f"{server.url}/v2/translate",
            },
            ["tr", "ur"],
        )
        page = new_page()
        log_in(page, "editor", "changeme")
        page.goto("/admin/snippets/events/speaker/add/")
        page.locator("#id_name").fill("Speaker G. Placeholder")
        page.locator("#id_role").fill("Panel speaker")
        page.get_by_role("button", name="Save").first.click()
        expect(page.locator(".messages")).to_contain_text("Speaker G. Placeholder")

        # wagtail-localize's "Translate", in the speaker's row of the listing.
        row = page.locator("tr", has_text="Speaker G. Placeholder")
        row.get_by_role("button", name=re.compile("More options")).click()
        page.get_by_role("link", name="Translate 'Speaker G. Placeholder'").click()
        page.get_by_label("Türkçe").check()
        page.get_by_role("button", name="Submit").click()

        expect(page.locator(".messages")).to_contain_text("Machine-translated by DeepL")
        # The translation editor opens with the machine's draft in every segment.
        item = segment(page, "Panel speaker")
        expect(item).to_contain_text("[tr] Panel speaker")
        expect(page.locator("li.incomplete")).to_have_count(0)
        page.screenshot(path=artifacts_dir / "editor-speaker-machine-draft.png", full_page=True)
        assert any(r["path"] == "/v2/translate" for r in server.requests)

        # A name is not translated: "Keep as in source" puts the English back, kept.
        name_segment = segment(page, "Speaker G. Placeholder")
        expect(name_segment).to_contain_text("[tr] Speaker G. Placeholder")
        name_segment.get_by_role("button", name="Keep as in source").click()
        page.wait_for_load_state("load")
        name_segment = segment(page, "Speaker G. Placeholder")
        expect(name_segment).not_to_contain_text("[tr]")
        expect(segment(page, "Panel speaker")).to_contain_text("[tr] Panel speaker")
        page.get_by_role("button", name=re.compile(r"^(Publish|Save)")).first.click()
        expect(page.locator(".messages")).to_be_visible()
        turkish = Speaker.objects.get(name="Speaker G. Placeholder", locale__language_code="tr")
        assert turkish.role == "[tr] Panel speaker"

        # A speaker written in Urdu from the start: its fields run right to left.
        page.goto("/admin/snippets/events/speaker/add/?locale=ur")
        name = page.locator("#id_name")
        name.fill("مقرر ح")
        expect(name).to_have_attribute("dir", "auto")
        assert computed(name, "direction") == "rtl"
        bio = page.locator("[data-contentpath='bio'] [contenteditable='true'], #id_bio").first
        assert computed(bio, "direction") == "rtl"


def test_the_status_report_shows_about_out_of_date_in_urdu_and_syncs_it(
    demo_site, new_page, settings, artifacts_dir
):
    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    new_intro = "Who runs the conference, and how it works."
    with FakeTranslationServer() as server:
        settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_setting(
            {"MACHINE_TRANSLATION_UR": "libretranslate", "LIBRETRANSLATE_URL": server.url},
            ["tr", "ur"],
        )
        page = new_page()
        log_in(page, "editor", "changeme")

        # The English page's intro is edited and published.
        page.goto(reverse("wagtailadmin_pages:edit", args=[about.pk]))
        page.locator("#id_intro").fill(new_intro)
        page.locator("footer .w-dropdown__toggle").click()
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("published")

        # The report, from the Reports menu, filtered to Urdu translations out of date.
        page.goto("/admin/reports/translation-status/")
        page.get_by_label("Language").select_option("ur")
        page.get_by_label("State").select_option("out_of_date")
        page.get_by_role("button", name="Filter").click()
        row = page.locator("tbody tr", has_text=about.title)
        expect(row).to_have_count(1)
        expect(row.locator(".translation-status__state")).to_have_text("Out of date")
        expect(row).to_contain_text(new_intro)
        page.screenshot(path=artifacts_dir / "translation-status-out-of-date.png", full_page=True)

        row.get_by_role("checkbox").check()
        page.get_by_role("button", name="Sync and publish the selected").click()
        expect(page.locator(".messages")).to_contain_text("Synced and published")
        expect(page.locator("tbody tr", has_text=about.title)).to_have_count(0)

        page.get_by_label("State").select_option("up_to_date")
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("tbody tr", has_text=about.title)).to_have_count(1)

    visitor = new_page(locale="ur-PK")
    visitor.goto("/ur/about/")
    expect(visitor.locator("main")).to_contain_text(f"[ur] {new_intro}")
