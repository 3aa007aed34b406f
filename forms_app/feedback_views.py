"""The feedback survey's pages (through a registrant's private link) and its results in
the admin. Every public response here is personal: none is cached (`no-store`)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from wagtail.contrib.forms.views import SubmissionsListView

from events.models import EventPage

from . import feedback
from .permissions import forbidden, user_can_manage_form


def _private(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def _render(page, request, template, status=200, **extra):
    context = page.get_context(request)
    context.update({"event": _event(page), **extra})
    return _private(TemplateResponse(request, template, context, status=status))


def _event(page):
    return EventPage.objects.filter(path=page.path[: -page.steplen]).first()


def _thanks_url(page, token):
    return page.get_url() + page.reverse_subpage("thanks", args=[token])


def answer_view(page, request, token):
    registration = feedback.respondent(page, token)
    if registration is None:
        raise Http404
    if feedback.response_of(page, registration) is not None:
        return _render(page, request, page.landing_page_template, already=True, token=token)
    form_class = page.get_form_class()
    if request.method == "POST":
        form = form_class(request.POST, page=page)
        if form.is_valid():
            # A second tab or a double click records nothing more.
            feedback.record(page, registration, form.question_answers(), get_language())
            response = redirect(_thanks_url(page, token))
            response.status_code = 303
            return _private(response)
    else:
        form = form_class(page=page)
    return _render(page, request, page.template, form=form, registration=registration)


def thanks_view(page, request, token):
    registration = feedback.respondent(page, token)
    if registration is None:
        raise Http404
    return _render(page, request, page.landing_page_template, already=False)


def no_token_view(page, request):
    """The survey's own address, without a registrant's link: say where the link is."""
    return _render(page, request, page.template, form=None, registration=None)


class FeedbackResultsView(SubmissionsListView):
    """A survey's responses from every language version, for registration managers only
    (responses belong to registrations), with the number per language."""

    template_name = "forms_app/admin/feedback_results.html"

    def dispatch(self, request, *args, **kwargs):
        form_page = kwargs["form_page"]
        source = form_page.source_page()
        if not user_can_manage_form(request.user, source):
            return forbidden(request)
        kwargs["form_page"] = source
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = feedback.language_counts(self.form_page)
        context["language_counts"] = [
            (code, name, counts.get(code, 0)) for code, name in settings.LANGUAGES
        ]
        context["response_total"] = sum(counts.values())
        return context
