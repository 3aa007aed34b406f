"""The public face (#13, look and feel): the home page's call to action in each
registration state, the venue block and its OpenStreetMap link, speakers' portraits or
initials, partners on the home and event pages and as schema.org `sponsor`, the header's
disclosure, the registration form's error styling, and demo pictures that differ per slot.

The site (English home, its translations, the event and its form) is built once for the
module (tests/fixtures.py); the partners and the venue once more on it (`module_data`)."""

import datetime as dt
import hashlib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from wagtail.models import Locale

from events.models import EventPage, EventPartner, Partner, PartnerTier, Speaker
from forms_app.models import RegistrationFormPage
from tests.factories.events import SpeakerFactory, programme
from tests.helpers import image, json_ld

ROOT = Path(__file__).resolve().parents[2]
PARTNER_NAMES = {"en": "Example Foundation", "ur": "مثالی فاؤنڈیشن"}


def _build():
    """A sponsor in English and Urdu, credited on the event (and its Urdu translation); a
    venue with a street address and no map link; a programme with one speaker with a photo
    and one without."""
    event = EventPage.objects.get(slug="third-conference", locale__language_code="en")
    sponsor = Partner.objects.create(
        name=PARTNER_NAMES["en"],
        tier=PartnerTier.SPONSOR,
        link="https://example.org/",
        locale=Locale.objects.get(language_code="en"),
        logo=image("Example logo"),
    )
    urdu = sponsor.copy_for_translation(Locale.objects.get(language_code="ur"))
    urdu.name = PARTNER_NAMES["ur"]
    urdu.save()
    with_photo = SpeakerFactory(name="Ayesha Placeholder", photo=image("Portrait"))
    without = SpeakerFactory(name="Bilal Example")
    for page in EventPage.objects.filter(translation_key=event.translation_key):
        EventPartner.objects.create(page=page, partner=sponsor, sort_order=0)
        page.venue_name = "Congress Centre"
        page.street_address = "Harbiye Mahallesi 1"
        page.city = "Istanbul"
        page.country = "Türkiye"
        page.map_url = ""
        page.programme = programme(
            days=1, sessions_per_day=2, speakers=[with_photo, without], first_date="2030-01-02"
        )
        page.save_revision().publish()
    return {"sponsor": sponsor.pk, "with_photo": with_photo.pk, "without": without.pk}


@pytest.fixture(scope="module")
def built(module_data, site_data):
    return module_data(_build)


@pytest.fixture
def site(built, form_page, event):
    if built is None:  # pragma: no cover - shared data always exists for this module
        built = _build()
    return {"event": EventPage.objects.get(pk=event.pk), "form": form_page, **built}


def _hero(html):
    section = re.search(r'<section class="next-event hero-event".*?</section>', html, re.S)
    assert section, "the home page shows the next event in its hero"
    return section.group(0)


# The home page's call to action ------------------------------------------------------------


def test_home_hero_invites_to_register_when_open(client, site):
    hero = _hero(client.get("/en/").content.decode())
    assert site["event"].title in hero
    assert 'data-availability="open"' in hero
    assert f'class="button button--large" href="{site["form"].url}">Register</a>' in hero
    assert "Istanbul" in hero and "Türkiye" in hero


def test_home_hero_says_when_registration_opens(client, site):
    RegistrationFormPage.objects.filter(pk=site["form"].pk).update(
        opens_at=timezone.now() + dt.timedelta(days=20)
    )
    hero = _hero(client.get("/en/").content.decode())
    assert 'data-availability="not_yet_open"' in hero
    assert "Registration opens on" in hero
    assert ">Register</a>" not in hero


def test_home_hero_offers_the_waiting_list_when_full(client, site):
    RegistrationFormPage.objects.filter(pk=site["form"].pk).update(capacity=0, waiting_list=True)
    hero = _hero(client.get("/en/").content.decode())
    assert 'data-availability="open"' in hero
    assert "Fully booked — join the waiting list</a>" in hero


def test_home_hero_says_fully_booked_without_a_waiting_list(client, site):
    RegistrationFormPage.objects.filter(pk=site["form"].pk).update(capacity=0, waiting_list=False)
    hero = _hero(client.get("/en/").content.decode())
    assert 'data-availability="full"' in hero
    assert "Fully booked" in hero
    assert ">Register</a>" not in hero


def test_home_hero_says_registration_is_closed(client, site):
    RegistrationFormPage.objects.filter(pk=site["form"].pk).update(
        closes_at=timezone.now() - dt.timedelta(days=1)
    )
    hero = _hero(client.get("/en/").content.decode())
    assert 'data-availability="closed"' in hero
    assert "Registration is closed." in hero


def test_home_hero_in_urdu_is_translated(client, site):
    hero = _hero(client.get("/ur/").content.decode())
    assert "رجسٹر" in hero or "اندراج" in hero
    assert "Register<" not in hero


# The event page --------------------------------------------------------------------------------


def test_venue_block_has_name_street_and_openstreetmap_link(client, site):
    html = client.get(site["event"].url).content.decode()
    venue = re.search(r'<section class="venue.*?</section>', html, re.S).group(0)
    assert "Congress Centre" in venue and "Harbiye Mahallesi 1" in venue
    link = re.search(r'href="(https://www\.openstreetmap\.org/search\?[^"]+)"', venue).group(1)
    query = parse_qs(urlparse(link.replace("&amp;", "&")).query)["query"][0]
    assert "Harbiye Mahallesi 1" in query and "Istanbul" in query
    assert "<iframe" not in html


def test_calendar_links_are_a_button_group(client, site):
    html = client.get(site["event"].url).content.decode()
    group = re.search(r'<ul class="event-calendar__links button-group">.*?</ul>', html, re.S)
    assert group and group.group(0).count("<a ") == 3


def test_speakers_show_a_photo_or_initials_on_a_disc(client, site):
    html = client.get(site["event"].url).content.decode()
    with_photo = Speaker.objects.get(pk=site["with_photo"])
    without = Speaker.objects.get(pk=site["without"])
    card = re.search(rf'id="speaker-{with_photo.translation_key}".*?</li>', html, re.S).group(0)
    assert 'class="person__photo"' in card and "person__initials" not in card
    # A portrait in modern formats and for dense screens, loaded when scrolled to.
    assert 'type="image/avif"' in card and "fill-160x160" in card
    assert 'sizes="5rem"' in card and 'loading="lazy"' in card
    card = re.search(rf'id="speaker-{without.translation_key}".*?</li>', html, re.S).group(0)
    assert re.search(r'class="person__initials disc--\d" aria-hidden="true">BE</span>', card)
    assert "<img" not in card


def test_sessions_show_time_kind_and_room(client, site):
    html = client.get(site["event"].url).content.decode()
    first = re.search(r'<li class="session session--.*?</li>', html, re.S).group(0)
    assert (
        first.index("session__time") < first.index("session__title") < first.index("session__kind")
    )


@pytest.mark.parametrize("language", ["en", "ur"])
def test_partners_on_the_event_page_and_in_json_ld(client, site, language):
    event = site["event"]
    if language != "en":
        event = EventPage.objects.get(
            translation_key=event.translation_key, locale__language_code=language
        )
    html = client.get(event.url).content.decode()
    partners = re.search(r'<section class="partners.*?</section>', html, re.S).group(0)
    assert PARTNER_NAMES[language] in partners
    assert "partner--sponsor" in partners and "<img" in partners
    data = json_ld(html)
    assert [s["name"] for s in data["sponsor"]] == [PARTNER_NAMES[language]]
    assert data["sponsor"][0]["@type"] == "Organization"
    assert data["sponsor"][0]["url"] == "https://example.org/"
    assert data["sponsor"][0]["logo"].startswith("http")


@pytest.mark.parametrize("language", ["en", "ur"])
def test_partners_and_speakers_on_the_home_page(client, site, language):
    html = client.get(f"/{language}/").content.decode()
    partners = re.search(r'<section class="partners.*?</section>', html, re.S).group(0)
    assert PARTNER_NAMES[language] in partners
    assert 'class="speaker-grid"' in html
    assert 'class="glance page-wide"' in html


def test_partner_is_a_translatable_snippet_registered_in_the_admin(admin_client, site):
    from django.urls import reverse
    from wagtail.models import TranslatableMixin
    from wagtail_localize.models import get_translatable_models

    assert issubclass(Partner, TranslatableMixin)
    assert Partner in get_translatable_models()
    sponsor = Partner.objects.get(pk=site["sponsor"])
    assert {p.locale.language_code for p in sponsor.get_translations(inclusive=True)} == {
        "en",
        "ur",
    }
    response = admin_client.get(reverse("wagtailsnippets_events_partner:list"))
    assert response.status_code == 200
    assert PARTNER_NAMES["en"] in response.content.decode()


# The header ------------------------------------------------------------------------------------


def test_header_menu_is_a_details_disclosure(client, site):
    html = client.get("/en/").content.decode()
    header = re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)
    details = re.search(r'<details class="site-menu">(.*?)</details>', header, re.S).group(1)
    assert re.search(r"<summary[^>]*>.*Menu.*</summary>", details, re.S)
    assert '<nav class="site-nav"' in details
    assert '<nav class="language-switcher"' in details


# The registration form's error styling ------------------------------------------------------


def specificity(selector):
    """(ids, classes/attributes/pseudo-classes, elements) of a simple CSS selector (no
    :is/:not/:where, which these rules do not use)."""
    selector = re.sub(r"::[\w-]+", " x", selector)
    ids = len(re.findall(r"#[\w-]+", selector))
    classes = len(re.findall(r"\.[\w-]+|\[[^\]]+\]|:[\w-]+", selector))
    stripped = re.sub(r"#[\w-]+|\.[\w-]+|\[[^\]]+\]|:[\w-]+", " ", selector)
    elements = len(re.findall(r"[a-zA-Z][\w-]*", stripped))
    return ids, classes, elements


def rules(css):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        yield [s.strip() for s in selectors.split(",")], body


def test_error_border_beats_the_input_border():
    css = (ROOT / "forms_app/static/forms_app/registration.css").read_text()
    base = error = None
    for selectors, body in rules(css):
        if '.registration-form input[type="text"]' in selectors and "border:" in body:
            base = specificity('.registration-form input[type="text"]')
        for selector in selectors:
            if "field--error" in selector and selector.endswith("input") and "border-color" in body:
                error = specificity(selector)
    assert base and error, (base, error)
    assert error > base, (error, base)


def test_checkboxes_and_radios_are_at_least_24_pixels():
    css = (ROOT / "forms_app/static/forms_app/registration.css").read_text()
    for selectors, body in rules(css):
        if '.registration-form input[type="checkbox"]' in selectors and "appearance" in body:
            assert "min-inline-size: 24px" in body and "min-block-size: 24px" in body
            return
    pytest.fail("no custom checkbox rule")


def test_stylesheets_use_logical_properties_only():
    physical = re.compile(
        r"(?<![\w-])(margin|padding|border)-(left|right|top|bottom)\b|(?<![\w-])(left|right|top|bottom)\s*:"
        r"|text-align:\s*(left|right)|float:\s*(left|right)"
    )
    for path in (
        "site/static/css/site.css",
        "events/static/events/events.css",
        "forms_app/static/forms_app/registration.css",
    ):
        css = re.sub(r"/\*.*?\*/", "", (ROOT / path).read_text(), flags=re.S)
        assert not physical.search(css), (path, physical.search(css).group(0))


def test_latin_web_font_is_self_hosted_with_its_licence():
    css = (ROOT / "site/static/css/site.css").read_text()
    fonts = ROOT / "site/static/fonts"
    for weight in (400, 700):
        name = f"noto-sans-latin-{weight}-normal.woff2"
        assert f"../fonts/{name}" in css
        assert (fonts / name).stat().st_size < 40_000
    assert (fonts / "OFL-NotoSans.txt").exists()
    assert "noto-nastaliq-urdu-arabic-400-normal.woff2" in css


def test_web_font_has_the_turkish_letters():
    from fontTools.ttLib import TTFont

    font = TTFont(ROOT / "site/static/fonts/noto-sans-latin-400-normal.woff2")
    cmap = font.getBestCmap()
    for letter in "ıİşŞğĞçÇöÖüÜ":
        assert ord(letter) in cmap, letter


# Demo pictures -----------------------------------------------------------------------------------


def test_demo_pictures_differ_per_slot():
    from events.demo import HERO_IMAGES, PARTNERS
    from home.demo.images import draw_image, wordmark

    titles = ["Conference banner", *HERO_IMAGES.values()]
    digests = {hashlib.sha256(draw_image(t, (400, 150)).tobytes()).hexdigest() for t in titles}
    assert len(digests) == len(titles)
    logos = {hashlib.sha256(wordmark(p["name"].en).tobytes()).hexdigest() for p in PARTNERS}
    assert len(logos) == len(PARTNERS)
    # The same title draws the same picture (the demo loader is idempotent).
    assert (
        draw_image("Next conference", (400, 150)).tobytes()
        == draw_image("Next conference", (400, 150)).tobytes()
    )


@pytest.mark.parametrize("language", ["en", "ur"])
def test_thank_you_page_shows_a_confirmation_state(client, site, language):
    from tests.helpers import answers

    url = f"/{language}/third-conference/register/"
    response = client.post(url, answers())
    assert response.status_code == 303
    html = client.get(response["Location"]).content.decode()
    assert "forms_app/registration.css" in html
    confirmation = re.search(r'<div class="confirmation">.*?</div>\s*</div>', html, re.S)
    assert confirmation and 'class="confirmation__icon"' in confirmation.group(0)
    assert 'role="status"' in confirmation.group(0)
    if language == "ur":
        assert "آپ کی رجسٹریشن موصول ہو گئی ہے" in confirmation.group(0)
