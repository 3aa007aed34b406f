"""The registration form in every language: one answer schema, canonical answers, PRG,
clear errors in the registrant's language, and no 500 for any input."""

import re

import pytest
from django.test import Client

from forms_app.models import Registration
from tests.helpers import answers

pytestmark = pytest.mark.django_db

URL = {code: f"/{code}/third-conference/register/" for code in ("en", "tr", "ur")}


def test_answer_schema_is_identical_across_languages(form_in):
    schemas = {code: list(form_in(code).get_form_class()().fields) for code in ("en", "tr", "ur")}
    assert schemas["en"] == schemas["tr"] == schemas["ur"]
    assert schemas["en"][:2] == ["name", "email"]
    assert {"country_of_residence", "area_of_work", "attending_in_person", "consent"} <= set(
        schemas["en"]
    )


def test_choices_show_translated_wording_with_source_values(client, form_page):
    html = client.get(URL["ur"]).content.decode()
    assert re.search(r'value="Social media"[^>]*>\s*سوشل میڈیا', html)
    html = client.get(URL["tr"]).content.decode()
    assert re.search(r'value="Political lobbying"[^>]*>\s*Siyasi lobicilik', html)


@pytest.mark.parametrize("language", ["tr", "ur"])
def test_choice_answers_are_stored_in_source_wording(client, form_page, language):
    response = client.post(
        URL[language],
        answers(area_of_work=["Social media", "Academic work"], attending_in_person="No"),
    )
    assert response.status_code == 303
    registration = Registration.objects.get()
    assert registration.page_id == form_page.pk  # the source page, whatever the language
    assert registration.language == language
    assert registration.form_data["area_of_work"] == ["Social media", "Academic work"]
    assert registration.form_data["attending_in_person"] == "No"


def test_a_translated_wording_is_not_a_valid_value(client, form_page):
    response = client.post(URL["tr"], answers(area_of_work=["Sosyal medya"]))
    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert "Geçerli bir seçenek seçin" in response.content.decode()


def test_post_redirects_to_the_thank_you_page_and_refresh_is_harmless(client, form_page):
    response = client.post(URL["tr"], answers())
    assert response.status_code == 303
    assert response["Location"] == "/tr/third-conference/register/thanks/"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]
    assert "Teşekkürler" in thanks.content.decode()
    client.get(response["Location"])  # a refresh is a GET: nothing happens
    assert Registration.objects.count() == 1


def test_form_pages_are_never_cached(client, form_page):
    for code in ("en", "tr", "ur"):
        response = client.get(URL[code])
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_invalid_input_rerenders_with_errors_in_the_registrants_language(client, form_page):
    response = client.post(URL["ur"], answers(email="not-an-address", consent=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    assert 'class="error-summary"' in html
    assert 'href="#id_email"' in html  # the summary links to the field
    assert re.search(
        r'id="id_email"[^>]*aria-describedby="email-help email-error"', html
    ) or re.search(r'aria-describedby="email-help email-error"[^>]*id="id_email"', html)
    assert 'aria-invalid="true"' in html
    assert "درست ای میل پتہ درج کریں" in html
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        answers(name="x" * 201),
        answers(country_of_residence="y" * 10_000),
        answers(email="a" * 300 + "@example.org"),
        {"name": ["a", "b"], "email": {"x": 1}},
        answers(area_of_work="not a list"),
        answers(attending_in_person="Maybe"),
        answers(submission_token="not-a-uuid"),
        {},
    ],
)
def test_invalid_input_is_no_server_error_and_registers_nobody(client, form_page, data):
    # Each of these is invalid: the form comes back with its errors, nothing is stored.
    response = client.post(URL["tr"], data)
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not Registration.objects.exists()


def test_oversized_body_is_refused_cleanly(client, form_page, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(URL["en"], answers(country_of_residence="z" * 20_000))
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_missing_csrf_token_is_a_403_page_not_an_error(form_page):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL["tr"], answers())
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="tr" dir="ltr">' in html
    assert "Oturumunuzun süresi doldu" in html
    assert not Registration.objects.exists()


def test_consent_is_required_and_recorded(client, form_page, translated):
    from tests.factories.home import StandardPageFactory

    privacy = StandardPageFactory(
        parent=form_page.get_parent().get_parent(), slug="privacy", title="Privacy"
    )
    privacy.save_revision().publish()
    form_page.privacy_page = privacy
    form_page.save_revision().publish()
    html = client.get(URL["en"]).content.decode()
    assert 'href="/en/privacy/"' in html
    response = client.post(URL["en"], answers(consent=""))
    assert response.status_code == 200
    assert "Please agree to the privacy notice" in response.content.decode()
    client.post(URL["en"], answers())
    registration = Registration.objects.get()
    assert registration.consent_at is not None
    privacy.refresh_from_db()
    assert registration.privacy_revision_id == privacy.live_revision_id


def test_a_published_question_is_asked_at_once_and_a_draft_one_only_in_preview(
    client, admin_client, form_page
):
    """The live questions are remembered under the page-cache epoch (forms_app/views.py):
    a publish starts a new one, a draft leaves them as they are, and a preview shows the
    draft's own."""
    from forms_app.models import RegistrationFormField

    assert 'name="dietary_needs"' not in client.get(URL["en"]).content.decode()
    page = form_page.specific
    page.form_fields.add(
        RegistrationFormField(
            label="Dietary needs",
            clean_name="dietary_needs",
            field_type="singleline",
            sort_order=10,
            locale=page.locale,
        )
    )
    revision = page.save_revision()
    assert 'name="dietary_needs"' not in client.get(URL["en"]).content.decode()
    preview = admin_client.get(f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/")
    assert 'name="dietary_needs"' in preview.content.decode()
    revision.publish()
    assert 'name="dietary_needs"' in client.get(URL["en"]).content.decode()
    response = client.post(URL["en"], answers(dietary_needs="Vegetarian"))
    assert response.status_code == 303
    assert Registration.objects.get().form_data["dietary_needs"] == "Vegetarian"
