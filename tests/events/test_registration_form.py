"""The event page with the real registration form page (`forms_app`) beneath it: the call to
action and the JSON-LD offer follow the form's availability, in the visitor's language, and
the page's query count stays within budget. (`events` itself never imports `forms_app`.)"""

import datetime as dt

import pytest
from django.utils import timezone

from events.formatting import zone
from events.registration import Availability
from tests.factories.events import EventPageFactory
from tests.factories.forms import RegistrationFormPageFactory
from tests.helpers import count_queries, event_with_programme, json_ld

pytestmark = pytest.mark.django_db

# The target is 12: the event page's own (5, see tests/events/test_query_counts.py) plus
# what a real form costs: the form page itself (which form an event has is remembered
# under the page-cache epoch), and the count of confirmed places.
EVENT_PAGE_WITH_FORM_BUDGET = 8


@pytest.fixture
def upcoming(event_index):
    now = timezone.now()
    return EventPageFactory(
        parent=event_index, start=now + dt.timedelta(days=40), end=now + dt.timedelta(days=42)
    )


def upcoming_zone():
    return zone("Europe/Istanbul")


@pytest.mark.parametrize(
    ("form_options", "schema", "text"),
    [
        ({"capacity": None}, "InStock", None),
        ({"capacity": 0, "waiting_list": False}, "SoldOut", "Registration is full."),
        ({"opens_at_days": 10}, "PreOrder", "Registration opens on"),
    ],
)
def test_real_form_page_gives_the_call_to_action_and_the_offer(
    client, upcoming, form_options, schema, text
):
    options = dict(form_options)
    if "opens_at_days" in options:
        options["opens_at"] = timezone.now() + dt.timedelta(days=options.pop("opens_at_days"))
    form = RegistrationFormPageFactory(parent=upcoming, **options)
    assert form.registration_availability() in {
        Availability.OPEN,
        Availability.FULL,
        Availability.NOT_YET_OPEN,
    }

    html = client.get(upcoming.url).content.decode()
    if text is None:
        assert f'<a class="button button--large" href="{form.url}">Register</a>' in html
    else:
        assert text in html
        assert f'<a href="{form.url}">Registration details</a>' in html
    expected = {
        "@type": "Offer",
        "url": f"http://testserver{form.url}",
        "availability": f"https://schema.org/{schema}",
        "price": "0",
        "priceCurrency": "EUR",
    }
    if form.opens_at:
        # When the offer can be taken up: the opening, in the event's zone.
        expected["validFrom"] = form.opens_at.astimezone(upcoming_zone()).isoformat()
    assert json_ld(html)["offers"] == expected


def test_unpublished_form_page_gives_no_call_to_action(client, upcoming):
    RegistrationFormPageFactory(parent=upcoming, live=False)
    html = client.get(upcoming.url).content.decode()
    assert "event-register" not in html
    assert "offers" not in json_ld(html)


def test_turkish_event_links_to_the_turkish_form(
    client, home_in_all_languages, upcoming, translated
):
    translated(upcoming.get_parent(), "tr")
    turkish_event = translated(upcoming, "tr")
    form = RegistrationFormPageFactory(parent=upcoming, capacity=None)
    turkish_form = translated(form, "tr", {"Register": "Kayıt"})
    assert turkish_form.get_parent().pk == turkish_event.pk

    html = client.get(turkish_event.url).content.decode()
    assert f'<a class="button button--large" href="{turkish_form.url}">Kaydol</a>' in html
    assert json_ld(html)["offers"]["url"] == f"http://testserver{turkish_form.url}"


def test_event_page_with_a_form_stays_within_its_query_budget(
    client, event_index, django_assert_max_num_queries
):
    small = event_with_programme(
        event_index, days=1, sessions_per_day=4, speaker_count=2, slug="small"
    )
    large = event_with_programme(
        event_index, days=4, sessions_per_day=10, speaker_count=15, slug="large"
    )
    now = timezone.now()
    for event in (small, large):
        event.start, event.end = now + dt.timedelta(days=30), now + dt.timedelta(days=32)
        event.save()
        RegistrationFormPageFactory(parent=event, capacity=50, waiting_list=False)

    small_count, small_response = count_queries(client, small.url)
    large_count, large_response = count_queries(client, large.url)
    for response in (small_response, large_response):
        assert "https://schema.org/InStock" in response.content.decode()
        assert 'class="button button--large"' in response.content.decode()
    assert small_count == large_count, (small_count, large_count)
    with django_assert_max_num_queries(EVENT_PAGE_WITH_FORM_BUDGET):
        client.get(large.url)
    print(f"event page with a registration form: {large_count} queries")
