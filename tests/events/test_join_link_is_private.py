"""An event's online join address is never public (issue #12): no public response carries
it — the event page in every language (from the page cache or not), the events index,
the home page, the sitemap, the public calendar files, the search results, the JSON-LD
and the Google/Outlook links — and no public cache entry holds it, even after a
registrant has seen it. Confirmed registrants get it on their manage page, in their
confirmation, promotion and "details again" emails (text, HTML and the attached calendar
file) and in their personal calendar file; waitlisted and cancelled registrants and the
organisers' notice do not."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from events.choices import AttendanceMode
from events.models import EventPage
from forms_app import emails, services
from forms_app.models import EmailKind, OutgoingEmail, Registration, RegistrationFormPage
from home.languages import live_translation
from home.models import HomePage
from tests import helpers
from tests.factories.events import EventIndexPageFactory, EventPageFactory
from tests.helpers import json_ld, parse_ics, translate_by_copy, vevents

pytestmark = pytest.mark.django_db

# Letters and digits only: the same under URL, JSON, HTML and quoted-printable encoding,
# so looking for it finds the address however a response encodes it.
TOKEN = "zq7join7f3a9c"
SECRET = f"https://meet.example.org/j/{TOKEN}?pwd=private"
LANGUAGES = ("en", "tr", "ur")
INDEX_TITLES = {"tr": "Etkinlikler", "ur": "تقریبات"}
EVENT_TITLES = {"en": "Online Summit", "tr": "Çevrim İçi Zirve", "ur": "آن لائن سربراہی اجلاس"}
NOTICE = {
    "en": "The link to join online is sent to registered participants.",
    "tr": "Çevrim içi katılım bağlantısı, kayıtlı katılımcılara gönderilir.",
    "ur": "آن لائن شرکت کا لنک رجسٹرڈ شرکا کو بھیجا جاتا ہے۔",
}


def build_online_event(site_data):
    """A hybrid event with a join address under an events index, in three languages, its
    registration form (one place, a waiting list), a confirmed registrant (Turkish) and a
    waitlisted one (Urdu), indexed for the site search."""
    home = HomePage.objects.get(pk=site_data["homes"]["en"])
    events = EventIndexPageFactory(parent=home)
    for code, title in INDEX_TITLES.items():
        translate_by_copy(events, code, title=title)
    start = timezone.now() + dt.timedelta(days=30)
    event = EventPageFactory(
        parent=events,
        title=EVENT_TITLES["en"],
        slug="online-summit",
        start=start,
        end=start + dt.timedelta(days=1),
        attendance_mode=AttendanceMode.MIXED,
        online_url=SECRET,
    )
    event.save_revision().publish()
    pages = [event] + [
        translate_by_copy(event, code, title=EVENT_TITLES[code]) for code in ("tr", "ur")
    ]
    for page in pages:
        assert page.online_url == SECRET
        get_search_backend().add(page)  # the test settings do not index on save
    form = helpers.build_form_page(event)
    form.capacity = 1
    form.save_revision().publish()
    form_tr, form_ur = (form.get_translation(page.locale).specific for page in pages[1:])
    confirmed = helpers.register(form_tr, "Ayşe Yılmaz", "ayse@example.org")
    waitlisted = helpers.register(form_ur, "عائشہ خان", "aisha@example.org")
    return {"event": event.pk, "confirmed": confirmed.pk, "waitlisted": waitlisted.pk}


@pytest.fixture(scope="module")
def online_pks(module_data, site_data):
    return module_data(lambda: build_online_event(site_data))


@pytest.fixture
def online(online_pks, home_in_all_languages):
    if online_pks is None:  # a transactional run builds its own
        site_data = {"homes": {code: page.pk for code, page in home_in_all_languages.items()}}
        online_pks = build_online_event(site_data)
    event = EventPage.objects.get(pk=online_pks["event"])
    confirmed = Registration.objects.get(pk=online_pks["confirmed"])
    waitlisted = Registration.objects.get(pk=online_pks["waitlisted"])
    assert (confirmed.status, waitlisted.status) == ("confirmed", "waitlisted")
    return event, confirmed, waitlisted


@pytest.fixture
def visitor():
    """An anonymous visitor with no cookies at all."""
    return Client()


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def in_language(event, code):
    return event.get_translation(Locale.objects.get(language_code=code)).specific


def unfolded(response):
    """The body, with iCalendar's folded lines joined (a fold can split the address)."""
    return response.content.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")


def assert_no_join_address(response):
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    assert TOKEN.encode() not in unfolded(response)
    assert all(TOKEN not in value for _name, value in response.items())


def assert_no_cache_entry_holds_it():
    """Nothing in the app's caches (whole pages, fragments, remembered values) holds the
    address, in whatever form it was stored."""
    for name in ("pages", "default"):
        for key, value in caches[name]._cache.items():  # LocMemCache, the test settings'
            assert TOKEN not in key
            assert TOKEN.encode() not in value, (name, key)  # pickled: strings as UTF-8


def public_paths(event):
    """Every public address that shows the event in some way, in every language."""
    paths = ["/sitemap.xml"]
    for code in LANGUAGES:
        page = in_language(event, code)
        index_page = page.get_parent().specific
        paths += [
            f"/{code}/",
            index_page.url,
            f"{index_page.url}calendar.ics",
            page.url,
            f"{page.url}event.ics",
            f"/{code}/search/?q={EVENT_TITLES[code].split()[0]}",
        ]
    return paths


def manage_path(registration, name="manage"):
    form = live_translation(
        RegistrationFormPage.objects.get(pk=registration.page_id), registration.language
    )
    return form.url + form.reverse_subpage(name, args=[registration.manage_token])


def decoded_parts(message):
    """(content type, decoded text) of every leaf part of an email as it would be sent."""
    parts = []
    for part in message.message().walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        text = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
        parts.append((part.get_content_type(), text))
    return parts


def email_of(registration, kind):
    email = OutgoingEmail.objects.filter(registration=registration, kind=kind).latest("pk")
    return emails.build_message(email)


# The public never sees it -----------------------------------------------------------------


@pytest.mark.parametrize("cache", ["off", "on"])
def test_no_public_response_carries_the_join_address(request, visitor, online, cache):
    if cache == "on":
        request.getfixturevalue("page_cache_on")
    event, _confirmed, _waitlisted = online
    for path in public_paths(event):
        for _attempt in range(2):  # with the cache on: a miss, then a hit
            assert_no_join_address(visitor.get(path))
    if cache == "on":
        page = visitor.get(event.url)
        assert page["X-Page-Cache"] == "hit"
    assert_no_cache_entry_holds_it()


def test_the_pages_show_the_event_and_say_the_link_is_sent_to_participants(visitor, online):
    """The responses above are the event's own (the test is not vacuous)."""
    event, _confirmed, _waitlisted = online
    for code in LANGUAGES:
        page = in_language(event, code)
        html = visitor.get(page.url).content.decode()
        assert EVENT_TITLES[code] in html
        assert NOTICE[code] in html
        assert 'class="event-calendar__google"' in html
        assert EVENT_TITLES[code] in visitor.get(f"/{code}/").content.decode()
        assert EVENT_TITLES[code] in visitor.get(page.get_parent().url).content.decode()
    search = visitor.get("/en/search/", {"q": "Summit"}).content.decode()
    assert event.url in search
    (vevent,) = vevents(parse_ics(visitor.get(f"{event.url}event.ics")))
    assert str(vevent["SUMMARY"]) == EVENT_TITLES["en"]
    assert str(vevent["URL"]).endswith(event.url)
    assert "Congress Centre" in str(vevent["LOCATION"])
    assert f"http://testserver{event.url}" in visitor.get("/sitemap.xml").content.decode()


def test_structured_data_keeps_a_virtual_location_without_its_address(visitor, online):
    event, _confirmed, _waitlisted = online
    for code in LANGUAGES:
        page = in_language(event, code)
        data = json_ld(visitor.get(page.url).content.decode())
        assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
        place, virtual = data["location"]
        assert place["@type"] == "Place" and place["address"]["addressLocality"]
        # The public page (where registrants learn how to join), never the join address.
        assert virtual == {"@type": "VirtualLocation", "url": f"http://testserver{page.url}"}


def test_an_online_only_events_public_calendar_says_online(visitor, online):
    event, _confirmed, _waitlisted = online
    event.attendance_mode = AttendanceMode.ONLINE
    event.save_revision().publish()
    (vevent,) = vevents(parse_ics(visitor.get(f"{event.url}event.ics")))
    assert str(vevent["LOCATION"]) == "Online"
    assert TOKEN not in str(vevent["DESCRIPTION"])
    data = json_ld(visitor.get(event.url).content.decode())
    assert data["location"] == {"@type": "VirtualLocation", "url": f"http://testserver{event.url}"}


def test_a_registrant_seeing_it_first_puts_it_in_no_public_cache_entry(page_cache_on, online):
    event, confirmed, _waitlisted = online
    registrant = Client()
    assert SECRET in registrant.get(manage_path(confirmed)).content.decode()
    assert TOKEN.encode() in unfolded(registrant.get(manage_path(confirmed, "manage_calendar")))
    visitor = Client()
    for path in public_paths(event):
        assert_no_join_address(visitor.get(path))
    assert_no_cache_entry_holds_it()


# Confirmed registrants get it -----------------------------------------------------------------


def test_a_confirmed_registrant_sees_it_on_the_manage_page_and_in_their_calendar(online):
    _event, confirmed, _waitlisted = online
    client = Client()
    response = client.get(manage_path(confirmed))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert f'href="{SECRET}"' in html
    assert "Çevrim içi katılın" in html  # the registrant's language (Turkish)
    calendar = client.get(manage_path(confirmed, "manage_calendar"))
    assert "no-store" in calendar["Cache-Control"]
    (vevent,) = vevents(parse_ics(calendar))
    assert SECRET in str(vevent["DESCRIPTION"])
    assert str(vevent["SUMMARY"]) == EVENT_TITLES["tr"]


def test_the_confirmation_email_carries_it_in_text_html_and_calendar(online):
    _event, confirmed, _waitlisted = online
    parts = dict(decoded_parts(email_of(confirmed, EmailKind.CONFIRMATION)))
    assert SECRET in parts["text/plain"]
    assert f'href="{SECRET}"' in parts["text/html"]
    (vevent,) = Calendar.from_ical(parts["text/calendar"]).walk("VEVENT")
    assert SECRET in str(vevent["DESCRIPTION"])


def test_promotion_and_details_again_carry_it_to_confirmed_registrants_only(online):
    _event, confirmed, waitlisted = online
    # "Details again" to the waitlisted registrant: not yet.
    helpers.register(live_translation(waitlisted.page.specific, "ur"), "x", waitlisted.email)
    again = decoded_parts(email_of(waitlisted, EmailKind.DETAILS_AGAIN))
    assert all(TOKEN not in text for _type, text in again)
    # The confirmed registrant cancels: the waitlisted one is promoted and gets it.
    promoted = services.cancel(confirmed)
    assert promoted.pk == waitlisted.pk
    parts = dict(decoded_parts(email_of(waitlisted, EmailKind.PROMOTED)))
    assert SECRET in parts["text/plain"] and SECRET in parts["text/html"]
    assert SECRET in parts["text/calendar"].replace("\r\n ", "")
    assert SECRET in Client().get(manage_path(waitlisted)).content.decode()
    helpers.register(live_translation(waitlisted.page.specific, "ur"), "x", waitlisted.email)
    again = dict(decoded_parts(email_of(waitlisted, EmailKind.DETAILS_AGAIN)))
    assert SECRET in again["text/plain"]
    # The cancelled registrant no longer sees it.
    confirmed.refresh_from_db()
    client = Client()
    assert_no_join_address(client.get(manage_path(confirmed)))
    assert_no_join_address(client.get(manage_path(confirmed, "manage_calendar")))


# Waitlisted registrants and the organisers do not ------------------------------------------


def test_a_waitlisted_registrant_does_not_get_it(online):
    _event, _confirmed, waitlisted = online
    client = Client()
    assert_no_join_address(client.get(manage_path(waitlisted)))
    calendar = client.get(manage_path(waitlisted, "manage_calendar"))
    assert_no_join_address(calendar)
    assert len(vevents(parse_ics(calendar))) == 1
    parts = decoded_parts(email_of(waitlisted, EmailKind.WAITLISTED))
    assert {"text/plain", "text/html", "text/calendar"} <= {kind for kind, _text in parts}
    assert all(TOKEN not in text.replace("\r\n ", "") for _kind, text in parts)


def test_the_organisers_notice_does_not_carry_it(online):
    _event, confirmed, waitlisted = online
    for registration in (confirmed, waitlisted):
        parts = decoded_parts(email_of(registration, EmailKind.ORGANISER))
        assert parts and all(TOKEN not in text for _kind, text in parts)
