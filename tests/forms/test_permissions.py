"""Registration data (PII) is for superusers and registration managers only: an editor
who can edit the form page is refused every registrations view and action; a registrar
with no page permission reaches them all."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from forms_app.models import OutgoingEmail, Registration, RegistrationStatus
from forms_app.permissions import can_manage_registrations
from tests.helpers import GROUP_NAME, list_url, make_user, register

# Fixtures: registrar, editor, registrar_client, editor_client.
pytestmark = pytest.mark.django_db

# The sidebar menu is rendered as JSON props.
FORMS_MENU_ITEM = '"name": "forms", "label": "Forms"'


def group_permissions():
    group = Group.objects.get(name=GROUP_NAME)
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all())


# What the migrations give the group: registration data, the admin, and (0008) the visa
# letterhead setting. No page permission.
GROUP_PERMISSIONS = [
    "forms_app.change_visaletterhead",
    "forms_app.manage_registrations",
    "wagtailadmin.access_admin",
]


def test_the_migrations_create_the_group_with_exactly_its_permissions():
    assert group_permissions() == GROUP_PERMISSIONS


def test_the_group_migration_is_idempotent():
    migration = importlib.import_module("forms_app.migrations.0002_registration_managers_group")
    migration.create_group(apps, None)
    migration.create_group(apps, None)
    assert Group.objects.filter(name=GROUP_NAME).count() == 1
    assert Permission.objects.filter(codename="manage_registrations").count() == 1
    assert Permission.objects.filter(codename="access_admin").count() == 1
    assert group_permissions() == GROUP_PERMISSIONS


def test_who_counts_as_a_registration_manager(registrar, editor):
    superuser = make_user("root", is_superuser=True)
    inactive = make_user("gone", GROUP_NAME, is_active=False)
    assert can_manage_registrations(registrar)
    assert can_manage_registrations(superuser)
    assert not can_manage_registrations(editor)
    assert not can_manage_registrations(inactive)


def denied_requests(form_page, translation, registration):
    """Every registrations view and action, as (method, url, data)."""
    delete = reverse("wagtailforms:delete_submissions", args=[form_page.pk])
    selected = {"selected-submissions": [registration.pk]}
    cancel = reverse("forms_app_admin:cancel_registration", args=[registration.pk])
    resend = reverse("forms_app_admin:resend_registration_email", args=[registration.pk])
    return [
        ("get", list_url(form_page), {}),
        ("get", list_url(translation), {}),
        ("get", reverse("wagtailforms:list_submissions_results", args=[form_page.pk]), {}),
        ("get", list_url(form_page), {"export": "csv"}),
        ("get", list_url(form_page), {"export": "xlsx"}),
        ("get", delete, selected),
        ("post", f"{delete}?selected-submissions={registration.pk}", {}),
        ("get", cancel, {}),
        ("post", cancel, {}),
        ("post", resend, {}),
    ]


def test_an_editor_of_the_form_page_is_refused_every_registrations_view(
    editor_client, editor, form_in, django_capture_on_commit_callbacks, mailoutbox
):
    form_page = form_in("en")
    registration = register(form_in("tr"), "Ayşe Yılmaz", "ayse@example.org")
    # The premise: this editor can edit the form page, which in plain Wagtail is enough
    # to see, export and delete its submissions.
    assert editor_client.get(f"/admin/pages/{form_page.pk}/edit/").status_code == 200
    editable = page_permission_policy.instances_user_has_permission_for(editor, "change")
    assert editable.filter(pk=form_page.pk).exists()

    for method, url, data in denied_requests(form_page, form_in("tr"), registration):
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(editor_client, method)(url, data)
        assert response.status_code == 403, (method, url, data, response.status_code)
        assert b"ayse@example.org" not in response.content, (method, url)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert Registration.objects.count() == 1
    assert not OutgoingEmail.objects.filter(kind__in=["cancelled", "details_again"]).exists()
    assert mailoutbox == []


def test_an_editor_does_not_see_the_form_in_the_forms_section(editor_client, form_page):
    dashboard = editor_client.get("/admin/").content.decode()
    assert FORMS_MENU_ITEM not in dashboard
    response = editor_client.get("/admin/forms/")
    assert list_url(form_page) not in response.content.decode()


def test_a_registrar_without_page_permissions_reaches_the_forms_section(
    registrar_client, registrar, form_in
):
    form_page = form_in("en")
    assert not Page.objects.filter(group_permissions__group__user=registrar).exists()
    dashboard = registrar_client.get("/admin/")
    assert dashboard.status_code == 200
    assert FORMS_MENU_ITEM in dashboard.content.decode()

    index = registrar_client.get("/admin/forms/")
    assert index.status_code == 200
    html = index.content.decode()
    # Listed once: the source page, not its Turkish and Urdu translations.
    assert html.count(f'href="{list_url(form_page)}"') == 1
    assert list_url(form_in("tr")) not in html
    assert list_url(form_in("ur")) not in html
    results = registrar_client.get("/admin/forms/results/")
    assert results.status_code == 200
    assert results.content.decode().count(f'href="{list_url(form_page)}"') == 1


def test_a_registrar_reaches_every_registrations_view(registrar_client, form_in):
    form_page = form_in("en")
    registration = register(form_in("ur"), "Bilal Ahmed", "bilal@example.org")
    assert registrar_client.get(list_url(form_page)).status_code == 200
    for export in ("csv", "xlsx"):
        response = registrar_client.get(list_url(form_page), {"export": export})
        assert response.status_code == 200
    delete = reverse("wagtailforms:delete_submissions", args=[form_page.pk])
    response = registrar_client.get(delete, {"selected-submissions": registration.pk})
    assert response.status_code == 200
    cancel = reverse("forms_app_admin:cancel_registration", args=[registration.pk])
    assert registrar_client.get(cancel).status_code == 200


def test_a_superuser_sees_registrations(client, form_in):
    client.force_login(make_user("root", is_superuser=True))
    register(form_in("tr"), "Ayşe Yılmaz", "ayse@example.org")
    response = client.get(list_url(form_in("en")))
    assert response.status_code == 200
    assert "ayse@example.org" in response.content.decode()


def test_the_permission_without_admin_access_is_not_enough(client, form_page):
    user = make_user("outsider")
    user.user_permissions.add(Permission.objects.get(codename="manage_registrations"))
    client.force_login(user)
    response = client.get(list_url(form_page))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_edit_page_counts_registrations_only_for_managers(client, form_page, form_in):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from forms_app import services
    from forms_app.permissions import GROUP_NAME

    for n, language in enumerate(["en", "tr"]):
        services.register(
            form_in(language),
            name=f"P{n}",
            email=f"p{n}@example.org",
            answers={},
            language=language,
            submission_token=None,
        )
    User = get_user_model()
    editor = User.objects.create_user("panel-editor", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    registrar = User.objects.create_user("panel-registrar", password="x")
    registrar.groups.add(Group.objects.get(name=GROUP_NAME), Group.objects.get(name="Editors"))
    # The source page's editor (translations open in wagtail-localize's editor).
    url = f"/admin/pages/{form_page.pk}/edit/"
    counted = re.compile(r'Total submissions</span> <a href="[^"]+">2</a>')

    client.force_login(editor)
    assert not counted.search(" ".join(client.get(url).content.decode().split()))
    client.force_login(registrar)
    assert counted.search(" ".join(client.get(url).content.decode().split()))
