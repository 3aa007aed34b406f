import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Revision
from wagtail_localize.models import StringTranslation, Translation

from events.registration import Availability
from forms_app.models import Registration
from home.models import FooterText, HomePage, StandardPage

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "translations": Translation.objects.count(),
        "strings": StringTranslation.objects.count(),
        "footers": FooterText.objects.count(),
        "users": get_user_model().objects.count(),
        "registrations": Registration.objects.count(),
        "registration_statuses": sorted(Registration.objects.values_list("status", flat=True)),
    }


def test_demo_loader_is_idempotent(demo):
    first = snapshot()
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert snapshot() == first
    assert "created" not in output.getvalue()
    assert "translated" not in output.getvalue()


def test_demo_has_home_about_organisers_and_privacy_in_three_languages(demo, client):
    assert HomePage.objects.live().count() == 3
    for slug in ("about", "organisers", "privacy"):
        assert StandardPage.objects.live().filter(slug=slug).count() == 3
    for language, text in (
        ("en", "World Kashmir Diaspora Conference"),
        ("tr", "Dünya Keşmir Diasporası Konferansı"),
        ("ur", "عالمی کشمیری ڈائسپورا کانفرنس"),
    ):
        html = client.get(f"/{language}/").content.decode()
        assert text in html
    assert "Azad Keşmir" in client.get("/tr/about/").content.decode()
    assert "منتظمین" in client.get("/ur/organisers/").content.decode()


def test_demo_translations_open_in_the_translation_editor(demo, client):
    """Each translated page is a wagtail-localize Translation with its strings filled in,
    so an editor who opens it sees the translation editor, not a copied page."""
    about_tr = StandardPage.objects.get(slug="about", locale__language_code="tr")
    translation = Translation.objects.get(
        source__object_id=about_tr.translation_key, target_locale=about_tr.locale
    )
    total, translated = translation.get_progress()
    assert total > 5
    assert translated == total
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get(f"/admin/pages/{about_tr.pk}/edit/")
    assert response.status_code == 200
    assert "Konferans hakkında" in response.content.decode()
    assert "translation-editor" in response.content.decode()


def test_demo_registrations_span_languages_and_statuses(demo):
    assert Registration.objects.count() >= 36
    assert set(Registration.objects.values_list("language", flat=True)) == {"en", "tr", "ur"}
    assert set(Registration.objects.values_list("status", flat=True)) == {
        "confirmed",
        "waitlisted",
        "cancelled",
    }
    form = Registration.objects.filter(page__slug="register").first().page.specific
    assert form.capacity == 300 and form.waiting_list
    assert form.registration_availability() == Availability.OPEN


def test_demo_registration_form_works_in_every_language(demo, client):
    for language, label in (("en", "Area of work"), ("tr", "Çalışma alanı"), ("ur", "کام کا شعبہ")):
        html = client.get(f"/{language}/events/next-conference/register/").content.decode()
        assert label in html


def test_demo_users_can_log_in_with_the_documented_password(demo, client):
    for username in ("admin", "editor", "registrar"):
        assert client.login(username=username, password="changeme")
        assert client.get("/admin/").status_code == 200
        client.logout()
    editor = get_user_model().objects.get(username="editor")
    assert not editor.is_superuser
    assert editor.has_perm("wagtail_localize.submit_translation")
    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    assert about.permissions_for_user(editor).can_publish()


def test_the_demo_loads_without_visa_keys_leaving_out_only_the_letter(demo, settings):
    """Production settings refuse the development key: `load_demo` there (`make bench`)
    still completes, and says why the visa letter is missing."""
    from forms_app import demo as demo_content
    from forms_app.models import RegistrationFormPage, VisaLetterRequest

    settings.VISA_DATA_KEYS = []
    for email in (demo_content.VISA_REGISTRANT[1], demo_content.ONLINE_REGISTRANT[1]):
        Registration.objects.filter(email=email).delete()
    letters = VisaLetterRequest.objects.count()
    form = RegistrationFormPage.objects.filter(visa_letters=True).first()
    said = []

    demo_content.ensure_online_and_visa_story(form, form.event, None, said.append)

    assert Registration.objects.filter(email=demo_content.VISA_REGISTRANT[1]).exists()
    assert VisaLetterRequest.objects.count() == letters
    assert "VISA_DATA_KEYS is not set" in said[-1]
