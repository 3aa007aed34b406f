"""Registrants' data reaches only registration managers: where a form's emails go (the
organisers, the sender) and what they say (the confirmation texts) are the managers'
settings, not page fields an editor or translator can change, and the organisers' email
carries no personal data, only a link into the admin."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision
from wagtail_localize.models import TranslationSource
from wagtail_localize.segments.extract import extract_segments

from forms_app.models import RegistrationEmailSettings
from home.demo import ensure_users
from tests.factories.forms import RegistrationFormPageFactory
from tests.helpers import edit_form_data, edit_url, list_url, register

pytestmark = pytest.mark.django_db

EDITOR_ADDRESS = "editor@evil.example"
# What an editor would like registrants' emails to say and where they would like them to go:
# the page fields of Wagtail's AbstractEmailForm and our old confirmation fields.
PLANTED = {
    "to_address": EDITOR_ADDRESS,
    "from_address": EDITOR_ADDRESS,
    "subject": "Planted organiser subject",
    "confirmation_subject": "Planted confirmation subject",
    "confirmation_body": "Planted text: write to " + EDITOR_ADDRESS,
}


def settings_url(page):
    return reverse("forms_app_admin:email_settings", args=[page.pk])


def everything_sent(mailoutbox):
    """Every address and text of the messages sent, as one string."""
    parts = []
    for message in mailoutbox:
        parts += [message.from_email, message.subject, message.body]
        parts += message.to + message.cc + message.bcc + message.reply_to
        parts += [content for content, _mimetype in message.alternatives]
        parts += [json.dumps(message.extra_headers)]
    return "\n".join(parts)


@pytest.fixture
def demo_editor(db):
    """The demo's `editor`: Wagtail's Editors group, which the demo lets publish (and
    translate), with no registration permission."""
    ensure_users(lambda line: None)
    editor = get_user_model().objects.get(username="editor")
    assert not editor.has_perm("forms_app.manage_registrations")
    return editor


def test_an_editor_can_neither_route_registrants_data_nor_rewrite_their_emails(
    home, demo_editor, mailoutbox, django_capture_on_commit_callbacks
):
    form = RegistrationFormPageFactory(parent=home, slug="register", capacity=None)
    form.save_revision().publish()
    before = RegistrationEmailSettings.objects.get(page=form)
    client = Client()
    client.force_login(demo_editor)

    # The form's editor shows no email routing or texts to edit …
    editor_html = client.get(edit_url(form)).content.decode()
    for field in PLANTED:
        assert f'name="{field}"' not in editor_html
    # … and posting them anyway through the real edit view, with Publish, stores them nowhere.
    response = client.post(
        edit_url(form), edit_form_data(form, demo_editor, PLANTED, action="action-publish")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = Revision.objects.filter(object_id=str(form.pk)).latest("pk")
    assert revision.user == demo_editor
    form.refresh_from_db()
    assert form.live_revision_id == revision.pk  # published
    stored = [
        json.dumps(revision.content),
        json.dumps(
            {field.attname: str(getattr(form, field.attname)) for field in form._meta.fields}
        ),
        json.dumps(list(RegistrationEmailSettings.objects.values()), default=str),
        json.dumps(list(TranslationSource.objects.values_list("content_json", flat=True))),
    ]
    for value in PLANTED.values():
        assert all(value not in text for text in stored), value
    after = RegistrationEmailSettings.objects.get(page=form)
    assert (after.organiser_addresses, after.from_address, after.confirmation_texts) == (
        before.organiser_addresses,
        before.from_address,
        before.confirmation_texts,
    )
    # Translators neither: wagtail-localize offers no email field of the form to translate.
    paths = {segment.path.split(".")[0] for segment in extract_segments(form)}
    assert not paths & set(PLANTED), paths

    # The managers' settings are closed to the editor, reading or writing.
    assert client.get(settings_url(form)).status_code == 403
    response = client.post(settings_url(form), {"organiser_addresses": EDITOR_ADDRESS})
    assert response.status_code == 403
    assert RegistrationEmailSettings.objects.get(page=form).organiser_addresses == (
        "organisers@example.org"
    )

    # A new registration: nothing reaches the editor, no planted text reaches anyone, and
    # the organisers' email names no one.
    with django_capture_on_commit_callbacks(execute=True):
        register(form, "Ayla Registrant", "ayla@example.org")
    assert len(mailoutbox) == 2
    sent = everything_sent(mailoutbox)
    assert EDITOR_ADDRESS not in sent
    assert "Planted" not in sent
    (organiser,) = [message for message in mailoutbox if message.to == ["organisers@example.org"]]
    assert "Ayla" not in everything_sent([organiser])
    assert "ayla@example.org" not in everything_sent([organiser])


def test_a_manager_sets_the_routing_and_texts_and_the_emails_follow_them(
    form_page, form_in, registrar, registrar_client, mailoutbox, django_capture_on_commit_callbacks
):
    url = settings_url(form_page)
    # Reached from the form's registrations.
    assert url in registrar_client.get(list_url(form_page)).content.decode()
    # A translation's settings are its source page's.
    response = registrar_client.get(settings_url(form_in("tr")))
    assert (response.status_code, response["Location"]) == (302, url)
    # Urdu texts are edited right to left.
    html = registrar_client.get(url).content.decode()
    for name, direction in (("confirmation_body_ur", "rtl"), ("confirmation_subject_ur", "rtl")):
        tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html).group(0)
        assert f'dir="{direction}"' in tag and 'lang="ur"' in tag
    tag = re.search(r'<textarea[^>]*name="confirmation_body_tr"[^>]*>', html).group(0)
    assert 'dir="ltr"' in tag

    data = {
        "organiser_addresses": "team@example.org,  desk@example.org",
        "organiser_subject": "",
        "from_address": "registrations@example.org",
        "confirmation_subject_en": "",
        "confirmation_body_en": "",
        "confirmation_subject_tr": "Kaydınız alındı",
        "confirmation_body_tr": "Merhaba {name}, {event} için yeriniz ayrıldı.",
        "confirmation_subject_ur": "",
        "confirmation_body_ur": "",
    }
    # Refused, with nothing saved: a sender that is not an address, an unknown placeholder.
    refused = registrar_client.post(
        url, {**data, "from_address": "not an address", "confirmation_body_tr": "Hi {nmae}"}
    )
    assert refused.status_code == 200
    assert "{nmae}" in refused.content.decode()
    assert RegistrationEmailSettings.objects.get(page=form_page).from_address == (
        "conference@example.org"
    )

    response = registrar_client.post(url, data)
    assert (response.status_code, response["Location"]) == (302, list_url(form_page))
    saved = RegistrationEmailSettings.objects.get(page=form_page)
    assert saved.organiser_addresses == "team@example.org, desk@example.org"
    assert saved.confirmation_texts == {
        "tr": {
            "subject": "Kaydınız alındı",
            "body": "Merhaba {name}, {event} için yeriniz ayrıldı.",
        }
    }
    # The change is in Wagtail's log, with who made it.
    assert ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(RegistrationEmailSettings),
        object_id=str(saved.pk),
        action="wagtail.edit",
        user=registrar,
    ).exists()

    # A Turkish registrant gets the Turkish text from the managers' sender …
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(form_in("tr"), "Zeynep Kaya", "zeynep@example.org")
    confirmation, organiser = mailoutbox
    assert confirmation.to == ["zeynep@example.org"]
    assert confirmation.from_email == "registrations@example.org"
    assert confirmation.subject == "Kaydınız alındı"
    assert "Merhaba Zeynep Kaya, Üçüncü Konferans için yeriniz ayrıldı." in confirmation.body
    # … and the organisers are told that someone registered, and where to look: the
    # form, the registration's number and status, the places, an admin link; no name,
    # address or answers, and no Reply-To.
    assert organiser.to == ["team@example.org", "desk@example.org"]
    assert organiser.from_email == "registrations@example.org"
    assert organiser.reply_to == []
    assert organiser.subject == "New registration for Third Conference"
    admin_link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + list_url(form_page)
    assert admin_link in organiser.body
    assert f'href="{admin_link}"' in organiser.alternatives[0][0]
    assert f"Registration number: {registration.pk}" in organiser.body
    assert "Status: Confirmed" in organiser.body
    assert "Places taken now: 1 of 3" in organiser.body
    notice = everything_sent([organiser])
    for personal in ("Zeynep", "Kaya", "zeynep@example.org", "Norway", "Social media"):
        assert personal not in notice, personal

    # An Urdu registrant, with no Urdu text set, gets the built-in wording in Urdu (never
    # another language's custom text).
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        register(form_in("ur"), "Bilal Ahmed", "bilal@example.org")
    urdu = mailoutbox[0]
    assert urdu.to == ["bilal@example.org"]
    assert "تیسری کانفرنس" in urdu.subject
    assert "Merhaba" not in urdu.body and "Kaydınız" not in urdu.subject
