"""Every demo event's schema.org `Event` JSON-LD, in every language, carries what Google's
Event rich results require and recommend
(developers.google.com/search/docs/appearance/structured-data/event):

- required: `name`, `startDate`, `location` (a `Place` with its `address`, or a
  `VirtualLocation` with a `url` for an online event);
- recommended: `description`, `endDate`, `eventAttendanceMode`, `eventStatus`, `image`,
  `offers` (`availability`, `price`, `priceCurrency`, `url`, `validFrom`), `organizer`
  (`name`, `url`), `performer` (`name`), and `previousStartDate` for a rescheduled event.

A past event offers nothing to book: no `offers`. The country is an ISO 3166 code."""

import datetime as dt
import re

import pytest

from events.models import EventPage, EventStatus
from tests.helpers import json_ld

pytestmark = pytest.mark.django_db

ISO_DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def check_place(place):
    assert place["@type"] == "Place"
    assert place["name"]
    address = place["address"]
    assert address["@type"] == "PostalAddress"
    assert address["addressLocality"]
    assert re.fullmatch(r"[A-Z]{2}", address["addressCountry"]), address


def check_event(data, event):
    assert data["@type"] == "Event"
    assert data["name"] == event.title
    for key in ("startDate", "endDate"):
        assert ISO_DATE_TIME.match(data[key]), data[key]
    assert dt.datetime.fromisoformat(data["startDate"]) == event.start
    assert data["description"]
    assert data["eventStatus"].startswith("https://schema.org/Event")
    assert data["eventAttendanceMode"].startswith("https://schema.org/")
    assert data["image"] and all(url.startswith("http") for url in data["image"])
    locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
    for location in locations:
        if location["@type"] == "VirtualLocation":
            assert location["url"].startswith("http")
        else:
            check_place(location)
    assert data["organizer"]
    for organiser in data["organizer"]:
        assert organiser["name"] and organiser["url"].startswith("http")
    assert data["performer"] and all(p["name"] for p in data["performer"])
    if event.status == EventStatus.RESCHEDULED:
        assert ISO_DATE_TIME.match(data["previousStartDate"])


def test_every_demo_event_has_the_required_and_recommended_properties(demo, client):
    events = EventPage.objects.live().select_related("locale")
    assert {event.locale.language_code for event in events} == {"en", "tr", "ur"}
    assert events.count() == 9
    offers_seen = 0
    for event in events:
        data = json_ld(client.get(event.url).content.decode())
        check_event(data, event)
        if event.is_past:
            assert "offers" not in data, event.url
            continue
        offer = data["offers"]
        offers_seen += 1
        assert offer["@type"] == "Offer"
        assert offer["url"].startswith("http") and "/register" in offer["url"]
        assert offer["availability"].startswith("https://schema.org/")
        assert offer["price"] == "0"
        assert re.fullmatch(r"[A-Z]{3}", offer["priceCurrency"])
    # The next edition, in three languages.
    assert offers_seen == 3


def test_the_next_editions_venue_has_its_street_address_and_postal_code(demo, client):
    data = json_ld(client.get("/tr/events/next-conference/").content.decode())
    places = [loc for loc in data["location"] if loc["@type"] == "Place"]
    address = places[0]["address"]
    assert address["streetAddress"] and address["postalCode"] == "34000"
    assert address["addressCountry"] == "TR"


def test_an_offer_is_valid_from_the_forms_opening_in_the_events_zone(demo, client):
    from forms_app.models import RegistrationFormPage

    event = EventPage.objects.get(slug="next-conference", locale__language_code="en")
    form = RegistrationFormPage.objects.child_of(event).live().first()
    opens = dt.datetime(2026, 12, 4, 7, 15, tzinfo=dt.UTC)
    RegistrationFormPage.objects.filter(translation_key=form.translation_key).update(opens_at=opens)
    data = json_ld(client.get(event.url).content.decode())
    assert data["offers"]["validFrom"] == "2026-12-04T10:15:00+03:00"


def test_a_rescheduled_event_says_when_it_was_to_start(demo, client):
    event = EventPage.objects.get(slug="next-conference", locale__language_code="en")
    event.status = EventStatus.RESCHEDULED
    event.previous_start = event.start - dt.timedelta(days=30)
    event.save_revision().publish()
    data = json_ld(client.get(event.url).content.decode())
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    previous = dt.datetime.fromisoformat(data["previousStartDate"])
    assert previous == event.previous_start and previous.utcoffset() == dt.timedelta(hours=3)
