"""What a registration POST remembers under the page-cache epoch (the form's original, its
event's start, whether organisers are notified) follows every change at once."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from forms_app.models import EmailKind, OutgoingEmail, Registration, RegistrationEmailSettings
from tests.helpers import answers

pytestmark = pytest.mark.django_db


def post(page, email):
    return Client().post(
        page.url, answers(email=email, submission_token=str(uuid.uuid4())), REMOTE_ADDR="10.1.2.3"
    )


def organiser_notices():
    return OutgoingEmail.objects.filter(kind=EmailKind.ORGANISER).count()


def test_organiser_addresses_saved_or_cleared_apply_to_the_next_registration(form_page):
    settings_row = RegistrationEmailSettings.for_page(form_page)
    settings_row.organiser_addresses = ""
    settings_row.save()
    post(form_page, "one@example.org")
    assert organiser_notices() == 0

    settings_row.organiser_addresses = "organiser@example.org"
    settings_row.save()
    post(form_page, "two@example.org")
    assert organiser_notices() == 1

    settings_row.delete()
    post(form_page, "three@example.org")
    assert organiser_notices() == 1


def test_an_event_moved_earlier_closes_its_form_at_once(form_page, event):
    assert post(form_page, "early@example.org").status_code == 303
    event = event.specific
    event.start = timezone.now() - dt.timedelta(hours=1)
    event.end = timezone.now() + dt.timedelta(hours=5)
    event.save_revision().publish()

    response = post(form_page, "late@example.org")

    assert response.status_code == 403
    assert not Registration.objects.filter(email="late@example.org").exists()


def test_a_translation_registers_into_the_original_pool(form_in):
    assert post(form_in("ur"), "urdu@example.org").status_code == 303
    registration = Registration.objects.get(email="urdu@example.org")
    assert registration.page_id == form_in("en").pk
    assert registration.language == "ur"


def test_a_privacy_notice_published_again_is_what_the_next_registrant_agrees_to(form_page):
    from tests.factories.home import StandardPageFactory

    privacy = StandardPageFactory(
        parent=form_page.get_parent().get_parent(), slug="privacy-notice", title="Privacy"
    )
    privacy.save_revision().publish()
    form_page.privacy_page = privacy
    form_page.save_revision().publish()
    post(form_page, "before@example.org")
    privacy.refresh_from_db()
    first = privacy.live_revision_id

    privacy.title = "Privacy notice (amended)"
    privacy.save_revision().publish()
    privacy.refresh_from_db()
    post(form_page, "after@example.org")

    assert privacy.live_revision_id != first
    assert Registration.objects.get(email="before@example.org").privacy_revision_id == first
    assert (
        Registration.objects.get(email="after@example.org").privacy_revision_id
        == privacy.live_revision_id
    )
