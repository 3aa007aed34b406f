"""Who may see registrations: superusers and holders of `forms_app.manage_registrations`
(the "Registration managers" group), never merely whoever can edit the form page.

Wagtail decides access to form submissions with `get_forms_for_user(user)`: the form pages
the user may *edit*, passed through the `filter_form_submissions_for_user` hooks. Our hook
(in wagtail_hooks.py) replaces the registration forms in that queryset:

- managers get every registration form page whose registrations live on it, i.e. the
  source-language page of each form (its translations hold none, so listing them would
  show the same form three times), whether or not they have any page permission;
- everyone else gets no registration form at all, even a page they can edit.

Other form page types, should the project ever have any, keep Wagtail's rule.

The rules here are about users and need no model: the page model's registrations panel
(panels.py) asks them too."""

from django.template.response import TemplateResponse
from wagtail.contrib.forms.utils import get_forms_for_user

MANAGE_PERMISSION = "forms_app.manage_registrations"
GROUP_NAME = "Registration managers"
# Door staff: check people in and see their names, nothing else of the registrations.
CHECK_IN_PERMISSION = "forms_app.check_in_registrations"
CHECK_IN_GROUP_NAME = "Check-in staff"


def can_manage_registrations(user):
    """True for active superusers and users holding `forms_app.manage_registrations`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(MANAGE_PERMISSION)


def can_check_in(user):
    """True for active superusers, registration managers and holders of
    `forms_app.check_in_registrations` (the "Check-in staff" group)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser or user.has_perm(CHECK_IN_PERMISSION) or user.has_perm(MANAGE_PERMISSION)
    )


def user_can_manage_form(user, form_page):
    """Whether `user` may see and act on the registrations kept on `form_page` (a source
    registration form page)."""
    return (
        can_manage_registrations(user) and get_forms_for_user(user).filter(pk=form_page.pk).exists()
    )


def forbidden(request):
    """A 403 page inside the admin. Raising PermissionDenied in an admin view would be
    turned into a redirect to the dashboard by Wagtail's `require_admin_access`."""
    return TemplateResponse(request, "forms_app/admin/forbidden.html", status=403)
