"""The event page and the index cost the same number of queries however big the programme
or however many events there are."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.factories.events import (
    EventPageFactory,
    OrganiserFactory,
    SpeakerFactory,
    add_organisers,
    programme,
)

pytestmark = pytest.mark.django_db

# The budget is 12; with the route remembered (home/routing.py) the page costs its
# own row, its speakers, its organisers, the image renditions and its translations.
EVENT_PAGE_BUDGET = 5


def _image(title):
    return Image.objects.create(title=title, file=get_test_image_file(filename=f"{title}.png"))


def _queries(client, url):
    client.get(url)  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def _event(parent, *, days, sessions_per_day, speaker_count, slug):
    speakers = [SpeakerFactory(photo=_image(f"{slug}-photo-{i}")) for i in range(speaker_count)]
    event = EventPageFactory(
        parent=parent,
        slug=slug,
        hero_image=_image(f"{slug}-hero"),
        programme=programme(days, sessions_per_day, speakers),
    )
    add_organisers(event, [OrganiserFactory(logo=_image(f"{slug}-logo-{i}")) for i in range(2)])
    return event


def test_event_page_query_count_does_not_grow_with_the_programme(
    client, event_index, django_assert_max_num_queries
):
    small = _event(event_index, days=1, sessions_per_day=4, speaker_count=2, slug="small")
    large = _event(event_index, days=4, sessions_per_day=10, speaker_count=15, slug="large")

    small_count, small_response = _queries(client, small.url)
    large_count, large_response = _queries(client, large.url)

    assert small_response.content.decode().count('class="session ') == 4
    assert large_response.content.decode().count('class="session ') == 40
    assert large_response.content.decode().count('class="person"') == 15
    assert small_count == large_count, (small_count, large_count)
    with django_assert_max_num_queries(EVENT_PAGE_BUDGET):
        client.get(large.url)
    print(f"event page queries: {large_count}")


def test_translated_event_page_query_count_does_not_grow_with_the_programme(
    client, event_index, translated, django_assert_max_num_queries
):
    translated(event_index.get_parent(), "tr")
    translated(event_index, "tr")
    counts = []
    for slug, shape in (("small", (1, 4, 2)), ("large", (4, 10, 15))):
        event = _event(
            event_index, days=shape[0], sessions_per_day=shape[1], speaker_count=shape[2], slug=slug
        )
        for speaker in {s.pk: s for s in event.programme_speakers()}.values():
            translated(speaker, "tr", {speaker.name: f"{speaker.name} (tr)"})
        turkish = translated(event, "tr")
        count, response = _queries(client, turkish.url)
        assert "(tr)" in response.content.decode()
        counts.append(count)
    assert counts[0] == counts[1], counts
    # The same as in English: the remembered route skips Wagtail's lookup of the site
    # root's translation (`root_page.localized`).
    with django_assert_max_num_queries(EVENT_PAGE_BUDGET):
        client.get(turkish.url)
    print(f"translated event page queries: {counts[1]}")


def test_index_query_count_does_not_grow_with_the_number_of_events(client, event_index):
    now = timezone.now()

    def add(n, offset):
        for i in range(n):
            start = now + dt.timedelta(days=offset + 10 * i)
            EventPageFactory(
                parent=event_index,
                start=start,
                end=start + dt.timedelta(days=2),
                listing_image=_image(f"card-{offset}-{i}"),
            )

    add(2, 30)
    add(1, -400)
    few, _response = _queries(client, event_index.url)
    add(6, 60)
    add(3, -900)
    many, response = _queries(client, event_index.url)
    assert response.content.decode().count('<article class="event-card') == 12
    assert few == many, (few, many)
    print(f"index page queries: {many}")


def test_home_page_next_event_costs_a_fixed_number_of_queries(client, event_index):
    now = timezone.now()
    EventPageFactory(
        parent=event_index, start=now + dt.timedelta(days=5), end=now + dt.timedelta(days=6)
    )
    few, _ = _queries(client, "/en/")
    for i in range(5):
        EventPageFactory(
            parent=event_index,
            start=now + dt.timedelta(days=50 + i),
            end=now + dt.timedelta(days=51 + i),
        )
    many, _ = _queries(client, "/en/")
    assert few == many
