"""The check-in page for door staff, made for a phone, and what it calls.

Where it lives: under the language prefix (`/ur/check-in/…`, `checkin_urls.py`), not in
the Wagtail admin. The admin has no Urdu interface and a looser Content-Security-Policy
(inline scripts); here the page is in the staff member's language with `<html lang dir>`
from the prefix (Urdu right to left, by CSS logical properties), a phone-sized layout of
its own and the site's strict CSP (our own static files only: `checkin.js`, `checkin.css`
and the vendored jsQR). Staff sign in through the admin's login page and come back here.

Who: anyone who can check in (`permissions.can_check_in`: the "Check-in staff" group,
registration managers, superusers). Door staff see names and nothing else: no answers,
no email addresses, no exports, no list of registrations beyond a search or the printed
door list (names, a checkbox and the last characters of the ticket code). Adding a
walk-in and correcting a name or address are for registration managers of the form.

A scan is a POST (with the CSRF token) answered with JSON, so the page does not reload;
without JavaScript the same forms post normally and the page is rendered with the
result. Nothing here is cached (`never_cache`)."""

import uuid
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Locale, Page

from . import checkin
from .checkin import CheckInOutcome
from .models import BadgeRole, Registration, RegistrationFormPage, RegistrationStatus
from .permissions import can_check_in, user_can_manage_form
from .services import RegistrationOutcome
from .summary import current_forms

# Isolate a time or a code inside right-to-left text (U+2066 LRI … U+2069 PDI), so that
# "09:14" is not reordered in an Urdu sentence.
LTR_ISOLATE = "\u2066{}\u2069"


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def staff_only(view):
    """Signed-in check-in staff only: others are sent to the admin's login page (a JSON
    request gets 401), a signed-in user without the permission gets 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            if wants_json(request):
                return JsonResponse({"error": gettext("Please sign in again.")}, status=401)
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        if not can_check_in(user):
            if wants_json(request):
                return JsonResponse({"error": gettext("You cannot check people in.")}, status=403)
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


class Door:
    """The form a check-in page is for (a source registration form page), its event,
    the event's days and the day chosen; read in two queries."""

    def __init__(self, request, form_id, day_value=None, *, strict=False):
        earlier = Page.objects.filter(
            translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk")
        )
        page = RegistrationFormPage.objects.filter(pk=form_id).exclude(Exists(earlier)).first()
        if page is None:
            raise Http404
        page._source_page = page
        self.form_page = page
        self.event = page.event
        self.zone = checkin.time_zone_of(self.event)
        self.days = checkin.event_days(self.event)
        self.day = checkin.parse_day(day_value, self.days) if day_value else None
        if self.day is None and day_value and strict:
            # A check-in or undo for a day the event does not have is refused, never
            # moved to another day.
            raise BadRequest("not a day of this event")
        if self.day is None:
            self.day = checkin.default_day(self.event, self.days)

    def title(self):
        """The event's (else the form's) title in the active language where translated."""
        return self._in_active_language(self.event or self.form_page)

    def form_title(self):
        """The form's title (an event may have several forms: the conference, a
        workshop), in the active language where translated; "" for a form without an
        event, whose title is the page's title already."""
        return self._in_active_language(self.form_page) if self.event is not None else ""

    @staticmethod
    def _in_active_language(page):
        locale = Locale.get_active()
        if page.locale_id != locale.pk:
            translated = page.get_translation_or_none(locale)
            if translated is not None and translated.live:
                return translated.title
        return page.title

    def local_time(self, moment):
        return timezone.localtime(moment, self.zone).strftime("%H:%M")


def describe(door, result):
    """The JSON a scan answers with: the outcome, its label and a sentence for staff,
    the person's name (not for a ticket of another form or an unknown code)."""
    outcome = result.outcome
    registration = result.registration
    at = by = ""
    if outcome == CheckInOutcome.CHECKED_IN:
        message = gettext("Checked in. Welcome!")
    elif outcome == CheckInOutcome.ALREADY_CHECKED_IN:
        at = door.local_time(result.check_in.checked_in_at)
        by = checkin.checked_in_by_name(result.check_in)
        if by:
            message = gettext("Already checked in at %(time)s by %(person)s.") % {
                "time": LTR_ISOLATE.format(at),
                "person": by,
            }
        else:
            message = gettext("Already checked in at %(time)s.") % {"time": LTR_ISOLATE.format(at)}
    elif outcome == CheckInOutcome.NOT_CONFIRMED:
        message = gettext("Not confirmed: on the waiting list. Send them to the registration desk.")
    elif outcome == CheckInOutcome.CANCELLED:
        message = gettext("Cancelled: this ticket is no longer valid.")
    elif outcome == CheckInOutcome.WRONG_EVENT:
        message = gettext("Wrong event: this ticket is for “%(event)s”.") % {
            "event": _other_form_title(registration)
        }
    else:
        message = gettext("Unknown ticket: no registration has this code.")
    show_name = registration is not None and outcome != CheckInOutcome.WRONG_EVENT
    can_undo = result.lets_in
    return {
        "outcome": outcome.value,
        "label": str(outcome.label),
        "message": message,
        "name": registration.name if show_name else "",
        "registration": registration.pk if show_name else None,
        "day": result.day.isoformat(),
        "time": at,
        "by": by,
        "can_undo": can_undo,
        "lets_in": result.lets_in,
    }


def _other_form_title(registration):
    page = Page.objects.filter(pk=registration.page_id).first()
    if page is None:
        return ""
    translated = page.get_translation_or_none(Locale.get_active())
    return (translated if translated is not None and translated.live else page).title


def _day_choices(door):
    # An <option> holds text only: the date is isolated left to right with characters,
    # so that Urdu shows 2027-01-31, not 31-01-2027.
    return [
        {
            "value": day.isoformat(),
            "label": "{} · {}".format(
                gettext("Day %(number)s") % {"number": number},
                LTR_ISOLATE.format(day.isoformat()),
            ),
            "selected": day == door.day,
        }
        for number, day in enumerate(door.days, start=1)
    ]


def _page_context(request, door, **extra):
    return {
        "door": door,
        "title": door.title(),
        "form_title": door.form_title(),
        "day_choices": _day_choices(door),
        "can_manage": user_can_manage_form(request.user, door.form_page),
        "languages": [
            (code, name, _in_language(request, code)) for code, name in settings.LANGUAGES
        ],
        **extra,
    }


def _in_language(request, code):
    """This address under another language prefix."""
    path = request.get_full_path()
    current = f"/{request.LANGUAGE_CODE}/"
    return f"/{code}/" + path[len(current) :] if path.startswith(current) else f"/{code}/"


# Views ----------------------------------------------------------------------------------


@staff_only
@require_GET
def index(request):
    """Pick the event (registration form) to check people in for."""
    forms_and_events = current_forms(limit=50)
    locale = Locale.get_active()
    keys = {page.translation_key for pair in forms_and_events for page in pair if page}
    translated = {
        page.translation_key: page.title
        for page in Page.objects.live().filter(translation_key__in=keys, locale=locale)
    }
    choices = []
    for form, event in forms_and_events:
        choices.append(
            {
                "url": reverse("checkin:scan", args=[form.pk]),
                "door_list_url": reverse("checkin:door_list", args=[form.pk]),
                "event": translated.get(event.translation_key, event.title) if event else "",
                "form": translated.get(form.translation_key, form.title),
                "days": checkin.event_days(event),
            }
        )
    return render(
        request,
        "forms_app/checkin/index.html",
        {
            "choices": choices,
            "languages": [
                (code, name, _in_language(request, code)) for code, name in settings.LANGUAGES
            ],
        },
    )


@staff_only
@require_GET
def scan_page(request, form_id):
    """The page at the door: camera, ticket code, search, the result."""
    door = Door(request, form_id, request.GET.get("day"))
    query = request.GET.get("q", "")
    people = checkin.search(door.form_page, query, door.day) if query else None
    notice = gettext("Corrected.") if request.GET.get("corrected") else None
    return render(
        request,
        "forms_app/checkin/scan.html",
        _page_context(request, door, query=query, people=_people_rows(door, people), notice=notice),
    )


def _people_rows(door, people):
    if people is None:
        return None
    labels = dict(RegistrationStatus.choices)
    return [
        {
            "id": person.id,
            "name": person.name,
            "status": person.status,
            "status_label": str(labels.get(person.status, person.status)),
            "checked_in_at": door.local_time(person.checked_in_at) if person.checked_in_at else "",
        }
        for person in people
    ]


@staff_only
@require_POST
def scan(request, form_id):
    """Check in by ticket code (`code`) or by registration (`registration`, a search
    result tapped) for `day`. JSON for the page's script, else the page with the result."""
    door = Door(request, form_id, request.POST.get("day"), strict=True)
    if request.POST.get("registration"):
        try:
            registration_id = int(request.POST["registration"])
        except ValueError:
            registration_id = 0
        result = checkin.check_in(
            door.form_page, day=door.day, user=request.user, registration_id=registration_id
        )
    else:
        result = checkin.check_in(
            door.form_page, day=door.day, user=request.user, code=request.POST.get("code", "")
        )
    answer = describe(door, result)
    if wants_json(request):
        return JsonResponse(answer)
    return render(
        request, "forms_app/checkin/scan.html", _page_context(request, door, result=answer)
    )


@staff_only
@require_POST
def undo(request, form_id):
    """Undo a mistaken check-in (logged)."""
    door = Door(request, form_id, request.POST.get("day"), strict=True)
    try:
        registration_id = int(request.POST.get("registration", ""))
    except ValueError:
        registration_id = 0
    undone = checkin.undo(
        door.form_page, registration_id=registration_id, day=door.day, user=request.user
    )
    message = gettext("Check-in undone.") if undone else gettext("There was no check-in to undo.")
    if wants_json(request):
        return JsonResponse({"undone": undone, "message": message})
    return render(
        request,
        "forms_app/checkin/scan.html",
        _page_context(request, door, notice=message),
    )


@staff_only
@require_GET
def search(request, form_id):
    """Registrations whose name or email address matches `q`: names only."""
    door = Door(request, form_id, request.GET.get("day"))
    people = checkin.search(door.form_page, request.GET.get("q", ""), door.day)
    return JsonResponse({"people": _people_rows(door, people)})


@staff_only
@require_GET
def door_list(request, form_id):
    """The printable door list of a day: the offline fallback."""
    door = Door(request, form_id, request.GET.get("day"))
    people = checkin.door_list(door.form_page, door.day)
    return render(
        request,
        "forms_app/checkin/door_list.html",
        _page_context(
            request,
            door,
            people=people,
            door_day=LTR_ISOLATE.format(door.day.isoformat()),
            printed_at=LTR_ISOLATE.format(
                timezone.localtime(timezone.now(), door.zone).strftime("%Y-%m-%d %H:%M")
            ),
        ),
    )


# Registrars: walk-ins and corrections ---------------------------------------------------


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    language = forms.ChoiceField(label=_("Language of their emails"), choices=settings.LANGUAGES)
    consent = forms.BooleanField(
        label=_("They agree that their data is used to organise the event (privacy notice)."),
    )
    check_in_now = forms.BooleanField(label=_("Check them in now"), required=False, initial=True)
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class CorrectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    # Optional: left out, the role stays as it is.
    role = forms.ChoiceField(
        label=_("Role on the badge"), choices=BadgeRole.choices, required=False
    )
    resend = forms.BooleanField(
        label=_("Send the registration details and ticket to the corrected address"),
        required=False,
        initial=True,
    )


def _registrar_door(request, form_id, day_value):
    door = Door(request, form_id, day_value)
    if not user_can_manage_form(request.user, door.form_page):
        raise PermissionDenied
    return door


@staff_only
@require_http_methods(["GET", "POST"])
def walk_in(request, form_id):
    """A registrar adds someone at the door: counted against the capacity, emailed."""
    door = _registrar_door(request, form_id, request.GET.get("day") or request.POST.get("day"))
    answer = notice = None
    if request.method == "POST":
        form = WalkInForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            outcome, scan_result = checkin.add_walk_in(
                door.form_page,
                name=data["name"],
                email=data["email"],
                language=data["language"],
                submission_token=data["submission_token"],
                user=request.user,
                check_in_day=door.day if data["check_in_now"] else None,
            )
            notice = _walk_in_notice(outcome)
            if scan_result is not None:
                answer = describe(door, scan_result)
            if outcome.result != RegistrationOutcome.NO_PLACE_LEFT:
                form = _new_walk_in_form(request)
    else:
        form = _new_walk_in_form(request)
    return render(
        request,
        "forms_app/checkin/walk_in.html",
        _page_context(request, door, form=form, notice=notice, result=answer),
    )


def _new_walk_in_form(request):
    return WalkInForm(initial={"language": request.LANGUAGE_CODE, "submission_token": uuid.uuid4()})


def _walk_in_notice(outcome):
    if outcome.result == RegistrationOutcome.NO_PLACE_LEFT:
        return gettext("No place left: every place is taken. Nothing was recorded.")
    if outcome.result == RegistrationOutcome.REGISTERED:
        return gettext("Registered %(name)s; their confirmation and ticket are on the way.") % {
            "name": outcome.registration.name
        }
    if outcome.registration.status == RegistrationStatus.CONFIRMED:
        return gettext("%(name)s was already registered; their details were sent again.") % {
            "name": outcome.registration.name
        }
    return gettext("%(name)s already has a registration that is not confirmed (waiting list).") % {
        "name": outcome.registration.name
    }


@staff_only
@require_http_methods(["GET", "POST"])
def correct(request, form_id, registration_id):
    """A registrar corrects a registrant's name or email address (logged, ids only)."""
    door = _registrar_door(request, form_id, request.GET.get("day") or request.POST.get("day"))
    registration = get_object_or_404(
        Registration.objects.select_related("page"), pk=registration_id, page_id=door.form_page.pk
    )
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                checkin.correct(
                    registration,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    user=request.user,
                    resend=form.cleaned_data["resend"],
                )
            except checkin.AddressInUse:
                form.add_error(
                    "email", gettext("Another registration for this form has this address.")
                )
            else:
                url = reverse("checkin:scan", args=[door.form_page.pk])
                return redirect(f"{url}?day={door.day.isoformat()}&corrected={registration.pk}")
    else:
        form = CorrectionForm(
            initial={
                "name": registration.name,
                "email": registration.email,
                "role": registration.role,
                "resend": True,
            }
        )
    return render(
        request,
        "forms_app/checkin/correct.html",
        _page_context(request, door, form=form, registration=registration),
    )
