"""Visa invitation letters in the views: the registrant's request on the manage page and
the letter's download there (reached through `forms_app.views`, which owns the manage
page), and the registration managers' pages in the admin: the forms offering letters,
a form's requests, one request with its decrypted details and the decision, the letter
itself, and the reference verification.

Passport details travel only in POST bodies marked sensitive (Django's error reports
leave them out), are sealed before they are stored (`forms_app.visa`), and are shown
decrypted on the request's admin page only, to registration managers of its form (each
view is logged, ids only). Anyone else in the admin gets the 403 page."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from wagtail.contrib.forms.utils import get_forms_for_user

from . import emails, visa, visa_letters
from .forms import DescribedFieldsMixin, clean_text
from .models import (
    EmailKind,
    RegistrationFormPage,
    RegistrationStatus,
    VisaLetterRequest,
    VisaLetterStatus,
)
from .permissions import can_manage_registrations, forbidden, user_can_manage_form

PASSPORT_NUMBER_MIN, PASSPORT_NUMBER_MAX = 5, 20
OLDEST_AGE_YEARS = 120
REASON_MAX_LENGTH = 2000
MAX_REFERENCE_LENGTH = 64


def _never_cache(response):
    add_never_cache_headers(response)
    return response


# The registrant's request -----------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VisaRequestForm(DescribedFieldsMixin, forms.Form):
    """The passport details a letter needs. Errors are in the visitor's language (the
    manage page's prefix); dates are ISO (`<input type="date">`) in every language."""

    passport_name = forms.CharField(
        label=_("Full name as in your passport"), max_length=200, strip=True
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=100)
    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )
    passport_expiry = forms.DateField(label=_("Passport expiry date"), widget=DateInput())
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())
    consulate_city = forms.CharField(
        label=_("City of the consulate where you apply"), max_length=100
    )

    def _text(self, name):
        value = clean_text(self.cleaned_data[name])
        if not value:
            raise forms.ValidationError(gettext("This field is required."), code="required")
        return value

    def clean_passport_name(self):
        return self._text("passport_name")

    def clean_nationality(self):
        return self._text("nationality")

    def clean_consulate_city(self):
        return self._text("consulate_city")

    @sensitive_variables("number")
    def clean_passport_number(self):
        number = "".join(clean_text(self.cleaned_data["passport_number"]).split()).upper()
        number = number.replace("-", "")
        if not (
            PASSPORT_NUMBER_MIN <= len(number) <= PASSPORT_NUMBER_MAX
            and number.isascii()
            and number.isalnum()
        ):
            raise forms.ValidationError(
                gettext("A passport number has %(min)s to %(max)s letters and digits.")
                % {"min": PASSPORT_NUMBER_MIN, "max": PASSPORT_NUMBER_MAX},
                code="passport_number",
            )
        return number

    def clean_passport_expiry(self):
        expiry = self.cleaned_data["passport_expiry"]
        if expiry <= timezone.localdate():
            raise forms.ValidationError(
                gettext("This passport has expired: a visa needs a valid passport."),
                code="expired",
            )
        return expiry

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        oldest = today.replace(year=today.year - OLDEST_AGE_YEARS)
        if not (oldest < born < today):
            raise forms.ValidationError(
                gettext("Check the date of birth: it cannot be in the future or so long ago."),
                code="date_of_birth",
            )
        return born

    def details(self):
        return {name: _as_text(self.cleaned_data[name]) for name in visa.DETAIL_FIELDS}


def _as_text(value):
    return value.isoformat() if isinstance(value, dt.date) else str(value)


REFUSALS = {
    visa.Refusal.NOT_OFFERED: _("This form does not offer visa invitation letters."),
    visa.Refusal.UNAVAILABLE: _(
        "Visa invitation letters cannot be requested at the moment. Please write to the organisers."
    ),
    visa.Refusal.ALREADY: _("You have already asked for a visa invitation letter."),
}


def _refusal_text(reason, registration):
    if reason == visa.Refusal.NOT_CONFIRMED:
        if registration.status == RegistrationStatus.WAITLISTED:
            return gettext(
                "You are on the waiting list: a visa invitation letter can be requested "
                "once your place is confirmed."
            )
        return gettext(
            "This registration is cancelled: a visa invitation letter can only be requested "
            "for a confirmed place."
        )
    return str(REFUSALS[reason])


def _address(page, request, route, token):
    return page.get_url(request) + page.reverse_subpage(route, args=[token])


def manage_context(page, request, registration, token, form=None):
    """The manage page's visa letter section (None when the form offers none and the
    registration never asked)."""
    letter_request = visa.request_of(registration)
    if letter_request is None and not visa.offered(page):
        return None
    reason = visa.refusal(page, registration, letter_request)
    if reason is None and form is None:
        form = VisaRequestForm()
    state = visa.state(letter_request, registration) if letter_request is not None else None
    return {
        "request": letter_request,
        "state": state,
        "states": visa.State,
        "form": form if reason is None else None,
        "action_url": _address(page, request, "manage_visa", token),
        "letter_url": (
            _address(page, request, "manage_visa_letter", token)
            if visa.has_letter(letter_request, registration)
            else ""
        ),
        "refusal": (
            _refusal_text(reason, registration)
            if reason not in (None, visa.Refusal.ALREADY, visa.Refusal.NOT_OFFERED)
            else ""
        ),
        "asked_again": letter_request is not None and reason is None,
    }


@sensitive_variables("form")
def submit_request(page, request, registration):
    """A visa letter request POSTed from the manage page: (form, status). A form with
    errors is shown again (200); a refusal has status 403 and a message; otherwise
    `form` is None and the caller redirects (303) to the manage page."""
    # Nothing of this POST may reach an error report (Django's filter honours this).
    request.sensitive_post_parameters = "__ALL__"
    reason = visa.refusal(page, registration)
    if reason == visa.Refusal.ALREADY:
        # A second submit or tab: the request exists; nothing changes.
        return None, 303
    if reason is not None:
        messages.error(request, _refusal_text(reason, registration))
        return None, 403
    form = VisaRequestForm(request.POST)
    if not form.is_valid():
        return form, 200
    try:
        _letter_request, created = visa.request_letter(page, registration, form.details())
    except ValueError as error:  # refused under the lock (cancelled meanwhile)
        messages.error(request, _refusal_text(str(error), registration))
        return None, 403
    if created:
        messages.success(
            request,
            gettext(
                "Your request for a visa invitation letter has been sent. We will email "
                "you when the organisers have decided."
            ),
        )
    return None, 303


def letter_response(registration, *, disposition="inline"):
    """The letter PDF of a registration whose letter is valid; 404 otherwise (not
    approved, revoked by a cancellation, withdrawn, details erased)."""
    letter_request = visa.request_of(registration)
    if not visa.has_letter(letter_request, registration):
        raise Http404
    response = HttpResponse(visa_letters.render(letter_request), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'{disposition}; filename="{visa_letters.filename(letter_request)}"'
    )
    response["Referrer-Policy"] = "same-origin"
    return _never_cache(response)


# The registration managers' pages ---------------------------------------------------------


def _managed_forms(user):
    return RegistrationFormPage.objects.filter(
        pk__in=get_forms_for_user(user).type(RegistrationFormPage).values("pk")
    ).filter(pk__in=RegistrationFormPage.source_pages().values("pk"))


def index(request):
    """The forms that offer visa letters or have requests, with their counts."""
    if not can_manage_registrations(request.user):
        return forbidden(request)
    rows = []
    for form_page in _managed_forms(request.user).order_by("title"):
        requests = VisaLetterRequest.objects.filter(registration__page_id=form_page.pk)
        counts = dict.fromkeys(VisaLetterStatus.values, 0)
        for status in requests.values_list("status", flat=True):
            counts[status] += 1
        if form_page.visa_letters or any(counts.values()):
            rows.append({"form": form_page, "counts": counts, "offered": form_page.visa_letters})
    context = {"rows": rows, "keys_missing": not visa.available()}
    return _never_cache(TemplateResponse(request, "forms_app/admin/visa/index.html", context))


def requests_list(request, page_id):
    """One form's requests: name, state, requested at; newest first."""
    if not can_manage_registrations(request.user):
        return forbidden(request)
    form_page = get_object_or_404(RegistrationFormPage, pk=page_id)
    form_page = form_page.source_page()
    if not user_can_manage_form(request.user, form_page):
        return forbidden(request)
    letter_requests = (
        VisaLetterRequest.objects.filter(registration__page_id=form_page.pk)
        .select_related("registration")
        .order_by("-requested_at")
    )
    rows = [
        {
            "request": letter_request,
            "registration": letter_request.registration,
            "state": visa.state(letter_request),
            "state_label": visa.STATE_LABELS[visa.state(letter_request)],
        }
        for letter_request in letter_requests
    ]
    context = {"form_page": form_page, "rows": rows, "states": visa.State}
    return _never_cache(TemplateResponse(request, "forms_app/admin/visa/list.html", context))


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the registrant)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


def _request_for(request, request_id):
    """(letter request, its source form page), or a 403 response."""
    if not can_manage_registrations(request.user):
        return None, forbidden(request)
    letter_request = get_object_or_404(
        VisaLetterRequest.objects.select_related("registration", "decided_by"), pk=request_id
    )
    form_page = RegistrationFormPage.objects.get(pk=letter_request.registration.page_id)
    if not user_can_manage_form(request.user, form_page):
        return None, forbidden(request)
    return (letter_request, form_page), None


def detail(request, request_id):
    """GET: the request with its decrypted details (the view is logged); POST: approve,
    or decline with a reason. The email is queued in the decision's transaction."""
    found, refused = _request_for(request, request_id)
    if refused is not None:
        return refused
    letter_request, form_page = found
    request.sensitive_post_parameters = "__ALL__"
    decision_form = DecisionForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "decline" and decision_form.is_valid():
            reason = decision_form.cleaned_data["reason"].strip()
            if not reason:
                decision_form.add_error("reason", gettext("Give the registrant a reason."))
            else:
                return _decide(request, letter_request, action, reason=reason)
        elif action == "approve":
            return _decide(request, letter_request, action)
    details = visa.details_of(letter_request)
    if details is not None:
        visa.record_details_viewed(letter_request, user=request.user)
    state = visa.state(letter_request)
    context = {
        "form_page": form_page,
        "letter_request": letter_request,
        "registration": letter_request.registration,
        "details": _details_rows(details) if details is not None else None,
        "state": state,
        "state_label": visa.STATE_LABELS[state],
        "states": visa.State,
        "decision_form": decision_form,
        "can_approve": letter_request.status == VisaLetterStatus.REQUESTED
        and letter_request.registration.status == RegistrationStatus.CONFIRMED
        and details is not None,
        "can_decline": letter_request.status != VisaLetterStatus.DECLINED,
        "letter_url": (
            reverse("forms_app_admin:visa_letter_pdf", args=[letter_request.pk])
            if visa.has_letter(letter_request)
            else ""
        ),
        "list_url": reverse("forms_app_admin:visa_requests", args=[form_page.pk]),
    }
    return _never_cache(TemplateResponse(request, "forms_app/admin/visa/detail.html", context))


DETAIL_LABELS = {
    "passport_name": _("Full name as in the passport"),
    "nationality": _("Nationality"),
    "passport_number": _("Passport number"),
    "passport_expiry": _("Passport expiry date"),
    "date_of_birth": _("Date of birth"),
    "consulate_city": _("Consulate city"),
}


def _details_rows(details):
    return [(DETAIL_LABELS[name], details.get(name, "")) for name in visa.DETAIL_FIELDS]


def _decide(request, letter_request, action, *, reason=""):
    registration = letter_request.registration
    try:
        with transaction.atomic():
            if action == "approve":
                visa.approve(letter_request, user=request.user)
                emails.queue(registration, EmailKind.VISA_LETTER)
                text = gettext("The letter was approved and emailed to the registrant.")
            else:
                visa.decline(letter_request, user=request.user, reason=reason)
                emails.queue(registration, EmailKind.VISA_DECLINED)
                text = gettext("The request was declined; the registrant is told why by email.")
    except visa.DecisionRefused:
        messages.error(request, gettext("This request can no longer be decided that way."))
    else:
        messages.success(request, text)
    return redirect("forms_app_admin:visa_request", request_id=letter_request.pk)


def letter_pdf(request, request_id):
    """The letter, for the managers (to print or send by post)."""
    found, refused = _request_for(request, request_id)
    if refused is not None:
        return refused
    letter_request, _form_page = found
    return letter_response(letter_request.registration)


def verify_letter(request):
    """A reference looked up: valid (with the name, nationality, event and dates),
    revoked (registration cancelled), declined (withdrawn) or unknown."""
    if not can_manage_registrations(request.user):
        return forbidden(request)
    typed = (request.GET.get("reference") or "")[:MAX_REFERENCE_LENGTH]
    result = visa.verify(typed, event_info=visa_letters.event_info) if typed.strip() else None
    context = {"reference": typed, "result": result, "verdicts": visa.Verdict}
    return _never_cache(TemplateResponse(request, "forms_app/admin/visa/verify.html", context))
