"""Editors create an event with its programme and organisers through the Wagtail admin,
then translate it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from events.models import EventPage
from tests.factories.events import OrganiserFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def _list(items):
    data = {
        str(i): {"type": "item", "value": v, "deleted": "", "order": str(i)}
        for i, v in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def test_editor_creates_and_translates_an_event(admin_client, event_index, translated):
    speaker = SpeakerFactory(name="Speaker A. Placeholder", bio="English bio.")
    organiser = OrganiserFactory(name="Kashmir Civitas")
    data = nested_form_data(
        {
            "title": "Third conference",
            "slug": "third-conference",
            "strapline": "Working together",
            "introduction": "Three days in London.",
            "start": "2024-10-26 10:00",
            "end": "2024-10-28 16:00",
            "time_zone": "Europe/London",
            "status": "scheduled",
            "attendance_mode": "in_person",
            "price": "0",
            "price_currency": "EUR",
            "venue_name": "Hall",
            "city": "London",
            "country": "United Kingdom",
            "body": streamfield([]),
            "programme": streamfield(
                [
                    (
                        "day",
                        {
                            "date": "2024-10-26",
                            "title": "Opening day",
                            "sessions": _list(
                                [
                                    {
                                        "start": "10:00",
                                        "end": "11:00",
                                        "title": "Opening plenary",
                                        "kind": "plenary",
                                        "description": "",
                                        "room": "Main hall",
                                        "speakers": _list([str(speaker.pk)]),
                                    }
                                ]
                            ),
                        },
                    )
                ]
            ),
            "organisers": inline_formset([{"organiser": str(organiser.pk)}]),
            "partners": inline_formset([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{event_index.pk}/", data)
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )

    event = EventPage.objects.get(slug="third-conference")
    assert event.live
    # Typed as London wall-clock times, whatever the server's zone (Istanbul).
    london = ZoneInfo("Europe/London")
    assert event.start == dt.datetime(2024, 10, 26, 10, 0, tzinfo=london)
    assert event.end == dt.datetime(2024, 10, 28, 16, 0, tzinfo=london)
    assert event.programme_speakers() == [speaker]
    assert [link.organiser for link in event.organisers.all()] == [organiser]

    # The edit form shows the same wall-clock times back.
    edit = admin_client.get(f"/admin/pages/{event.pk}/edit/")
    assert edit.status_code == 200
    assert edit.context["form"].initial["start"].strftime("%Y-%m-%d %H:%M") == "2024-10-26 10:00"

    # Translate: speakers first (the programme refers to them), then the page.
    translated(event_index, "tr")
    translated(speaker, "tr", {"English bio.": "Türkçe biyografi."})
    turkish = translated(
        event, "tr", {"Third conference": "Üçüncü konferans", "Opening plenary": "Açılış oturumu"}
    )
    assert (turkish.start, turkish.uid, turkish.time_zone) == (
        event.start,
        event.uid,
        event.time_zone,
    )
    html = admin_client.get(turkish.url).content.decode()
    assert "Üçüncü konferans" in html and "Açılış oturumu" in html and "Türkçe biyografi." in html


def test_end_before_start_is_refused_in_the_admin(admin_client, event_index):
    data = nested_form_data(
        {
            "title": "Broken",
            "slug": "broken",
            "start": "2024-10-26 10:00",
            "end": "2024-10-25 10:00",
            "time_zone": "Europe/Istanbul",
            "status": "scheduled",
            "attendance_mode": "in_person",
            "price": "0",
            "price_currency": "EUR",
            "body": streamfield([]),
            "programme": streamfield([]),
            "organisers": inline_formset([]),
            "partners": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{event_index.pk}/", data)
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert not EventPage.objects.filter(slug="broken").exists()


def test_unknown_time_zone_is_refused(admin_client, event_index):
    data = nested_form_data(
        {
            "title": "Zone",
            "slug": "zone",
            "start": "2024-10-26 10:00",
            "end": "2024-10-27 10:00",
            "time_zone": "Mars/Olympus",
            "status": "scheduled",
            "attendance_mode": "in_person",
            "price": "0",
            "price_currency": "EUR",
            "body": streamfield([]),
            "programme": streamfield([]),
            "organisers": inline_formset([]),
            "partners": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{event_index.pk}/", data)
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors


def test_speaker_and_organiser_snippets_are_in_the_admin(admin_client, locales):
    assert admin_client.get("/admin/snippets/events/speaker/").status_code == 200
    assert admin_client.get("/admin/snippets/events/organiser/").status_code == 200
    response = admin_client.post(
        "/admin/snippets/events/speaker/add/",
        {
            "name": "Speaker C. Placeholder",
            "role": "",
            "bio": "",
            "link": "",
            "locale": locales["en"].pk,
        },
    )
    assert response.status_code == 302
