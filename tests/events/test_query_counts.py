"""The event page and the index cost the same number of queries however big the programme
or however many events there are."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.events import EventPageFactory
from tests.helpers import count_queries, event_with_programme, image, translate_by_copy

pytestmark = pytest.mark.django_db

# The target is 12. With the route remembered (home/page_cache.py): the site, the event
# page, and Wagtail's view-restriction check (2), which is never cached; then whether it
# has a form. The page's translations (hreflang, the language switcher) are remembered
# under the page-cache epoch; the hero image, the social tags, the programme and the
# people come from their cached fragments (after the first view).
EVENT_PAGE_BUDGET = 5


def test_event_page_query_count_does_not_grow_with_the_programme(
    client, event_index, django_assert_max_num_queries
):
    small = event_with_programme(
        event_index, days=1, sessions_per_day=4, speaker_count=2, slug="small"
    )
    large = event_with_programme(
        event_index, days=4, sessions_per_day=10, speaker_count=15, slug="large"
    )

    small_count, small_response = count_queries(client, small.url)
    large_count, large_response = count_queries(client, large.url)

    assert small_response.content.decode().count('class="session ') == 4
    assert large_response.content.decode().count('class="session ') == 40
    assert large_response.content.decode().count('class="person"') == 15
    assert small_count == large_count, (small_count, large_count)
    with django_assert_max_num_queries(EVENT_PAGE_BUDGET):
        client.get(large.url)
    print(f"event page queries: {large_count}")


def test_translated_event_page_query_count_does_not_grow_with_the_programme(
    client, event_index, django_assert_max_num_queries
):
    translate_by_copy(event_index.get_parent(), "tr")
    translate_by_copy(event_index, "tr")
    counts = []
    for slug, shape in (("small", (1, 4, 2)), ("large", (4, 10, 15))):
        event = event_with_programme(
            event_index, days=shape[0], sessions_per_day=shape[1], speaker_count=shape[2], slug=slug
        )
        for speaker in {s.pk: s for s in event.programme_speakers()}.values():
            translate_by_copy(speaker, "tr", name=f"{speaker.name} (tr)")
        turkish = translate_by_copy(event, "tr")
        count, response = count_queries(client, turkish.url)
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
                listing_image=image(f"card-{offset}-{i}"),
            )

    add(2, 30)
    add(1, -400)
    few, _response = count_queries(client, event_index.url)
    add(6, 60)
    add(3, -900)
    many, response = count_queries(client, event_index.url)
    assert response.content.decode().count('<article class="event-card') == 12
    assert few == many, (few, many)
    print(f"index page queries: {many}")


def test_home_page_next_event_costs_a_fixed_number_ofcount_queries(client, event_index):
    now = timezone.now()
    EventPageFactory(
        parent=event_index, start=now + dt.timedelta(days=5), end=now + dt.timedelta(days=6)
    )
    few, _ = count_queries(client, "/en/")
    for i in range(5):
        EventPageFactory(
            parent=event_index,
            start=now + dt.timedelta(days=50 + i),
            end=now + dt.timedelta(days=51 + i),
        )
    many, _ = count_queries(client, "/en/")
    assert few == many
