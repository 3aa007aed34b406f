"""The events demo content (`manage.py load_demo`): three editions of the conference, the
index, speakers and organisers, live in English, Turkish and Urdu; the next edition is
dated from the day the demo loads. Loading the demo is slow, so each test checks a lot."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import ReferenceIndex

from events.demo import next_conference_dates
from events.models import EventIndexPage, EventPage, Organiser, Speaker
from tests.helpers import parse_ics, vevents

pytestmark = pytest.mark.django_db

LANGUAGES = {"en", "tr", "ur"}
SLUGS = ("next-conference", "second-conference", "first-conference")
ISTANBUL = ZoneInfo("Europe/Istanbul")


def languages(queryset):
    return sorted(queryset.values_list("locale__language_code", flat=True))


def snapshot():
    return {
        "events": EventPage.objects.count(),
        "indexes": EventIndexPage.objects.count(),
        "speakers": Speaker.objects.count(),
        "organisers": Organiser.objects.count(),
        "references": ReferenceIndex.objects.count(),
    }


def test_demo_events_organisers_and_speakers_exist_live_in_three_languages(demo):
    assert "“Conferences”" in demo  # reported by the loader
    assert languages(EventIndexPage.objects.live().filter(slug="events")) == ["en", "tr", "ur"]
    assert EventIndexPage.objects.get(locale__language_code="en").show_in_menus
    for slug in SLUGS:
        assert languages(EventPage.objects.live().filter(slug=slug)) == ["en", "tr", "ur"], slug

    first = EventPage.objects.get(slug="first-conference", locale__language_code="en")
    second = EventPage.objects.get(slug="second-conference", locale__language_code="en")
    assert (first.local_start.date(), first.local_end.date()) == (
        dt.date(2020, 1, 2),
        dt.date(2020, 1, 4),
    )
    assert (second.local_start.date(), second.local_end.date()) == (
        dt.date(2020, 12, 18),
        dt.date(2020, 12, 20),
    )
    upcoming = EventPage.objects.get(slug="next-conference", locale__language_code="en")
    assert upcoming.is_upcoming
    assert upcoming.local_start.date() == next_conference_dates()[0]
    assert {first.time_zone, second.time_zone, upcoming.time_zone} == {"Europe/Istanbul"}

    # The two organisations share the credit on every edition, in every language.
    assert sorted(
        Organiser.objects.filter(locale__language_code="en").values_list("name", flat=True)
    ) == [
        "Kashmir Civitas",
        "World Kashmir Awareness Forum",
    ]
    assert Organiser.objects.count() == 6
    for event in (first, second, upcoming):
        with translation.override("en"):
            names = [o.name for o in event.organisers_in_language()]
        assert names == [
            "World Kashmir Awareness Forum",
            "Kashmir Civitas",
        ]
    # Speakers are placeholders, never real people, translated like any snippet.
    names = list(Speaker.objects.filter(locale__language_code="en").values_list("name", flat=True))
    assert len(names) == 6
    assert all(name.startswith("Speaker ") and name.endswith(" Placeholder") for name in names)
    assert Speaker.objects.count() == 18
    # The translated programmes point at the translated speakers.
    for language in ("tr", "ur"):
        event = EventPage.objects.get(slug="next-conference", locale__language_code=language)
        assert {s.locale.language_code for s in event.programme_speakers()} == {language}

    # The admin's "usage" of a speaker lists the events, although the load skipped the
    # reference index's per-save updates.
    speaker = Speaker.objects.get(name="Speaker A. Placeholder")
    using = {ref.object_id for ref in ReferenceIndex.get_references_to(speaker)}
    assert {str(first.pk), str(second.pk), str(upcoming.pk)} <= using

    # A second load creates and translates nothing.
    before = snapshot()
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert snapshot() == before
    assert "created" not in output.getvalue()
    assert "translated" not in output.getvalue()


def test_index_shows_the_upcoming_edition_first_and_every_calendar_file_parses(demo, client):
    titles = {}
    for language in LANGUAGES:
        html = client.get(f"/{language}/events/").content.decode()
        events = {e.slug: e for e in EventPage.objects.filter(locale__language_code=language)}
        positions = [html.index(f'href="{events[slug].url}"') for slug in SLUGS]
        assert positions == sorted(positions), (language, positions)
        # The upcoming edition is alone in the first group, before the archive.
        assert html.index('id="group-upcoming"') < positions[0] < html.index('id="group-past"')
        assert html.index('id="group-past"') < positions[1]
        titles[language] = {slug: events[slug].title for slug in SLUGS}

    uids = {}
    for event in EventPage.objects.live():
        (vevent,) = vevents(parse_ics(client.get(f"{event.url}event.ics")))
        assert str(vevent["SUMMARY"]) == event.title
        assert str(vevent["URL"]).endswith(event.url)
        assert vevent["DTSTART"].dt.tzinfo.key == "Europe/Istanbul"
        assert vevent["DTSTART"].dt == event.start
        assert vevent["DTEND"].dt == event.end
        assert "İstanbul" in str(vevent["LOCATION"]) or event.locale.language_code != "tr"
        uids.setdefault(event.translation_key, set()).add(str(vevent["UID"]))
    # Three editions, each with one UID shared by its three translations.
    assert len(uids) == 3
    assert all(len(found) == 1 for found in uids.values())
    assert titles["tr"]["first-conference"] == "1. Dünya Keşmir Diasporası Konferansı"

    # The index's calendar (the subscription feed) keeps the past editions, in date order.
    calendar = parse_ics(client.get("/ur/events/calendar.ics"))
    feed = vevents(calendar)
    assert [str(v["SUMMARY"]) for v in feed][-1] == titles["ur"]["next-conference"]
    assert len(feed) == 3
    starts = [v["DTSTART"].dt for v in feed]
    assert starts == sorted(starts) and starts[0] < timezone.now() < starts[-1]


def test_urdu_event_page_shows_the_programme_in_urdu(demo, client):
    html = client.get("/ur/events/next-conference/").content.decode()
    assert '<html lang="ur" dir="rtl"' in html
    for urdu in (
        "آئندہ عالمی کشمیری ڈائسپورا کانفرنس",  # title
        "افتتاحی عمومی اجلاس: گزشتہ سال کا جائزہ",  # a plenary
        "ورکنگ گروپ: انسانی حقوق کی خلاف ورزیوں کی دستاویز بندی",  # a working group
        "تحقیق، اشاعتیں اور جامعات سے روابط۔",  # a session's description
        "فرضی مقرر الف",  # a placeholder speaker's name
        "مرکزی ہال",  # a room
        "ورلڈ کشمیر اویئرنس فورم",  # an organiser
    ):
        assert urdu in html, urdu
    for english in ("Working group: academic work", "Main hall", "Speaker A. Placeholder"):
        assert english not in html, english
    # Times stay left to right inside the Urdu text.
    assert '<time datetime="' in html
    assert 'dir="ltr">10:00</time>' in html

    turkish = client.get("/tr/events/first-conference/").content.decode()
    assert "Çalışma grubu: siyasi lobicilik" in turkish
    assert "2–4 Ocak 2020" in turkish


@pytest.mark.parametrize(
    ("today", "first_day"),
    [
        (dt.date(2031, 3, 1), dt.date(2031, 12, 18)),
        (dt.date(2031, 12, 17), dt.date(2031, 12, 18)),
        (dt.date(2031, 12, 18), dt.date(2032, 12, 18)),
        (dt.date(2031, 12, 30), dt.date(2032, 12, 18)),
    ],
)
def test_next_edition_is_the_december_still_ahead(today, first_day):
    assert next_conference_dates(today) == (first_day, first_day + dt.timedelta(days=2))
