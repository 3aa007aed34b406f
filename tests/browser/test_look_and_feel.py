"""The public face on a phone and a desktop (#13): at 375 px the header is one row (menu
button, no more than 70 px), the menu opens without script, the hero picture is not a
thin strip, and Urdu mirrors; the registration form's invalid fields are red. Screenshots
of home, event and form at 1280 and 375 px are left in tests/artifacts/."""

import pytest
from playwright.sync_api import expect

from events.models import EventPage
from forms_app.models import RegistrationFormPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def settle(page):
    page.wait_for_load_state("load")
    page.evaluate("async () => { await document.fonts.ready; }")


def box(page, selector):
    return page.evaluate(
        "(s) => document.querySelector(s).getBoundingClientRect().toJSON()", selector
    )


def test_look_and_feel_on_phone_and_desktop(demo_site, new_page, artifacts_dir):
    event = EventPage.objects.live().filter(locale__language_code="en").order_by("-start").first()
    form = RegistrationFormPage.objects.live().child_of(event).first()
    assert form is not None, "the demo's next event has a registration form"
    for language in ("en", "ur"):
        event_in = EventPage.objects.get(
            translation_key=event.translation_key, locale__language_code=language
        )
        form_in = RegistrationFormPage.objects.get(
            translation_key=form.translation_key, locale__language_code=language
        )
        for name, viewport in (("1280", DESKTOP), ("375", PHONE)):
            page = new_page(viewport=viewport)
            for kind, url in (
                ("home", f"/{language}/"),
                ("event", event_in.url),
                ("form", form_in.url),
            ):
                page.goto(url)
                settle(page)
                page.screenshot(
                    path=artifacts_dir / f"look-{kind}-{language}-{name}.png", full_page=True
                )

    # A phone: the header is one row, the menu opens and closes without script.
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto("/en/")
    settle_no_js = page.wait_for_load_state("load")
    del settle_no_js
    header = box(page, ".site-header")
    assert header["height"] <= 70, header
    nav = page.locator(".site-nav")
    expect(nav).to_be_hidden()
    page.locator(".site-menu__button").click()
    expect(nav).to_be_visible()
    expect(page.locator(".language-switcher a[data-language='ur']")).to_be_visible()

    page = new_page(viewport=PHONE)
    page.goto("/en/")
    settle(page)
    hero = box(page, ".hero__image")
    assert hero["height"] >= 200, hero
    button = page.locator(".site-menu__button")
    expect(button).to_be_visible()
    assert page.locator(".site-menu").get_attribute("open") is None
    button.click()
    expect(page.locator(".site-nav")).to_be_visible()
    page.screenshot(path=artifacts_dir / "look-home-en-375-menu-open.png")

    # Urdu on a phone: right to left, the brand on the right and the menu button on the left.
    page.goto("/ur/")
    settle(page)
    brand, menu = box(page, ".site-header__brand"), box(page, ".site-menu__button")
    assert brand["left"] > menu["left"], (brand, menu)
    assert box(page, ".site-header")["height"] <= 70

    # Desktop: the menu is in the bar, no menu button.
    page = new_page(viewport=DESKTOP)
    page.goto("/en/")
    settle(page)
    expect(page.locator(".site-menu__button")).to_be_hidden()
    expect(page.locator(".site-nav")).to_be_visible()
    page.goto("/ur/")
    settle(page)
    brand, nav = box(page, ".site-header__brand"), box(page, ".site-nav")
    assert brand["left"] > nav["right"], (brand, nav)

    # The form: an invalid field's border is red (the error rule beats the input rule).
    page.goto(form.url)
    settle(page)
    page.locator(".registration-form button[type=submit]").click()
    page.wait_for_load_state("load")
    invalid = page.locator(".field--error input[type='text'], .field--error input[type='email']")
    expect(invalid.first).to_be_visible()
    colour = invalid.first.evaluate("(e) => getComputedStyle(e).borderInlineStartColor")
    assert colour == "rgb(164, 22, 26)", colour
    size = page.locator(".registration-form input[type='checkbox']").first.bounding_box()
    assert size["width"] >= 24 and size["height"] >= 24, size
    page.screenshot(path=artifacts_dir / "look-form-en-1280-errors.png", full_page=True)
