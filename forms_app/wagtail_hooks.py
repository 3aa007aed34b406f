"""The registrations admin, wired into Wagtail: who sees registration data
(`filter_form_submissions_for_user`), the Forms index and "delete submissions" at Wagtail's
own URLs but with our views, the per-registration actions, the dashboard summary and the
admin stylesheet. See admin_views.py and permissions.py for the reasons."""

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.models import Page

from . import (
    admin_views,
    audit,
    certificate_views,
    email_settings,
    message_views,
    permissions,
    publishing,
    visa,
    visa_views,
)
from .models import FeedbackFormPage, RegistrationFormPage
from .summary import CheckInDashboardPanel, RegistrationsDashboardPanel, staff_url


@hooks.register("filter_form_submissions_for_user")
def filter_form_submissions_for_user(user, editable_forms):
    """Registration managers see every registration form once (its source page, which
    keeps the registrations), everyone else none; other form pages keep Wagtail's rule.
    See permissions.py."""
    other_forms = editable_forms.not_type(RegistrationFormPage, FeedbackFormPage)
    if not permissions.can_manage_registrations(user):
        return other_forms
    # Feedback responses belong to registrations: the same people see them.
    return Page.objects.filter(
        Q(pk__in=other_forms.values("pk"))
        | Q(pk__in=RegistrationFormPage.source_pages().values("pk"))
        | Q(pk__in=source_surveys().values("pk"))
    )


def source_surveys():
    """The feedback survey pages that are the original of their translations."""
    earlier = Page.objects.filter(
        translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk")
    )
    return Page.objects.type(FeedbackFormPage).exclude(Exists(earlier))


# Served before wagtail.contrib.forms' URLs (order=-1, and forms_app precedes it in
# INSTALLED_APPS), so the first three paths answer Wagtail's own `wagtailforms:index`,
# `wagtailforms:index_results` and `wagtailforms:delete_submissions` addresses.
@hooks.register("register_admin_urls", order=-1)
def register_admin_urls():
    actions = [
        path(
            "<int:registration_id>/cancel/",
            admin_views.CancelRegistrationView.as_view(),
            name="cancel_registration",
        ),
        path(
            "<int:registration_id>/resend/",
            admin_views.ResendRegistrationEmailView.as_view(),
            name="resend_registration_email",
        ),
        path(
            "<int:registration_id>/badge.pdf",
            admin_views.RegistrationBadgeView.as_view(),
            name="registration_badge",
        ),
        path(
            "certificates/verify/",
            certificate_views.verify_certificate,
            name="verify_certificate",
        ),
        # Visa invitation letters (visa_views.py).
        path("visa-letters/", visa_views.index, name="visa_index"),
        path("visa-letters/verify/", visa_views.verify_letter, name="verify_visa_letter"),
        path("visa-letters/forms/<int:page_id>/", visa_views.requests_list, name="visa_requests"),
        path("visa-letters/<int:request_id>/", visa_views.detail, name="visa_request"),
        path(
            "visa-letters/<int:request_id>/letter.pdf",
            visa_views.letter_pdf,
            name="visa_letter_pdf",
        ),
        path(
            "forms/<int:page_id>/emails/",
            email_settings.RegistrationEmailSettingsView.as_view(),
            name="email_settings",
        ),
        # Messages to registrants (message_views.py).
        path(
            "forms/<int:page_id>/messages/",
            message_views.MessageListView.as_view(),
            name="messages",
        ),
        path(
            "forms/<int:page_id>/messages/new/",
            message_views.MessageWriteView.as_view(),
            name="write_message",
        ),
        path(
            "forms/<int:page_id>/messages/<int:message_id>/",
            message_views.MessageDetailView.as_view(),
            name="message",
        ),
        path(
            "forms/<int:page_id>/messages/<int:message_id>/send/",
            message_views.MessageSendView.as_view(),
            name="send_message",
        ),
    ]
    return [
        path(
            "forms/",
            admin_views.RegistrationFormsIndexView.as_view(),
            name="forms_app_forms_index",
        ),
        path(
            "forms/results/",
            admin_views.RegistrationFormsIndexView.as_view(results_only=True),
            name="forms_app_forms_index_results",
        ),
        path(
            "forms/submissions/<int:page_id>/delete/",
            admin_views.RegistrationsDeleteView.as_view(),
            name="forms_app_delete_registrations",
        ),
        path("registrations/", include((actions, "forms_app_admin"))),
    ]


@hooks.register("register_log_actions")
def register_registration_log_actions(actions):
    # Labels and messages of the registrations audit trail (Reports > Site history).
    audit.register_actions(actions)
    visa.register_actions(actions)


# A page whose subtree holds registrations is refused with a message, not a server error
# (Registration.page is PROTECT). See publishing.py.
@hooks.register("before_delete_page")
def refuse_deleting_registrations(request, page):
    return publishing.refuse_page_deletion(request, page)


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_registrations(request, action_type, objects, action_class_instance):
    return publishing.refuse_bulk_deletion(request, action_type, objects, action_class_instance)


@hooks.register("register_permissions")
def register_permissions():
    # Lets administrators give "Can see and manage registrations" to other groups.
    return Permission.objects.filter(
        content_type__app_label="forms_app",
        codename__in=["manage_registrations", "check_in_registrations"],
    )


@hooks.register("construct_homepage_panels")
def add_registrations_summary(request, panels):
    if permissions.can_manage_registrations(request.user):
        panels.append(RegistrationsDashboardPanel())
    elif permissions.can_check_in(request.user):
        # Door staff: today's check-in counts and the way to the check-in page.
        panels.append(CheckInDashboardPanel())


@hooks.register("register_admin_menu_item")
def register_check_in_menu_item():
    # The check-in page is outside the admin, in the staff member's language.
    return CheckInMenuItem(_("Check-in"), "", icon_name="circle-check", order=250)


@hooks.register("register_admin_menu_item")
def register_verify_certificate_menu_item():
    # Registration managers look up a certificate of attendance's reference here.
    return RegistrationManagersMenuItem(
        _("Verify a certificate"),
        reverse("forms_app_admin:verify_certificate"),
        icon_name="doc-full",
        order=260,
    )


@hooks.register("register_admin_menu_item")
def register_visa_letters_menu_item():
    # Registration managers decide on visa letter requests and verify letters here.
    return RegistrationManagersMenuItem(
        _("Visa letters"),
        reverse("forms_app_admin:visa_index"),
        icon_name="doc-full",
        order=261,
    )


class RegistrationManagersMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_manage_registrations(request.user)


class CheckInMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_check_in(request.user)

    def render_component(self, request):
        # The address in the language the admin speaks to this user now (menu items are
        # shared by every request: the instance is not changed).
        return LinkMenuItemComponent(
            self.name, self.label, staff_url("checkin:index"), icon_name=self.icon_name
        )


@hooks.register("insert_global_admin_css")
def registrations_admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("forms_app/admin/registrations.css")
    )
