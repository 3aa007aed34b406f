"""Calendar files parse back with `icalendar` and carry what calendars need to keep an
entry up to date: stable UID, SEQUENCE, zone-aware times and the VTIMEZONE."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from events.models import EventIndexPage, EventPage, EventStatus
from tests.factories.events import EventPageFactory
from tests.helpers import parse_ics, vevents

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
ISTANBUL = ZoneInfo("Europe/Istanbul")


def test_event_ics_has_one_vevent_with_every_field(client, event_index):
    event = EventPageFactory(parent=event_index, title="Second conference")
    calendar = parse_ics(client.get(f"{event.url}event.ics"))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    (vevent,) = vevents(calendar)
    assert str(vevent["UID"]) == str(event.uid)
    assert vevent["SEQUENCE"] == 0
    assert vevent.decoded("DTSTAMP").tzinfo is not None
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert vevent["DTSTART"].params["TZID"] == "Europe/Istanbul"
    assert start == dt.datetime(2020, 12, 18, 9, 0, tzinfo=ISTANBUL)
    assert end == dt.datetime(2020, 12, 20, 17, 0, tzinfo=ISTANBUL)
    assert start.utcoffset() == dt.timedelta(hours=3)
    assert str(vevent["SUMMARY"]) == "Second conference"
    assert "Three days of working groups" in str(vevent["DESCRIPTION"])
    assert str(vevent["LOCATION"]) == "Congress Centre, 1 Example Street, 34000 Istanbul, Turkey"
    assert str(vevent["URL"]) == f"http://testserver{event.url}"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Istanbul"


def test_cancelled_event_is_cancelled_in_the_calendar(client, event_index):
    event = EventPageFactory(parent=event_index, status=EventStatus.CANCELLED)
    (vevent,) = vevents(parse_ics(client.get(f"{event.url}event.ics")))
    assert str(vevent["STATUS"]) == "CANCELLED"


def test_london_event_across_the_clock_change_keeps_its_local_times(client, event_index):
    # British Summer Time ends on 27 October 2024: the event starts at 10:00 BST (UTC+1)
    # and ends at 16:00 GMT (UTC+0).
    event = EventPageFactory(
        parent=event_index,
        time_zone="Europe/London",
        start=dt.datetime(2024, 10, 26, 10, 0, tzinfo=LONDON),
        end=dt.datetime(2024, 10, 28, 16, 0, tzinfo=LONDON),
    )
    calendar = parse_ics(client.get(f"{event.url}event.ics"))
    (vevent,) = vevents(calendar)
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert vevent["DTSTART"].params["TZID"] == "Europe/London"
    assert vevent["DTEND"].params["TZID"] == "Europe/London"
    assert (start.hour, end.hour) == (10, 16)
    assert start.utcoffset() == dt.timedelta(hours=1)
    assert end.utcoffset() == dt.timedelta(0)
    assert start.astimezone(dt.UTC) == dt.datetime(2024, 10, 26, 9, 0, tzinfo=dt.UTC)
    assert end.astimezone(dt.UTC) == dt.datetime(2024, 10, 28, 16, 0, tzinfo=dt.UTC)
    # The VTIMEZONE describes both offsets, so a calendar without a zone database agrees.
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/London"
    offsets = {sub["TZOFFSETTO"].td for sub in vtimezone.subcomponents}
    assert {dt.timedelta(hours=1), dt.timedelta(0)} <= offsets
    assert vtimezone.to_tz().utcoffset(dt.datetime(2024, 10, 28, 16, 0)) == dt.timedelta(0)


def test_uid_is_shared_by_translations_and_survives_slug_changes(client, event_index, translated):
    event = EventPageFactory(parent=event_index, title="Conference")
    translated(event_index, "tr", {"Events": "Etkinlikler"})
    turkish = translated(event, "tr", {"Conference": "Konferans"})
    assert turkish.uid == event.uid

    event.slug = "renamed"
    event.save_revision().publish()
    event.refresh_from_db()
    assert event.uid == turkish.uid

    english = vevents(parse_ics(client.get(f"{event.url}event.ics")))[0]
    in_turkish = vevents(parse_ics(client.get(f"{turkish.url}event.ics")))[0]
    assert str(english["UID"]) == str(in_turkish["UID"]) == str(event.uid)
    assert str(in_turkish["SUMMARY"]) == "Konferans"
    assert str(in_turkish["URL"]).startswith("http://testserver/tr/")


def test_a_copied_event_gets_a_new_uid(event_index):
    event = EventPageFactory(parent=event_index)
    copy = event.copy(update_attrs={"slug": "copy", "title": "Copy"})
    assert copy.uid != event.uid
    assert copy.sequence == 0


def test_sequence_increases_when_dates_status_or_place_change_but_not_otherwise(
    event_index, translated
):
    event = EventPageFactory(parent=event_index)
    translated(event_index, "tr")
    turkish = translated(event, "tr")

    event.map_url = "https://example.org/map"
    event.save_revision().publish()
    event.refresh_from_db()
    assert event.sequence == 0

    event.start += dt.timedelta(days=1)
    event.end += dt.timedelta(days=1)
    event.save_revision().publish()
    event.refresh_from_db()
    assert event.sequence == 1

    # Synchronising the translation copies the dates and the sequence; it must not bump
    # the translation's sequence a second time.
    turkish = translated(event, "tr")
    assert (turkish.start, turkish.sequence) == (event.start, 1)

    event.status = "postponed"
    event.save_revision().publish()
    event.refresh_from_db()
    assert event.sequence == 2
    event.venue_name = "Another hall"
    event.save_revision().publish()
    event.refresh_from_db()
    assert event.sequence == 3
    # A translator's wording of the place is no change to the calendar entry.
    turkish.refresh_from_db()
    before = turkish.sequence
    turkish.venue_name = "Başka salon"
    turkish.save_revision().publish()
    turkish.refresh_from_db()
    assert turkish.sequence == before


def test_index_calendar_keeps_past_events_of_its_language_in_date_order_bounded(
    client, event_index, translated, monkeypatch, django_assert_max_num_queries
):
    now = timezone.now()
    soon = EventPageFactory(
        parent=event_index,
        title="Soon",
        start=now + dt.timedelta(days=30),
        end=now + dt.timedelta(days=32),
    )
    EventPageFactory(
        parent=event_index,
        title="Later",
        time_zone="Europe/London",
        start=now + dt.timedelta(days=400),
        end=now + dt.timedelta(days=401),
    )
    EventPageFactory(
        parent=event_index,
        title="Past",
        start=now - dt.timedelta(days=365),
        end=now - dt.timedelta(days=363),
    )
    turkish_index = translated(event_index, "tr", {"Events": "Etkinlikler"})
    translated(soon, "tr", {"Soon": "Yakında"})

    # A subscriber's calendar keeps last year's conference: the feed still has it. The
    # queries are routing's and one for the events (none per event).
    with django_assert_max_num_queries(13):
        response = client.get(f"{event_index.url}calendar.ics")
    calendar = parse_ics(response)
    assert [str(e["SUMMARY"]) for e in vevents(calendar)] == ["Past", "Soon", "Later"]
    assert {str(t["TZID"]) for t in calendar.walk("VTIMEZONE")} == {
        "Europe/Istanbul",
        "Europe/London",
    }

    turkish = parse_ics(client.get(f"{turkish_index.url}calendar.ics"))
    assert [str(e["SUMMARY"]) for e in vevents(turkish)] == ["Yakında"]
    assert str(turkish["X-WR-CALNAME"]) == "Etkinlikler"

    # Bounded: the most recent events by start.
    monkeypatch.setattr(EventIndexPage, "CALENDAR_FEED_SIZE", 2)
    bounded = parse_ics(client.get(f"{event_index.url}calendar.ics"))
    assert [str(e["SUMMARY"]) for e in vevents(bounded)] == ["Soon", "Later"]


def test_calendar_file_under_another_language_redirects_to_its_own_address(client, event_index):
    event = EventPageFactory(parent=event_index)
    response = client.get(f"/tr{event.url[3:]}event.ics")
    assert response.status_code == 302
    assert response["Location"] == f"{event.url}event.ics"


def test_calendar_links_carry_the_time_zone(client, event_index):
    event = EventPageFactory(
        parent=event_index,
        title="London meeting",
        time_zone="Europe/London",
        start=dt.datetime(2024, 7, 1, 10, 0, tzinfo=LONDON),
        end=dt.datetime(2024, 7, 1, 12, 30, tzinfo=LONDON),
    )
    response = client.get(event.url)
    html = response.content.decode()
    google = response.context["google_calendar_url"]
    outlook = response.context["outlook_calendar_url"]
    assert google.replace("&", "&amp;") in html and outlook.replace("&", "&amp;") in html

    params = parse_qs(urlsplit(google).query)
    assert params["ctz"] == ["Europe/London"]
    assert params["dates"] == ["20240701T100000/20240701T123000"]
    assert params["text"] == ["London meeting"]
    assert urlsplit(google).netloc == "calendar.google.com"

    params = parse_qs(urlsplit(outlook).query)
    assert params["startdt"] == ["2024-07-01T10:00:00+01:00"]
    assert params["enddt"] == ["2024-07-01T12:30:00+01:00"]
    assert params["subject"] == ["London meeting"]


def test_event_reloaded_from_the_database_keeps_its_zone(event_index):
    event = EventPageFactory(
        parent=event_index,
        time_zone="Europe/London",
        start=dt.datetime(2024, 10, 26, 10, 0, tzinfo=LONDON),
        end=dt.datetime(2024, 10, 28, 16, 0, tzinfo=LONDON),
    )
    event = EventPage.objects.get(pk=event.pk)
    assert (event.local_start.hour, event.local_end.hour) == (10, 16)


def test_each_calendar_gets_its_own_copy_of_the_zone(event_index):
    """VTIMEZONEs are built once per zone and years (events/calendar.py) and copied into
    each file: one calendar's changes never show up in the next."""
    from icalendar import Calendar

    from events.calendar import _vtimezone, add_timezones, calendar_for, vevent

    event = EventPageFactory(parent=event_index, time_zone="Europe/London")
    _vtimezone.cache_clear()
    first = Calendar.from_ical(calendar_for([event], None, name="one"))
    calendar_for([event], None, name="two")
    assert (_vtimezone.cache_info().hits, _vtimezone.cache_info().misses) == (1, 1)
    (zone,) = first.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/London"
    # Summer time begins in every year from the one before the event to the one after.
    summer_starts = set()
    for daylight in zone.walk("DAYLIGHT"):
        summer_starts.add(daylight.decoded("DTSTART").year)
        rdates = daylight.get("RDATE") or []
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            summer_starts.update(d.dt.year for d in rdate.dts)
    years = range(event.start.year - 1, event.end.year + 2)
    assert set(years) <= summer_starts, (sorted(summer_starts), list(years))

    def built():
        calendar = Calendar()
        calendar.add_component(vevent(event, None))
        add_timezones(calendar, years[0], years[-1])
        return calendar

    changed = built()
    changed.walk("VTIMEZONE")[0].add("X-MARK", "changed")
    assert b"X-MARK" in changed.to_ical()
    assert b"X-MARK" not in built().to_ical()
