"""What registrants see: the form, the thank-you page, and the private manage page.

Every response here is personal or stateful, so none may be cached (`no-store`). A
successful POST redirects to the thank-you page (refreshing it sends nothing again), and
the thank-you page says the same thing whether the address was new or already registered,
so the form never reveals who is registered."""

import pickle
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from wagtail.models import Revision

from events.calendar import calendar_response
from events.registration import Availability
from home import page_cache

from . import audit, badges, certificates, feedback, ratelimit, services, ticket_pdf, visa_views
from .answers import answer_text, distinct_labels
from .emails import join_url_for
from .forms import ATTENDANCE_FIELD, TOKEN_FIELD, RegistrationFormBuilder, questions_of
from .models import Attendance, Registration, RegistrationStatus
from .services import RegistrationOutcome


def _never_cache(response):
    add_never_cache_headers(response)
    return response


@dataclass(frozen=True)
class PrivacyNotice:
    url: str
    # The revision a registrant agrees to (kept with the registration).
    revision: Revision | None


def privacy_notice(page):
    """The form's privacy notice in the visitor's language, or None. Remembered under the
    page-cache epoch: its address and live revision change only with a publish."""

    def compute():
        privacy = page.privacy_page
        if privacy is None:
            return None
        privacy = privacy.localized
        return PrivacyNotice(privacy.get_url(), privacy.live_revision)

    return page_cache.remember(f"privacy-notice:{page.pk}:{get_language()}", compute)


def live_questions(page):
    """The live page's `questions_of()`, remembered under the page-cache epoch: its
    questions change only with a publish, which starts a new one. Kept pickled, so every
    request builds its form from instances of its own."""
    remembered = page_cache.remember(
        f"questions:{page.pk}", lambda: pickle.dumps(questions_of(page))
    )
    return pickle.loads(remembered)


def build_form(page, data=None, *, preview=False):
    privacy = privacy_notice(page)
    builder = RegistrationFormBuilder.for_page(
        page,
        privacy_url=privacy.url if privacy is not None else None,
        # A preview shows the draft's questions, held on the page it was given.
        questions=None if preview else live_questions(page),
    )
    form_class = builder.get_form_class()
    if data is None:
        form = form_class(page=page, initial={TOKEN_FIELD: uuid.uuid4()})
    else:
        form = form_class(data, page=page)
    if ATTENDANCE_FIELD in form.fields:
        form.fields[ATTENDANCE_FIELD].choices = attendance_choices(page)
    return form


def attendance_choices(page):
    """In person / online, each saying how it stands: places left, the waiting list, or
    fully booked (still offered: the form says so if it is chosen)."""
    source = page.source_page()
    choices = []
    for option, _capacity in source.attendance_options():
        left = source.seats_left(option)
        if left is None:
            label = option.label
        elif left > 0:
            label = ngettext(
                "%(option)s (%(count)s place left)", "%(option)s (%(count)s places left)", left
            ) % {"option": option.label, "count": left}
        elif source.waiting_list:
            label = _("%(option)s (waiting list)") % {"option": option.label}
        else:
            label = _("%(option)s (fully booked)") % {"option": option.label}
        choices.append((option.value, label))
    return choices


def render_form(page, request, *, form=None, state=None, status=200, full=False, seats=None):
    context = page.get_context(request)
    context.update(
        {
            "form": form,
            "window_state": state or page.window_state(),
            "availability_states": Availability,
            "fully_booked": full,
            "event": page.event,
            "seats_left": page.seats_left() if seats is None else seats,
        }
    )
    response = TemplateResponse(request, page.get_template(request), context, status=status)
    return _never_cache(response)


def form_view(page, request):
    state = page.window_state()
    if request.method == "POST":
        if state != Availability.OPEN:
            return render_form(page, request, state=state, status=403)
        if not ratelimit.allow(request):
            response = TemplateResponse(
                request, "forms_app/rate_limited.html", page.get_context(request), status=429
            )
            response["Retry-After"] = "600"
            return _never_cache(response)
        form = build_form(page, request.POST)
        if form.is_spam:
            # Looks like success to a robot; nothing is stored or sent.
            return _never_cache(redirect(thanks_url(page, request), permanent=False))
        if not form.is_valid():
            return render_form(page, request, form=form, status=200)
        privacy = privacy_notice(page)
        outcome = services.register(
            page,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            answers=form.question_answers(),
            language=get_language(),
            submission_token=form.cleaned_data[TOKEN_FIELD],
            privacy_revision=privacy.revision if privacy is not None else None,
            attendance=form.cleaned_data.get(ATTENDANCE_FIELD) or Attendance.IN_PERSON,
        )
        if outcome.result == RegistrationOutcome.NO_PLACE_LEFT:
            if page.seats_left() != 0:
                # The pool chosen is full, another is not: let them choose again.
                form = build_form(page, request.POST)
                form.is_valid()
                form.add_error(
                    ATTENDANCE_FIELD,
                    _("No places of this kind are left and there is no waiting list."),
                )
                return render_form(page, request, form=form, status=409)
            return render_form(page, request, form=None, full=True, status=409)
        response = redirect(thanks_url(page, request))
        response.status_code = 303
        return _never_cache(response)
    # The seats are counted again, under the pool's lock, when the form is sent.
    seats = page.seats_left()
    full_without_list = state == Availability.OPEN and page.is_full_without_waiting_list(seats)
    if state != Availability.OPEN or full_without_list:
        return render_form(page, request, state=state, full=full_without_list, seats=seats)
    return render_form(page, request, form=build_form(page), seats=seats)


def thanks_url(page, request):
    # The form is posted to the page's own address (its index route), so the thank-you
    # page is below the request's path: no need for Wagtail's URL lookup.
    match = getattr(request, "routable_resolver_match", None)
    if match is not None and match.route == "" and request.path.endswith("/"):
        return request.path + page.reverse_subpage("thanks")
    return page.get_url(request) + page.reverse_subpage("thanks")


def thanks_view(page, request):
    context = page.get_context(request)
    context["event"] = page.event
    response = TemplateResponse(request, page.landing_page_template, context)
    return _never_cache(response)


def _registration_for(page, token):
    registration = (
        Registration.objects.filter(page_id=page.source_page().pk, manage_token=token)
        .select_related("page")
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def manage_view(page, request, token):
    registration = _registration_for(page, token)
    if request.method == "POST":
        if request.POST.get("action") == "cancel" and request.POST.get("confirm"):
            if registration.is_active:
                promoted = services.cancel(registration)
                # By the registrant (no user): the audit trail shows who cancelled what.
                audit.record(
                    registration.page,
                    audit.CANCELLED,
                    registration=registration.pk,
                    promoted=promoted.pk if promoted is not None else None,
                    by_registrant=True,
                )
                messages.success(request, _("Your registration has been cancelled."))
        else:
            messages.error(request, _("Tick the box to confirm that you want to cancel."))
        response = redirect(request.path)
        response.status_code = 303
        return _never_cache(response)
    return _manage_page(page, request, registration, token)


def _manage_page(page, request, registration, token, *, visa_form=None, status=200):
    context = page.get_context(request)
    context.update(
        {
            "registration": registration,
            "event": page.event,
            "answers": _answers_for_display(page, registration),
            "calendar_url": _manage_address(page, request, "manage_calendar", token),
            "is_waitlisted": registration.status == RegistrationStatus.WAITLISTED,
            "is_cancelled": registration.status == RegistrationStatus.CANCELLED,
            "ticket": _ticket(page, request, registration, token),
            # Confirmed registrants only; this page is never cached (`no-store`).
            "join_url": join_url_for(registration, page.event),
            "certificate_url": _certificate_url(page, request, registration, token),
            "survey_url": _survey_url(page, registration),
            "visa": visa_views.manage_context(page, request, registration, token, visa_form),
        }
    )
    response = TemplateResponse(
        request, "forms_app/registration_manage.html", context, status=status
    )
    # The address holds a secret: never send it on to other sites. ("no-referrer" would
    # also make browsers send `Origin: null` on the page's own cancel form, which Django's
    # CSRF check rightly refuses.)
    response["Referrer-Policy"] = "same-origin"
    return _never_cache(response)


def _survey_url(page, registration):
    """The event's feedback survey, once the event has started and until answered."""
    event = page.event
    if event is None or event.start > timezone.now():
        return ""
    url = feedback.survey_url_for(registration)
    if url and registration.feedback_responses.exists():
        return ""
    return url


def _manage_address(page, request, route, token):
    """The address of one of the manage page's own routes (its calendar file, ticket,
    certificate)."""
    return page.get_url(request) + page.reverse_subpage(route, args=[token])


def _ticket(page, request, registration, token):
    """What the manage page shows of the ticket: None unless the registration is
    confirmed (a waitlisted one gets its ticket when promoted; a cancelled one's no
    longer admits anyone)."""
    if not badges.has_badge(registration):
        return None
    return {
        "code": registration.ticket_code,
        "qr": badges.qr_svg(registration.ticket_code, title=_("QR code of your ticket")),
        "pdf_url": _manage_address(page, request, "manage_ticket", token),
    }


def manage_ticket_view(page, request, token):
    """The ticket as a one-page PDF: the same private address as the manage page, and
    only for a confirmed registration (404 otherwise, as for an unknown token)."""
    registration = _registration_for(page, token)
    if not badges.has_badge(registration):
        raise Http404
    response = HttpResponse(ticket_pdf.render(registration), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="ticket.pdf"'
    response["Referrer-Policy"] = "same-origin"
    return _never_cache(response)


def _certificate_url(page, request, registration, token):
    """The certificate of attendance's address, once the event has started and the
    registrant has been checked in at least once (not cancelled); else None."""
    if not certificates.has_certificate(registration, page.event):
        return None
    return _manage_address(page, request, "manage_certificate", token)


def manage_certificate_view(page, request, token):
    """The certificate of attendance as a one-page PDF, on the manage page's private
    address; 404 (as for an unknown token) before the event or without a check-in."""
    registration = _registration_for(page, token)
    if not certificates.has_certificate(registration, page.event):
        raise Http404
    response = HttpResponse(certificates.render(registration), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificates.filename(registration)}"'
    response["Referrer-Policy"] = "same-origin"
    return _never_cache(response)


def manage_visa_view(page, request, token):
    """POST: a visa invitation letter request (`visa_views.submit_request`), then back to
    the manage page (303); with errors, the manage page again with them (in the
    visitor's language); refused (waitlisted, cancelled), the manage page with the
    reason (403)."""
    registration = _registration_for(page, token)
    manage_address = _manage_address(page, request, "manage", token)
    if request.method != "POST":
        return _never_cache(redirect(manage_address))
    form, status = visa_views.submit_request(page, request, registration)
    if status == 303:
        response = redirect(manage_address)
        response.status_code = 303
        return _never_cache(response)
    return _manage_page(page, request, registration, token, visa_form=form, status=status)


def manage_visa_letter_view(page, request, token):
    """The approved visa invitation letter (PDF), on the manage page's private address;
    404 when there is none valid (not approved, declined, registration cancelled)."""
    return visa_views.letter_response(_registration_for(page, token))


def _answers_for_display(page, registration):
    """The registrant's answers, labelled (and choices worded) in the page's language.
    Each answer is the one stored under its question's own key (a question labelled
    "Status" has its answer, not the registration's status), and a label that reads like
    one of the page's own ("Name", "Email address", "Status") is marked as a question's."""
    fields = list(page.get_form_fields())
    source_fields = {f.translation_key: f for f in page.source_page().form_fields.all()}
    builder = RegistrationFormBuilder(fields, list(source_fields.values()))
    built_in = [_("Name"), _("Email address"), _("Status")]
    labels = distinct_labels([*built_in, *(field.label for field in fields)])[len(built_in) :]
    rows = []
    for field, label in zip(fields, labels, strict=True):
        wording = None
        if field.field_type in ("dropdown", "radio", "checkboxes", "multiselect"):
            wording = dict(builder.get_formatted_field_choices(field))
        text = answer_text(registration.form_data.get(field.clean_name), choice_labels=wording)
        if text != "":
            rows.append((label, text))
    return rows


def manage_calendar_view(page, request, token):
    """The registrant's own calendar file: with the online join address when their place
    is confirmed (the public `event.ics` never has it)."""
    registration = _registration_for(page, token)
    event = page.event
    if event is None:
        raise Http404
    response = calendar_response(
        [event],
        request,
        name=event.title,
        filename="event.ics",
        include_join_url=bool(join_url_for(registration, event)),
    )
    response["Referrer-Policy"] = "same-origin"
    return _never_cache(response)


def preview(page, request, mode_name):
    if mode_name == "landing":
        return thanks_view(page, request)
    return render_form(page, request, form=build_form(page, preview=True))
