import datetime as dt

import pytest
from django.utils import timezone

from events.registration import Availability
from forms_app.models import OutgoingEmail, Registration
from tests.helpers import answers

pytestmark = pytest.mark.django_db

URL = "/tr/third-conference/register/"


def test_honeypot_submissions_look_successful_but_store_nothing(client, form_page, mailoutbox):
    response = client.post(URL, answers(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    assert not Registration.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert mailoutbox == []


def test_posts_are_rate_limited_per_address_with_a_friendly_page(client, form_page, settings):
    settings.REGISTRATION_RATE_LIMIT = "3/600"
    for n in range(3):
        assert client.post(URL, answers(email=f"p{n}@example.org")).status_code == 303
    response = client.post(URL, answers(email="p9@example.org"), REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Çok fazla deneme" in response.content.decode()
    assert Registration.objects.count() == 3
    # Another address is not affected.
    assert (
        client.post(URL, answers(email="other@example.org"), REMOTE_ADDR="10.9.8.7").status_code
        == 303
    )


def test_before_the_window_opens_there_is_no_form_and_posts_are_refused(client, form_page):
    opens = timezone.now() + dt.timedelta(days=3)
    form_page.opens_at = opens
    form_page.save_revision().publish()
    html = client.get(URL).content.decode()
    assert "Kayıtlar henüz açılmadı" in html
    assert "registration-form" not in html
    response = client.post(URL, answers())
    assert response.status_code == 403
    assert not Registration.objects.exists()
    assert form_page.registration_availability() == Availability.NOT_YET_OPEN


def test_registration_closes_when_the_event_starts_by_default(client, form_page):
    event = form_page.get_parent().specific
    event.start = timezone.now() - dt.timedelta(hours=1)
    event.end = timezone.now() + dt.timedelta(days=1)
    event.save_revision().publish()
    html = client.get("/ur/third-conference/register/").content.decode()
    assert "رجسٹریشن بند ہو چکی ہے" in html
    assert client.post(URL, answers()).status_code == 403
    assert not Registration.objects.exists()


def test_an_explicit_closing_time_wins(client, form_page):
    form_page.closes_at = timezone.now() - dt.timedelta(minutes=1)
    form_page.save_revision().publish()
    assert form_page.registration_availability() == Availability.CLOSED
    assert client.post(URL, answers()).status_code == 403
