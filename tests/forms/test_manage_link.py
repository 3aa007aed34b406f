import pytest
from django.utils import translation
from wagtail.models import PageLogEntry

from forms_app.models import Registration
from tests.helpers import answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(client, form_page):
    client.post("/tr/third-conference/register/", answers())
    return Registration.objects.get()


def manage_url(registration):
    return f"/tr/third-conference/register/manage/{registration.manage_token}/"


def test_manage_page_shows_the_registration_privately(client, registration):
    response = client.get(manage_url(registration))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kaydınız" in html
    assert "İkamet edilen ülke" in html and "Norway" in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert 'name="robots" content="noindex"' in html


def test_an_unknown_token_is_a_404(client, registration):
    assert client.get("/tr/third-conference/register/manage/not-a-real-token/").status_code == 404


def test_cancel_needs_the_confirmation_box(client, registration):
    response = client.post(manage_url(registration), {"action": "cancel"})
    assert response.status_code == 303
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert "kutuyu işaretleyin" in client.get(manage_url(registration)).content.decode()


def test_cancel_with_confirmation_cancels_and_promotes(
    client, form_in, registration, mailoutbox, django_capture_on_commit_callbacks
):
    from forms_app import services

    for n in range(3):  # capacity 3: two more confirmed, one waitlisted
        services.register(
            form_in("en"),
            name=f"P{n}",
            email=f"p{n}@example.org",
            answers={},
            language="en",
            submission_token=None,
        )
    waiting = Registration.objects.get(status="waitlisted")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url(registration), {"action": "cancel", "confirm": "yes"})
    assert response.status_code == 303
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == "cancelled"
    assert waiting.status == "confirmed"
    assert sorted(m.to[0] for m in mailoutbox) == ["p2@example.org", "registrant@example.org"]
    html = client.get(manage_url(registration)).content.decode()
    assert "Kaydınız iptal edildi." in html
    assert "Kaydı iptal et" not in html  # nothing left to cancel
    # The audit trail records it, with ids only.
    entry = PageLogEntry.objects.get(action="forms_app.cancel_registration")
    assert entry.page_id == form_in("en").pk
    assert entry.user is None
    assert entry.data == {
        "registration": registration.pk,
        "promoted": waiting.pk,
        "by_registrant": True,
    }
    with translation.override("en"):
        message = str(entry.message)
    assert message == (
        f"Registration {registration.pk} cancelled by the registrant; "
        f"registration {waiting.pk} got the place"
    )


def test_manage_calendar_file_parses(client, registration, form_page):
    from icalendar import Calendar

    response = client.get(manage_url(registration) + "calendar/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["uid"]) == str(form_page.get_parent().specific.uid)
