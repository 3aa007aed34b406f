"""More places, published, go to the waiting list at once: through the admin's Publish
button or the scheduler, with the promotion email in each registrant's language (and the
event's facts as they are now in that language)."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from forms_app.models import EmailKind, OutgoingEmail, Registration
from tests.helpers import edit_form_data, edit_url, moment, register

pytestmark = pytest.mark.django_db
# The tests follow the raised capacity into the Turkish and Urdu forms: wagtail-localize's
# sync on publish, so the site is translated through wagtail-localize.
SITE_TRANSLATION = "localize"


@pytest.fixture
def publisher(db):
    """Someone who may publish pages (Wagtail's Editors group may not)."""
    return get_user_model().objects.create_superuser("organiser", "organiser@example.org", "pw")


@pytest.fixture
def publisher_client(publisher):
    client = Client()
    client.force_login(publisher)
    return client


def statuses():
    return list(Registration.objects.order_by("pk").values_list("status", flat=True))


def test_publishing_more_places_promotes_the_waiting_list_earliest_first(
    publisher, publisher_client, form_page, form_in, mailoutbox, django_capture_on_commit_callbacks
):
    # Capacity 3, five registrants in three languages: two wait.
    people = [
        register(form_in(language), name, f"{name.lower()}@example.org", at=moment(day))
        for day, (language, name) in enumerate(
            [("en", "Alice"), ("tr", "Ayse"), ("ur", "Bilal"), ("ur", "Danish"), ("tr", "Cem")],
            start=1,
        )
    ]
    assert statuses() == ["confirmed"] * 3 + ["waitlisted"] * 2
    mailoutbox.clear()

    # The organiser moves the event a week later (a bigger venue) and publishes it, then
    # raises the form's capacity to 4 and publishes that.
    event = form_page.get_parent().specific
    zone = ZoneInfo(event.time_zone)
    new_start = (event.start + dt.timedelta(days=7)).replace(second=0, microsecond=0)
    moved = {
        "start": new_start.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        "end": (event.end + dt.timedelta(days=7)).astimezone(zone).strftime("%Y-%m-%d %H:%M"),
    }
    response = publisher_client.post(edit_url(event), edit_form_data(event, publisher, moved))
    assert response.status_code == 302, response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher_client.post(
            edit_url(form_page), edit_form_data(form_page, publisher, {"capacity": "4"})
        )
    assert response.status_code == 302, response.context["form"].errors
    assert statuses() == ["confirmed"] * 4 + ["waitlisted"]
    assert [form_in(code).capacity for code in ("tr", "ur")] == [4, 4]  # the same facts
    promoted = people[3]  # the earliest waiting, in Urdu
    assert OutgoingEmail.objects.filter(kind=EmailKind.PROMOTED).count() == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([promoted.email], "جگہ آپ کی ہے: تیسری کانفرنس")
    ]
    # Written from the Urdu event page, which already has the new dates.
    (attachment,) = [a for a in mailoutbox[0].attachments if a[0] == "event.ics"]
    (vevent,) = Calendar.from_ical(attachment[1]).walk("VEVENT")
    assert (vevent.decoded("dtstart"), vevent["sequence"]) == (new_start, 1)

    # Publishing the same capacity again promotes nobody and sends nothing.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publisher_client.post(edit_url(form_page), edit_form_data(form_page, publisher))
    assert statuses() == ["confirmed"] * 4 + ["waitlisted"]
    assert mailoutbox == []

    # The limit removed, scheduled for an hour from now: nothing moves until the
    # scheduler publishes it, then everyone waiting has a place.
    go_live = timezone.localtime() + dt.timedelta(hours=1)
    response = publisher_client.post(
        edit_url(form_page),
        edit_form_data(
            form_page, publisher, {"capacity": "", "go_live_at": go_live.strftime("%Y-%m-%d %H:%M")}
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert statuses() == ["confirmed"] * 4 + ["waitlisted"]
    later = timezone.now() + dt.timedelta(hours=2)
    with (
        django_capture_on_commit_callbacks(execute=True),
        mock.patch("django.utils.timezone.now", return_value=later),
    ):
        call_command("publish_scheduled")
    assert statuses() == ["confirmed"] * 5
    assert [m.to for m in mailoutbox] == [[people[4].email]]
    assert mailoutbox[0].subject == "Yer sizin: Üçüncü Konferans"
