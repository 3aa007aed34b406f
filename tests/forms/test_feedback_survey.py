"""The feedback survey after the event: reached only through a registrant's private link
(the manage page and the certificate email carry it, in their language), answered once
per registrant whatever the language or the number of tabs, and its results in the admin
for registration managers, with the number of responses per language."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import EventPage
from forms_app import checkin, emails, feedback
from forms_app.models import (
    EmailKind,
    FeedbackFormField,
    FeedbackFormPage,
    FeedbackResponse,
    OutgoingEmail,
    Registration,
    RegistrationFormPage,
)
from tests.helpers import register, translate_by_copy

pytestmark = pytest.mark.django_db

QUESTIONS = {
    "en": ("How useful was the conference?", "Very useful\nUseful\nNot useful"),
    "tr": ("Konferans ne kadar yararlıydı?", "Çok yararlı\nYararlı\nYararlı değil"),
    "ur": ("کانفرنس کتنی مفید تھی؟", "بہت مفید\nمفید\nمفید نہیں"),
}


def build_survey():
    """The event started yesterday; a survey under it in three languages; an Urdu and a
    Turkish registrant (confirmed), and one cancelled."""
    form = RegistrationFormPage.objects.get(slug="register", locale__language_code="en")
    RegistrationFormPage.objects.filter(pk=form.pk).update(capacity=None)
    start = timezone.now() - dt.timedelta(days=1)
    EventPage.objects.filter(translation_key=form.event.translation_key).update(
        start=start, end=start + dt.timedelta(hours=30)
    )
    form = RegistrationFormPage.objects.get(pk=form.pk)
    event = form.event
    survey = FeedbackFormPage(title="Feedback", slug="feedback", intro="Tell us.")
    event.add_child(instance=survey)
    FeedbackFormField.objects.create(
        page=survey,
        label=QUESTIONS["en"][0],
        field_type="radio",
        choices=QUESTIONS["en"][1],
        required=True,
        sort_order=0,
    )
    survey.save_revision().publish()
    for code in ("tr", "ur"):
        copy = translate_by_copy(survey, code, title=f"Feedback {code}")
        field = copy.form_fields.get()
        field.label, field.choices = QUESTIONS[code]
        field.save(update_fields=["label", "choices"])
    forms = {
        page.locale.language_code: page
        for page in RegistrationFormPage.objects.filter(translation_key=form.translation_key)
    }
    urdu = register(forms["ur"], "علی", "ali@example.org")
    turkish = register(forms["tr"], "Işıl", "isil@example.org")
    cancelled = register(forms["en"], "Gone", "gone@example.org")
    Registration.objects.filter(pk=cancelled.pk).update(status="cancelled")
    return {"survey": survey.pk, "ur": urdu.pk, "tr": turkish.pk, "cancelled": cancelled.pk}


@pytest.fixture(scope="module")
def pks(module_data):
    return module_data(build_survey)


@pytest.fixture
def survey(pks, form_page):
    return FeedbackFormPage.objects.get(pk=pks["survey"])


def person(pks, key):
    return Registration.objects.get(pk=pks[key])


def answer_url(language, token):
    return f"/{language}/third-conference/feedback/{token}/"


def test_the_link_is_in_the_registrants_language_and_answers_once(client, pks, survey):
    urdu = person(pks, "ur")
    url = feedback.survey_url_for(urdu)
    assert url.endswith(answer_url("ur", urdu.manage_token))
    page = client.get(answer_url("ur", urdu.manage_token))
    html = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert QUESTIONS["ur"][0] in html and 'dir="rtl"' in html
    # The Urdu wording is shown; the English wording is what is stored.
    assert 'value="Very useful"' in html and "بہت مفید" in html
    data = {"how_useful_was_the_conference": "Very useful"}
    response = client.post(answer_url("ur", urdu.manage_token), data)
    assert response.status_code == 303
    thanks = client.get(response["Location"]).content.decode()
    assert "<title>جوابات موصول ہو گئے" in thanks
    # A second tab in Turkish, and a refresh: nothing more is stored.
    again = client.post(answer_url("tr", urdu.manage_token), {**data})
    assert again.status_code == 200
    assert 'data-feedback="already"' in again.content.decode()
    responses = FeedbackResponse.objects.filter(registration=urdu)
    assert [(r.page_id, r.language, r.form_data) for r in responses] == [
        (survey.pk, "ur", {"how_useful_was_the_conference": "Very useful"})
    ]


def test_a_second_insert_is_refused_by_the_database(pks, survey):
    turkish = person(pks, "tr")
    answers = {"how_useful_was_the_conference": "Useful"}
    first, created = feedback.record(survey, turkish, answers, "tr")
    second, created_again = feedback.record(survey, turkish, {"x": "y"}, "tr")
    assert (created, created_again) == (True, False)
    assert second.pk == first.pk
    assert FeedbackResponse.objects.filter(registration=turkish).count() == 1


def test_an_invalid_answer_is_an_error_in_the_visitors_language(client, pks, survey):
    token = person(pks, "tr").manage_token
    response = client.post(answer_url("tr", token), {})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert "Bu alan zorunludur" in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_strangers_and_cancelled_registrants_cannot_answer(client, pks, survey):
    assert client.get(answer_url("en", "not-a-token")).status_code == 404
    cancelled = person(pks, "cancelled")
    assert client.get(answer_url("en", cancelled.manage_token)).status_code == 404
    assert feedback.survey_url_for(cancelled) == ""
    # The survey's own address says where the link is, and offers no form.
    page = client.get("/en/third-conference/feedback/")
    assert page.status_code == 200
    assert "<form" not in page.content.decode().split("<main", 1)[-1]
    assert not FeedbackResponse.objects.exists()


def test_a_registration_for_another_event_cannot_answer(client, pks, survey, home):
    urdu = person(pks, "ur")
    assert feedback.respondent(survey, urdu.manage_token) is not None
    # The same token, on a registration kept by a form elsewhere in the site.
    Registration.objects.filter(pk=urdu.pk).update(page=home)
    assert feedback.respondent(survey, urdu.manage_token) is None
    assert client.get(answer_url("ur", urdu.manage_token)).status_code == 404


def test_the_manage_page_and_certificate_email_link_the_survey_until_answered(client, pks, survey):
    turkish = person(pks, "tr")
    form = RegistrationFormPage.objects.get(pk=turkish.page_id)
    tr_form = form.get_translations().get(locale__language_code="tr")
    manage = f"/tr/third-conference/{tr_form.slug}/manage/{turkish.manage_token}/"
    html = client.get(manage).content.decode()
    assert "Geri bildirim anketini yanıtlayın" in html
    assert answer_url("tr", turkish.manage_token) in html
    checkin.check_in(form, day=checkin.event_days(form.event)[0], registration_id=turkish.pk)
    email = OutgoingEmail.objects.create(registration=turkish, kind=EmailKind.CERTIFICATE)
    assert emails.deliver(email.pk)
    assert answer_url("tr", turkish.manage_token) in mail.outbox[-1].body
    client.post(answer_url("tr", turkish.manage_token), {"how_useful_was_the_conference": "Useful"})
    assert answer_url("tr", turkish.manage_token) not in client.get(manage).content.decode()


def test_results_are_for_registration_managers_with_counts_per_language(
    client, registrar_client, editor_client, pks, survey
):
    for key, answer in (("ur", "Very useful"), ("tr", "Not useful")):
        feedback.record(survey, person(pks, key), {"how_useful_was_the_conference": answer}, key)
    translation = survey.get_translations().get(locale__language_code="tr")
    url = reverse("wagtailforms:list_submissions", args=[survey.pk])
    response = registrar_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 responses" in html
    assert 'data-language="ur"><th scope="row" lang="ur">' in html
    assert "Not useful" in html and "Very useful" in html
    # No names: the answers are read for what they say.
    assert "Işıl" not in html and "علی" not in html
    # A translation's results are its source page's.
    translated = registrar_client.get(
        reverse("wagtailforms:list_submissions", args=[translation.pk])
    )
    assert "2 responses" in translated.content.decode()
    assert editor_client.get(url).status_code == 403
    export = registrar_client.get(url + "?export=csv")
    csv = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "How useful was the conference?" in csv.splitlines()[0]
