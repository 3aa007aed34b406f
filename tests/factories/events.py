import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import factory
import wagtail_factories
from wagtail.models import Locale

from events.models import EventIndexPage, EventOrganiser, EventPage, Organiser, Speaker

ISTANBUL = ZoneInfo("Europe/Istanbul")


def _default_locale():
    return Locale.get_default()


class SpeakerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Speaker {n} Placeholder")
    role = "Working group coordinator"
    bio = "A placeholder biography."
    locale = factory.LazyFunction(_default_locale)

    class Meta:
        model = Speaker


class OrganiserFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    description = "An organising body."
    link = "https://example.org/"
    locale = factory.LazyFunction(_default_locale)

    class Meta:
        model = Organiser


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Events"
    slug = "events"
    intro = "Every conference, past and upcoming."
    show_in_menus = True

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Conference {n}")
    slug = factory.Sequence(lambda n: f"conference-{n}")
    strapline = "The diaspora meets in Istanbul"
    introduction = "Three days of working groups and plenaries."
    start = dt.datetime(2020, 12, 18, 9, 0, tzinfo=ISTANBUL)
    end = dt.datetime(2020, 12, 20, 17, 0, tzinfo=ISTANBUL)
    time_zone = "Europe/Istanbul"
    venue_name = "Congress Centre"
    street_address = "1 Example Street"
    postal_code = "34000"
    city = "Istanbul"
    country = "Turkey"

    class Meta:
        model = EventPage


def session(title, start, end=None, *, kind="talk", speakers=(), room="Hall A", description=""):
    return {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {
            "start": start,
            "end": end,
            "title": title,
            "kind": kind,
            "description": description,
            "room": room,
            "speakers": [
                {"type": "item", "id": str(uuid.uuid4()), "value": speaker.pk}
                for speaker in speakers
            ],
        },
    }


def day(date, sessions, title=""):
    return {
        "type": "day",
        "id": str(uuid.uuid4()),
        "value": {"date": date, "title": title, "sessions": sessions},
    }


def programme(days=1, sessions_per_day=2, speakers=(), first_date="2020-12-18"):
    """Raw programme data: `days` days of `sessions_per_day` sessions, the speakers dealt
    out round-robin, two per session."""
    speakers = list(speakers)
    start_date = dt.date.fromisoformat(first_date)
    result, k = [], 0
    for d in range(days):
        items = []
        for s in range(sessions_per_day):
            chosen = []
            if speakers:
                chosen = [speakers[k % len(speakers)], speakers[(k + 1) % len(speakers)]]
                k += 2
            hour = 9 + s % 9
            items.append(
                session(
                    f"Session {d + 1}.{s + 1}", f"{hour:02d}:00", f"{hour:02d}:45", speakers=chosen
                )
            )
        result.append(day((start_date + dt.timedelta(days=d)).isoformat(), items))
    return result


def add_organisers(event, organisers):
    for index, organiser in enumerate(organisers):
        EventOrganiser.objects.create(page=event, organiser=organiser, sort_order=index)
