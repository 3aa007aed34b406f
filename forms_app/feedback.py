"""Feedback surveys after the event: which survey a registrant answers, and their one
response to it.

A survey (`FeedbackFormPage`) sits under an event page. A registrant reaches it through
the link in the after-event email or on their manage page, which carries their manage
token: so only registrants answer (no anonymous spam), each once (the database refuses a
second response for the same registration and survey: a double click or a second tab
records nothing more). Confirmed registrations only; a cancelled one cannot answer.

Every language version's responses are kept on the source survey page, under the
synchronised answer keys, with the language they were given in."""

from django.db import IntegrityError, transaction
from django.db.models import Count

from home.addresses import absolute
from home.languages import live_translation

from .models import FeedbackFormPage, FeedbackResponse, Registration, RegistrationStatus


def _parent_path(page):
    return page.path[: -page.steplen]


def source_survey_for(registration):
    """The live source survey under the event of `registration`'s form, or None."""
    event_path = _parent_path(registration.page)
    surveys = FeedbackFormPage.objects.live().filter(
        path__startswith=event_path, depth=registration.page.depth
    )
    for survey in surveys.order_by("pk"):
        if survey.source_page().pk == survey.pk:
            return survey
    return None


def survey_url_for(registration):
    """The absolute address where `registration` answers its event's survey, in their
    language; "" when there is no live survey or they may not answer."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return ""
    source = source_survey_for(registration)
    if source is None:
        return ""
    survey = live_translation(source, registration.language)
    return absolute(
        survey.get_url() + survey.reverse_subpage("answer", args=[registration.manage_token])
    )


def respondent(survey, token):
    """The confirmed registration whose manage token is `token`, if it belongs to the
    event this survey is under (in any language); else None."""
    source = survey.source_page()
    registration = (
        Registration.objects.filter(manage_token=token, status=RegistrationStatus.CONFIRMED)
        .select_related("page")
        .first()
    )
    if registration is None or _parent_path(registration.page) != _parent_path(source):
        return None
    return registration


def response_of(survey, registration):
    return FeedbackResponse.objects.filter(
        page_id=survey.source_page().pk, registration=registration
    ).first()


def record(survey, registration, answers, language):
    """Store `registration`'s answers once. Returns (response, created)."""
    try:
        with transaction.atomic():
            response = FeedbackResponse.objects.create(
                page_id=survey.source_page().pk,
                registration=registration,
                form_data=answers,
                language=language,
            )
    except IntegrityError:
        return response_of(survey, registration), False
    return response, True


def language_counts(survey):
    """{language code: responses} of a survey, every language version's together."""
    rows = (
        FeedbackResponse.objects.filter(page_id=survey.source_page().pk)
        .values_list("language")
        .annotate(count=Count("*"))
        .order_by()
    )
    return dict(rows)
