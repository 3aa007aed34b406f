"""The demo tells the whole story of a registration, through the real pages: an Urdu
registrant of the edition that is over was waitlisted, promoted, reminded, checked in and
certified, and answered the survey; a Pakistani registrant of the next edition has an
approved visa letter that verifies by its reference; an online registrant finds the join
link on their manage page, which the public event page never shows."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from events.demo import NEXT_JOIN_URL
from forms_app import certificates, feedback
from forms_app.demo import ONLINE_REGISTRANT, STORY_PEOPLE, VISA_REGISTRANT
from forms_app.models import (
    EmailKind,
    FeedbackResponse,
    Registration,
    VisaLetterStatus,
)

pytestmark = pytest.mark.django_db


def manage_path(registration, language):
    form = registration.page.specific
    page = form.get_translations(inclusive=True).get(locale__language_code=language).specific
    return page.url + page.reverse_subpage("manage", args=[registration.manage_token])


def test_the_urdu_registrant_was_promoted_reminded_checked_in_and_certified(demo, client):
    name, email, language = STORY_PEOPLE[2]
    urdu = Registration.objects.get(email=email)
    assert (urdu.name, urdu.language, urdu.status) == (name, "ur", "confirmed")
    assert urdu.promoted_at is not None
    kinds = list(urdu.emails.order_by("created_at", "pk").values_list("kind", "occasion"))
    assert kinds == [
        (EmailKind.WAITLISTED, ""),
        (EmailKind.PROMOTED, ""),
        (EmailKind.REMINDER, "7d"),
        (EmailKind.REMINDER, "1d"),
        (EmailKind.CERTIFICATE, ""),
    ]
    assert urdu.check_ins.count() == 2
    assert certificates.has_certificate(urdu)
    page = client.get(manage_path(urdu, "ur"))
    html = page.content.decode()
    assert page.status_code == 200 and 'dir="rtl"' in html
    assert "certificate/" in html
    # They answered the survey, so it is no longer offered.
    assert FeedbackResponse.objects.filter(registration=urdu, language="ur").exists()
    assert feedback.survey_url_for(urdu)
    assert "/feedback/" not in html


def test_the_visa_letter_is_approved_and_verifies_by_its_reference(demo, client):
    traveller = Registration.objects.get(email=VISA_REGISTRANT[1])
    letter = traveller.visa_letter
    assert letter.status == VisaLetterStatus.APPROVED
    assert traveller.emails.filter(kind=EmailKind.VISA_LETTER, status="sent").exists()
    registrar_client = Client()
    registrar_client.force_login(get_user_model().objects.get(username="registrar"))
    response = registrar_client.get(
        reverse("forms_app_admin:verify_visa_letter"), {"reference": letter.reference}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "BILAL EXAMPLE" in html and "Pakistani" in html
    page = client.get(manage_path(traveller, "en")).content.decode()
    assert "visa-letter/" in page


def test_the_online_registrant_gets_the_join_link_the_public_never_sees(demo, client):
    online = Registration.objects.get(email=ONLINE_REGISTRANT[1])
    assert (online.attendance, online.status, online.language) == ("online", "confirmed", "tr")
    assert NEXT_JOIN_URL in client.get(manage_path(online, "tr")).content.decode()
    event = online.page.get_parent().specific
    for language in ("en", "tr", "ur"):
        page = event.get_translations(inclusive=True).get(locale__language_code=language)
        public = client.get(page.url).content.decode()
        assert NEXT_JOIN_URL not in public
        assert NEXT_JOIN_URL not in client.get(page.url + "event.ics").content.decode()
    # An in-person registrant of the same hybrid form does not get it.
    in_person = Registration.objects.filter(
        page_id=online.page_id, status="confirmed", attendance="in_person"
    ).first()
    assert NEXT_JOIN_URL not in client.get(manage_path(in_person, "en")).content.decode()


@pytest.mark.parametrize("language, greeting", [("en", "Dear"), ("tr", "Sayın"), ("ur", "محترم")])
def test_the_demo_confirmation_greets_once(demo, language, greeting):
    from forms_app import emails
    from forms_app.models import OutgoingEmail

    # A sample registrant of the next edition, whose form has the managers' own text.
    registration = Registration.objects.filter(
        language=language, status="confirmed", email__startswith="participant"
    ).first()
    email = OutgoingEmail(registration=registration, kind=EmailKind.CONFIRMATION)
    body = emails.build_message(email).body
    assert body.count(greeting) == 1, body
