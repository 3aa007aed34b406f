"""The registrations admin: the Forms index, a form's registrations (list, filters,
search, exports, summary), deleting registrations, and the per-registration actions
"Cancel" and "Resend email". Exports, cancellations, resends and deletions are written to
Wagtail's audit log (`forms_app.audit`: ids, counts and filters, no personal data);
deleting goes through the same path as the `forget_person` command (`privacy.erase`).

Access (see permissions.py): only superusers and registration managers see any of it.
Wagtail's own checks go through `get_forms_for_user()`, which our
`filter_form_submissions_for_user` hook narrows; every view here checks again with
`user_can_manage_form()` and answers 403 (a page, not Wagtail's redirect to the
dashboard) to anyone else, editors of the form page included.

`RegistrationsListView` is the form page's `submissions_list_view_class`, plugged in by
`FormsAppConfig.ready()`: these views act through the services, which use the models, so
the models do not import them.

Why the Forms index is replaced rather than a second menu item added: Wagtail's
`FormPagesListView` lets in only users with some page permission
(`any_permission_required` on the page policy), which registration managers need not
have, while its listing, the Forms menu item and the submissions views already follow
`get_forms_for_user()`. A subclass that also admits managers, served at the same admin
URLs (registered by our `register_admin_urls` hook ahead of wagtail.contrib.forms'), keeps
one "Forms" section, Wagtail's URL names (`wagtailforms:index` still reverses to it) and
everything else Wagtail provides, with no duplicate menu.
"""

from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.generic import TemplateView, View
from django_filters import ChoiceFilter, DateFromToRangeFilter
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.contrib.forms.views import (
    DeleteSubmissionsView,
    FormPagesListView,
    SubmissionsListView,
)
from wagtail.models import Page

from . import audit, badges, emails, privacy, services
from .answers import answer_text
from .exports import RegistrationExportMixin
from .models import (
    ACTIVE_STATUSES,
    EmailKind,
    Registration,
    RegistrationFormPage,
    RegistrationStatus,
)
from .permissions import (
    can_manage_registrations,
    forbidden,
    user_can_manage_form,
)
from .summary import event_time_zone, summarise


def is_registration_form(page):
    return isinstance(page, RegistrationFormPage)


class RegistrationFormsIndexView(FormPagesListView):
    """Wagtail's Forms index, also open to registration managers without page
    permissions. What it lists is `get_forms_for_user()`, i.e. for managers each
    registration form once (its source-language page), for editors none."""

    def user_has_any_permission(self, permissions):
        return can_manage_registrations(self.request.user) or super().user_has_any_permission(
            permissions
        )


class RegistrationFilterSet(WagtailFilterSet):
    status = ChoiceFilter(label=gettext_lazy("Status"), choices=RegistrationStatus.choices)
    language = ChoiceFilter(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    date = DateFromToRangeFilter(
        label=gettext_lazy("Registration date"),
        field_name="submit_time",
        widget=DateRangePickerWidget,
    )


class EventTimeZoneMixin:
    """Run the view, and render its response, in the event's time zone: dates typed in
    the date filter and times shown are the event's local times."""

    def in_time_zone(self, call):
        with timezone.override(self.time_zone):
            response = call()
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                render = response.render

                def render_in_zone():
                    with timezone.override(self.time_zone):
                        return render()

                response.render = render_in_zone
            return response


class RegistrationsListView(EventTimeZoneMixin, RegistrationExportMixin, SubmissionsListView):
    """The registrations of one form, from every language version: summary, filters by
    status, language and date, search by name or email, per-row actions, CSV and XLSX."""

    template_name = "forms_app/admin/registrations_index.html"
    results_template_name = "forms_app/admin/registrations_results.html"
    filterset_class = RegistrationFilterSet
    is_searchable = True
    search_fields = ["name", "email"]
    paginate_by = 50
    page_title = gettext_lazy("Registrations")
    orderable_fields = ("id", "submit_time", "name", "email", "status", "language")
    ordering_csv = ("submit_time", "id")

    def dispatch(self, request, *args, **kwargs):
        form_page = kwargs["form_page"]
        source = form_page.source_page()
        if not user_can_manage_form(request.user, source):
            return forbidden(request)
        if source.pk != form_page.pk:
            # A translation's registrations are its source page's: show them there.
            query = request.GET.urlencode()
            url = reverse(self.index_url_name, args=[source.pk])
            return redirect(f"{url}?{query}" if query else url)
        self.form_page = source
        self.event = source.event
        self.time_zone = event_time_zone(self.event)
        if self.is_export:
            self.prepare_export()
        # Skip SubmissionsListView.dispatch (its check is done above, and it would
        # reset the export columns) but keep the rest of the chain.
        return self.in_time_zone(
            lambda: super(SubmissionsListView, self).dispatch(request, *args, **kwargs)
        )

    def get(self, request, *args, **kwargs):
        if self.badge_format:
            return self.badges_response()
        if self.is_export:
            # Straight to the file: the listing's context would load every row (`len()`
            # of the unpaginated queryset) before the export streams them.
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        return self.form_page.get_submissions()

    @cached_property
    def badge_format(self):
        """`?badges=a6` or `?badges=a4`: the listed registrations' badges as a PDF."""
        value = self.request.GET.get("badges")
        return value if value in badges.FORMATS else None

    def badges_response(self):
        """The badges of the confirmed registrations the list shows (its filters and
        search), one file, logged in the audit trail like an export."""
        count = badges.with_badges(self.get_queryset()).count()
        if count > badges.MAX_PER_FILE:
            messages.warning(
                self.request,
                gettext(
                    "%(count)s badges are too many for one file (at most %(max)s): narrow "
                    "the list with the filters, for example by language or registration date."
                )
                % {"count": count, "max": badges.MAX_PER_FILE},
            )
            return redirect(self.badges_back_url())
        registrations = badges.for_list(self.get_queryset())
        if not registrations:
            messages.warning(self.request, gettext("No confirmed registration is listed."))
            return redirect(self.badges_back_url())
        data = badges.render(registrations, self.form_page, self.badge_format)
        filters, searched = self.export_filters()
        audit.record(
            self.form_page,
            audit.BADGES,
            user=self.request.user,
            format=self.badge_format,
            count=len(registrations),
            filters=filters,
            searched=searched,
        )
        return pdf_download(data, badges.filename(self.form_page, self.badge_format))

    def badges_back_url(self):
        query = self.request.GET.copy()
        query.pop("badges", None)
        return f"{self.get_index_url()}?{query.urlencode()}"

    def badge_urls(self):
        """The list's badge downloads, with its current filters and search."""
        urls = {}
        for badge_format, label in badges.FORMATS.items():
            query = self.request.GET.copy()
            for name in ("badges", "export", self.page_kwarg):
                query.pop(name, None)
            query["badges"] = badge_format
            urls[badge_format] = (label, f"{self.get_index_url()}?{query.urlencode()}")
        return urls

    def export_filters(self):
        """For the audit log: the filter values of this export (as text), and whether a
        search narrowed it (the search text itself may be a name or an address)."""
        filters = {}
        if self.filters is not None and self.filters.is_valid():
            for name, value in self.filters.form.cleaned_data.items():
                if isinstance(value, slice):
                    value = " – ".join(
                        bound.isoformat() if bound else "…" for bound in (value.start, value.stop)
                    )
                    if value == "… – …":
                        continue
                if value not in (None, "", [], ()):
                    filters[name] = str(value)
        return filters, bool(self.is_searching)

    def get_ordering(self):
        # Ties (registrations in the same microsecond, equal names…) broken by id in the
        # same direction, so that pages never overlap or skip a row. The default order,
        # newest first, is read backwards along the `registration_list_order` index
        # (page, submit_time; migration 0003) instead of sorting every registration.
        ordering = super().get_ordering()
        if ordering and not any(field.lstrip("-") == "id" for field in ordering):
            ordering.append("-id" if ordering[0].startswith("-") else "id")
        return ordering

    def get_page_subtitle(self):
        return self.form_page.get_admin_display_title()

    @cached_property
    def summary(self):
        return summarise(self.form_page, event=self.event, time_zone=self.time_zone)

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        if not (self.results_only or self.is_filtering or self.is_searching):
            # The unfiltered list is every registration, which the summary shown above it
            # has just counted: no second COUNT(*) over the form's registrations.
            paginator.count = self.summary.count
        return paginator

    def get_context_data(self, **kwargs):
        # Not SubmissionsListView's: it would build its own rows from every submission.
        context = super(SubmissionsListView, self).get_context_data(**kwargs)
        data_fields = self.form_page.get_data_fields()
        ordering = self.get_validated_ordering()
        headings = []
        for name, label in data_fields:
            order = order_url = None
            if name in self.orderable_fields:
                order = ordering.get(name, (None, "orderable"))[1]
                query = self.request.GET.copy()
                query.pop(self.page_kwarg, None)
                query["order_by"] = f"-{name}" if order == "ascending" else name
                order_url = f"{self.index_url}?{query.urlencode()}"
            headings.append({"name": name, "label": label, "order": order, "url": order_url})
        next_url = f"{self.get_index_url()}?{self.request.GET.urlencode()}"
        context.update(
            {
                "form_page": self.form_page,
                "event": self.event,
                "time_zone": self.time_zone,
                "data_headings": headings,
                "data_rows": self.get_rows(context["submissions"], data_fields, next_url),
                "statuses": RegistrationStatus,
                "next_url": next_url,
                "badge_urls": self.badge_urls(),
            }
        )
        if not self.results_only:
            # The results fragment (refreshed as filters change) shows no summary.
            context["summary"] = self.summary
        return context

    def get_rows(self, registrations, data_fields, next_url):
        """The page's rows, each cell ready to print: the template does no URL reversing,
        translating or date formatting per row. Every cell has the same keys (`kind`,
        `value`, `attr`), as a lookup of a missing key is slow in Django templates."""
        languages = dict(settings.LANGUAGES)
        status_labels = dict(RegistrationStatus.choices)
        yes = gettext("Yes")
        select_label = gettext("Select %(name)s")
        # The action URLs of two registrations differ only by the id in them.
        placeholder = str(2**31 - 1)
        cancel_url = reverse("forms_app_admin:cancel_registration", args=[placeholder])
        resend_url = reverse("forms_app_admin:resend_registration_email", args=[placeholder])
        badge_url = reverse("forms_app_admin:registration_badge", args=[placeholder])
        cancel_query = "?next=" + quote(next_url, safe="/")  # as the `urlencode` filter
        rows = []
        for registration in registrations:
            pk = str(registration.pk)
            status_label = status_labels.get(registration.status, registration.status)
            # Answers are under namespaced keys: a question labelled "Status" or
            # "Language" is a column of its own, not one of the built-in ones below.
            data = registration.get_data(status_label=status_label)
            cells = []
            for name, _label in data_fields:
                value = data.get(name)
                kind, attr = "text", ""
                if name == "submit_time":
                    value = timezone.localtime(value, self.time_zone)
                    kind, attr = "time", value.isoformat()
                    value = value.strftime("%Y-%m-%d %H:%M")
                elif name == "status":
                    kind, attr, value = "status", registration.status, status_label
                elif name == "language":
                    kind, attr = "language", registration.language
                    value = languages.get(value, value)
                else:
                    value = answer_text(value, yes=yes)
                cells.append({"kind": kind, "value": value, "attr": attr})
            rows.append(
                {
                    "id": pk,
                    "name": registration.name,
                    "status": registration.status,
                    "select_label": select_label % {"name": registration.name},
                    "is_active": registration.status in ACTIVE_STATUSES,
                    "cancel_url": cancel_url.replace(placeholder, pk) + cancel_query,
                    "resend_url": resend_url.replace(placeholder, pk),
                    "badge_url": (
                        badge_url.replace(placeholder, pk) if badges.has_badge(registration) else ""
                    ),
                    "cells": cells,
                }
            )
        return rows


class RegistrationsDeleteView(DeleteSubmissionsView):
    """Wagtail's "delete submissions", for registrations: managers only, and through the
    same path as the `forget_person` command (`privacy.erase`): a deleted confirmed
    registration gives its place to the waiting list, as a cancellation does (the deleted
    person is not emailed, the promoted one is), and the deletion is audit-logged."""

    template_name = "forms_app/admin/confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        page = get_object_or_404(Page, id=kwargs.get("page_id")).specific
        if is_registration_form(page) and not user_can_manage_form(request.user, page):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def handle_delete(self, submissions):
        if not is_registration_form(self.page):
            return super().handle_delete(submissions)
        count = privacy.erase(submissions, action=audit.DELETED, user=self.request.user)
        messages.success(
            self.request,
            ngettext(
                "One registration has been deleted.",
                "%(count)d registrations have been deleted.",
                count,
            )
            % {"count": count},
        )


class RegistrationActionView(View):
    """Base of the per-registration actions: managers of the registration's form only."""

    def dispatch(self, request, *args, registration_id, **kwargs):
        if not can_manage_registrations(request.user):
            return forbidden(request)
        self.registration = get_object_or_404(
            Registration.objects.select_related("page"), pk=registration_id
        )
        self.form_page = self.registration.page.specific
        if not user_can_manage_form(request.user, self.form_page):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(
            "wagtailforms:list_submissions", args=[self.form_page.pk]
        )


class CancelRegistrationView(RegistrationActionView, TemplateView):
    """GET: confirm; POST: cancel, which promotes the earliest waitlisted registrant."""

    template_name = "forms_app/admin/confirm_cancel.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "registration": self.registration,
                "form_page": self.form_page,
                "next_url": self.get_success_url(),
                "is_confirmed": self.registration.status == RegistrationStatus.CONFIRMED,
            }
        )
        return context

    def get(self, request, *args, **kwargs):
        if not self.registration.is_active:
            messages.warning(request, gettext("This registration is already cancelled."))
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.registration.is_active:
            messages.warning(request, gettext("This registration is already cancelled."))
            return redirect(self.get_success_url())
        with transaction.atomic():
            promoted = services.cancel(self.registration)
            audit.record(
                self.form_page,
                audit.CANCELLED,
                user=request.user,
                registration=self.registration.pk,
                promoted=promoted.pk if promoted is not None else None,
            )
        messages.success(
            request,
            gettext("The registration of %(name)s is cancelled; they have been emailed.")
            % {"name": self.registration.name},
        )
        if promoted is not None:
            messages.success(
                request,
                gettext("%(name)s has been given the place from the waiting list and emailed.")
                % {"name": promoted.name},
            )
        return redirect(self.get_success_url())


class RegistrationBadgeView(RegistrationActionView):
    """GET: a confirmed registration's badge as a PDF (`?format=a4`: on a label sheet)."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        if not badges.has_badge(self.registration):
            messages.warning(request, gettext("Only a confirmed registration has a badge."))
            return redirect(self.get_success_url())
        badge_format = request.GET.get("format", badges.A6)
        if badge_format not in badges.FORMATS:
            badge_format = badges.A6
        data = badges.render_one(self.registration, badge_format)
        return pdf_download(
            data, badges.filename(self.form_page, badge_format, registration=self.registration)
        )


def pdf_download(data, filename):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


class ResendRegistrationEmailView(RegistrationActionView):
    """POST: send the registrant their registration details and manage link again."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not self.registration.is_active:
            messages.warning(
                request, gettext("This registration is cancelled; no email has been sent.")
            )
            return redirect(self.get_success_url())
        with transaction.atomic():
            emails.queue(self.registration, EmailKind.DETAILS_AGAIN)
            audit.record(
                self.form_page, audit.RESENT, user=request.user, registration=self.registration.pk
            )
        messages.success(
            request,
            gettext("The registration details are being sent to %(email)s again.")
            % {"email": self.registration.email},
        )
        return redirect(self.get_success_url())
