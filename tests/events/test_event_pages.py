"""What visitors see on the events index, an event page and the home page, in every
language."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from events import registration
from events.models import AttendanceMode, EventStatus
from home.models import StandardPage
from tests.factories.events import (
    EventPageFactory,
    OrganiserFactory,
    SpeakerFactory,
    add_organisers,
    programme,
    session,
)
from tests.factories.events import day as programme_day
from tests.factories.home import StandardPageFactory
from tests.helpers import json_ld, meta, translate_by_copy

pytestmark = pytest.mark.django_db

ISTANBUL = ZoneInfo("Europe/Istanbul")


@pytest.fixture
def event_in_three_languages(home_in_all_languages, event_index):
    speaker = SpeakerFactory(name="Speaker A. Placeholder", role="Coordinator", bio="English bio.")
    organiser = OrganiserFactory(name="Kashmir Civitas", description="An organiser.")
    event = EventPageFactory(
        parent=event_index,
        title="Second conference",
        start=dt.datetime(2020, 1, 2, 10, 0, tzinfo=ISTANBUL),
        end=dt.datetime(2020, 1, 4, 17, 30, tzinfo=ISTANBUL),
        programme=[
            programme_day(
                "2020-01-02",
                [session("Opening plenary", "10:00", "11:30", kind="plenary", speakers=[speaker])],
            )
        ],
    )
    add_organisers(event, [organiser])
    pages = {"en": event}
    bios = {"tr": "Türkçe biyografi.", "ur": "اردو تعارف۔"}
    titles = {"tr": "İkinci konferans", "ur": "دوسری کانفرنس"}
    sessions = {"tr": "Açılış oturumu", "ur": "افتتاحی اجلاس"}
    for code in ("tr", "ur"):
        translate_by_copy(event_index, code)
        translate_by_copy(speaker, code, bio=bios[code])
        translate_by_copy(organiser, code, description=f"{code} organiser")
        programme = [
            programme_day(
                "2020-01-02",
                [session(sessions[code], "10:00", "11:30", kind="plenary", speakers=[speaker])],
            )
        ]
        pages[code] = translate_by_copy(event, code, title=titles[code], programme=programme)
    return pages


@pytest.mark.parametrize(
    ("language", "title", "month", "bio", "session_title"),
    [
        ("en", "Second conference", "2–4 January 2020", "English bio.", "Opening plenary"),
        ("tr", "İkinci konferans", "2–4 Ocak 2020", "Türkçe biyografi.", "Açılış oturumu"),
        ("ur", "دوسری کانفرنس", "2–4 جنوری 2020", "اردو تعارف۔", "افتتاحی اجلاس"),
    ],
)
def test_event_page_in_every_language(
    client, event_in_three_languages, language, title, month, bio, session_title
):
    page = event_in_three_languages[language]
    assert page.url.startswith(f"/{language}/")
    html = client.get(page.url).content.decode()
    assert f"<h1>{title}</h1>" in html
    assert month in html
    assert bio in html  # the speaker in the visitor's language
    assert session_title in html
    # Times in the event's zone, named, and isolated left to right for Urdu.
    assert '<time datetime="2020-01-02T10:00:00+03:00" dir="ltr">10:00</time>' in html
    assert '<span dir="ltr">UTC+3</span>' in html
    assert json_ld(html)["inLanguage"] == language
    assert json_ld(html)["name"] == title


def test_urdu_page_is_right_to_left_with_the_zone_named_in_urdu(client, event_in_three_languages):
    html = client.get(event_in_three_languages["ur"].url).content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    assert "جمعرات" in html  # Thursday, from Django's Urdu catalogue


def test_times_are_shown_in_the_events_zone_not_the_servers(client, event_index):
    london = ZoneInfo("Europe/London")
    event = EventPageFactory(
        parent=event_index,
        time_zone="Europe/London",
        start=dt.datetime(2024, 10, 26, 10, 0, tzinfo=london),
        end=dt.datetime(2024, 10, 28, 16, 0, tzinfo=london),
    )
    html = client.get(event.url).content.decode()
    starts = re.search(r'event-facts__start">(.*?)</dd>', html).group(1)
    ends = re.search(r'event-facts__end">(.*?)</dd>', html).group(1)
    assert ">10:00</time>" in starts and "London" in starts and "UTC+1" in starts
    assert ">16:00</time>" in ends and "UTC<" in ends  # GMT after the clocks go back


@pytest.mark.parametrize(
    ("status", "label", "schema"),
    [
        (EventStatus.CANCELLED, "Cancelled", "https://schema.org/EventCancelled"),
        (EventStatus.POSTPONED, "Postponed", "https://schema.org/EventPostponed"),
        (EventStatus.RESCHEDULED, "Rescheduled", "https://schema.org/EventRescheduled"),
        (EventStatus.MOVED_ONLINE, "Moved online", "https://schema.org/EventMovedOnline"),
    ],
)
def test_status_other_than_scheduled_is_shown_prominently(
    client, event_index, status, label, schema
):
    # A rescheduled event says when it was to start (schema.org `previousStartDate`).
    before = dt.datetime(2020, 11, 6, 6, 0, tzinfo=dt.UTC)
    extra = {"previous_start": before} if status == EventStatus.RESCHEDULED else {}
    event = EventPageFactory(
        parent=event_index, status=status, online_url="https://meet.example.org/x", **extra
    )
    html = client.get(event.url).content.decode()
    assert re.search(
        rf'class="event-status event-status--{status}" role="status">\s*<strong[^>]*>{label}', html
    )
    data = json_ld(html)
    assert data["eventStatus"] == schema
    if extra:
        assert data["previousStartDate"] == "2020-11-06T09:00:00+03:00"
    else:
        assert "previousStartDate" not in data


def test_scheduled_event_shows_no_status_banner(client, event_index):
    event = EventPageFactory(parent=event_index)
    html = client.get(event.url).content.decode()
    assert "event-status" not in html
    assert json_ld(html)["eventStatus"] == "https://schema.org/EventScheduled"


def test_json_ld_carries_every_property(client, event_index):
    speakers = [
        SpeakerFactory(
            name="Speaker A. Placeholder", role="Coordinator", link="https://a.example/"
        ),
        SpeakerFactory(name="Speaker B. Placeholder", role="Researcher"),
    ]
    event = EventPageFactory(
        parent=event_index,
        title="Second conference",
        search_description="A yearly meeting.",
        programme=programme(1, 2, speakers),
        map_url="https://maps.example.org/venue",
    )
    add_organisers(
        event,
        [
            OrganiserFactory(name="World Kashmir Awareness Forum"),
            OrganiserFactory(name="Kashmir Civitas"),
        ],
    )
    data = json_ld(client.get(event.url).content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Second conference"
    assert data["description"] == "A yearly meeting."
    assert data["startDate"] == "2020-12-18T09:00:00+03:00"
    assert data["endDate"] == "2020-12-20T17:00:00+03:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Congress Centre",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "1 Example Street",
            "postalCode": "34000",
            "addressLocality": "Istanbul",
            "addressCountry": "Turkey",
        },
        "hasMap": "https://maps.example.org/venue",
    }
    assert [o["name"] for o in data["organizer"]] == [
        "World Kashmir Awareness Forum",
        "Kashmir Civitas",
    ]
    assert all(o["@type"] == "Organization" for o in data["organizer"])
    assert data["performer"] == [
        {
            "@type": "Person",
            "name": "Speaker A. Placeholder",
            "jobTitle": "Coordinator",
            "url": "https://a.example/",
        },
        {"@type": "Person", "name": "Speaker B. Placeholder", "jobTitle": "Researcher"},
    ]
    assert data["url"] == f"http://testserver{event.url}"
    assert data["inLanguage"] == "en"
    assert "offers" not in data  # no registration form under the event


def test_json_ld_cannot_be_broken_out_of_by_editor_text(client, event_index):
    event = EventPageFactory(parent=event_index, title="</script><script>alert(1)</script>")
    html = client.get(event.url).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize(
    ("mode", "online_url", "expected_mode", "location_types"),
    [
        (AttendanceMode.ONLINE, "https://meet.example.org/c", "Online", ["VirtualLocation"]),
        (AttendanceMode.MIXED, "https://meet.example.org/c", "Mixed", ["Place", "VirtualLocation"]),
    ],
)
def test_online_and_mixed_events(
    client, event_index, mode, online_url, expected_mode, location_types
):
    event = EventPageFactory(parent=event_index, attendance_mode=mode, online_url=online_url)
    html = client.get(event.url).content.decode()
    data = json_ld(html)
    assert data["eventAttendanceMode"] == f"https://schema.org/{expected_mode}EventAttendanceMode"
    location = data["location"] if isinstance(data["location"], list) else [data["location"]]
    assert [item["@type"] for item in location] == location_types
    # The join address is for confirmed registrants (tests/events/test_join_link_is_private.py):
    # the online part points at the public page.
    assert location[-1]["url"] == f"http://testserver{event.url}"
    assert online_url not in html


def test_online_events_need_an_online_address(event_index):
    from django.core.exceptions import ValidationError

    event = EventPageFactory.build(attendance_mode=AttendanceMode.ONLINE, online_url="")
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "online_url" in error.value.message_dict


def test_open_graph_tags_come_from_the_base_page_fields(client, event_index):
    event = EventPageFactory(
        parent=event_index, title="Second conference", listing_summary="Short summary."
    )
    html = client.get(event.url).content.decode()
    assert meta(html, "og:title") == "Second conference"
    assert meta(html, "og:description") == "Short summary."
    assert meta(html, "og:url") == f"http://testserver{event.url}"
    assert meta(html, "og:locale") == "en_GB"


class TestRegistration:
    """The event finds its form through the page tree; a StandardPage stands in for a form
    page class here (the lookup takes the list of form page models)."""

    @pytest.fixture
    def form_models(self, monkeypatch):
        monkeypatch.setattr(registration, "form_page_models", lambda: (StandardPage,))

    @pytest.fixture
    def upcoming(self, event_index):
        now = timezone.now()
        return EventPageFactory(
            parent=event_index, start=now + dt.timedelta(days=20), end=now + dt.timedelta(days=22)
        )

    def test_real_form_classes_are_recognised(self):
        from wagtail.contrib.forms.models import AbstractEmailForm

        assert registration.is_form_page_model(StandardPage) is False
        assert registration.is_form_page_model(AbstractEmailForm) is False  # abstract
        assert all(registration.is_form_page_model(m) for m in registration.form_page_models())

    def test_no_form_no_call_to_action(self, client, upcoming, form_models):
        html = client.get(upcoming.url).content.decode()
        assert "event-register" not in html
        assert "offers" not in json_ld(html)

    def test_live_form_child_gives_register_button_and_offer(self, client, upcoming, form_models):
        form = StandardPageFactory(parent=upcoming, title="Register", slug="register")
        html = client.get(upcoming.url).content.decode()
        assert f'<a class="button button--large" href="{form.url}">Register</a>' in html
        offers = json_ld(html)["offers"]
        assert offers == {
            "@type": "Offer",
            "url": f"http://testserver{form.url}",
            "availability": "https://schema.org/InStock",
            "price": "0",
            "priceCurrency": "EUR",
        }

    def test_draft_form_is_ignored(self, client, upcoming, form_models):
        StandardPageFactory(parent=upcoming, slug="register", live=False)
        assert "event-register" not in client.get(upcoming.url).content.decode()

    @pytest.mark.parametrize(
        ("state", "schema", "text"),
        [
            (registration.Availability.FULL, "SoldOut", "Registration is full."),
            (registration.Availability.NOT_YET_OPEN, "PreOrder", "Registration opens soon."),
            (registration.Availability.CLOSED, "SoldOut", "Registration is closed."),
            (registration.Availability.OPEN, "InStock", ">Register</a>"),
        ],
    )
    def test_availability_protocol(
        self, client, upcoming, form_models, monkeypatch, state, schema, text
    ):
        monkeypatch.setattr(
            StandardPage, "registration_availability", lambda self: state, raising=False
        )
        StandardPageFactory(parent=upcoming, slug="register")
        html = client.get(upcoming.url).content.decode()
        assert json_ld(html)["offers"]["availability"] == f"https://schema.org/{schema}"
        assert text in html

    def test_past_or_cancelled_events_show_no_registration(self, client, event_index, form_models):
        past = EventPageFactory(parent=event_index)  # 2020
        StandardPageFactory(parent=past, slug="register")
        assert "event-register" not in client.get(past.url).content.decode()


def test_index_lists_upcoming_soonest_first_then_past_newest_first(client, event_index):
    now = timezone.now()

    def make(title, days):
        start = now + dt.timedelta(days=days)
        return EventPageFactory(
            parent=event_index, title=title, start=start, end=start + dt.timedelta(hours=8)
        )

    make("Past old", -800)
    make("Upcoming later", 90)
    make("Past recent", -30)
    make("Upcoming soon", 10)
    response = client.get(event_index.url)
    titles = [e.title for e in response.context["events_page"]]
    assert titles == ["Upcoming soon", "Upcoming later", "Past recent", "Past old"]
    html = response.content.decode()
    assert (
        html.index("Upcoming events")
        < html.index("Upcoming soon")
        < html.index("Past events")
        < html.index("Past recent")
    )


def test_index_is_paginated(client, event_index):
    for i in range(14):
        EventPageFactory(parent=event_index, title=f"Event {i}")
    first = client.get(event_index.url)
    second = client.get(event_index.url + "?page=2")
    assert len(first.context["events_page"]) == 12
    assert len(second.context["events_page"]) == 2
    assert 'rel="next"' in first.content.decode()


def test_index_shows_only_its_own_languages_events(client, home_in_all_languages, event_index):
    event = EventPageFactory(parent=event_index, title="Conference")
    turkish_index = translate_by_copy(event_index, "tr", title="Etkinlikler")
    translate_by_copy(event, "tr", title="Konferans")
    EventPageFactory(parent=event_index, title="English only")
    titles = [e.title for e in client.get(turkish_index.url).context["events_page"]]
    assert titles == ["Konferans"]


@pytest.mark.parametrize("language", ["en", "tr", "ur"])
def test_home_page_shows_the_next_upcoming_event_in_its_language(
    client, home_in_all_languages, event_index, language
):
    now = timezone.now()
    EventPageFactory(parent=event_index, title="Past")
    later = EventPageFactory(
        parent=event_index,
        title="Later",
        start=now + dt.timedelta(days=60),
        end=now + dt.timedelta(days=61),
    )
    soon = EventPageFactory(
        parent=event_index,
        title="Soon",
        start=now + dt.timedelta(days=6),
        end=now + dt.timedelta(days=7),
    )
    index, event = event_index, soon
    if language != "en":
        index = translate_by_copy(event_index, language, title=f"Events ({language})")
        event = translate_by_copy(soon, language, title=f"Soon ({language})")
        translate_by_copy(later, language)
    html = client.get(f"/{language}/").content.decode()
    section = html[html.index('class="next-event') :]
    assert f'href="{event.url}">{event.title}</a>' in section
    assert f'href="{index.url}"' in section
    assert "Later" not in section


def test_home_page_falls_back_to_the_latest_past_event(client, home, event_index):
    EventPageFactory(
        parent=event_index,
        title="First",
        start=dt.datetime(2020, 1, 2, tzinfo=ISTANBUL),
        end=dt.datetime(2020, 1, 4, tzinfo=ISTANBUL),
    )
    EventPageFactory(parent=event_index, title="Second")
    html = client.get("/en/").content.decode()
    section = html[html.index('class="next-event') :]
    assert ">Second</a>" in section and "First" not in section


def test_home_page_without_events_shows_nothing(client, home):
    assert 'class="next-event' not in client.get("/en/").content.decode()
