"""The demo registration manager: `registrar` / `changeme`, in the "Registration managers"
group and nothing else, so the demo shows what someone who follows registrations (and
does not edit pages) sees in the admin; and the demo door staff: `door` / `changeme`, in
the "Check-in staff" group and nothing else (checks people in, sees their names). Called
by the forms_app demo loader."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from .permissions import CHECK_IN_GROUP_NAME, GROUP_NAME

DEMO_USERNAME = "registrar"
DEMO_PASSWORD = "changeme"
DOOR_USERNAME = "door"


def registration_managers_group():
    """The group made by migration 0002, (re)created if someone deleted it."""
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="forms_app", codename="manage_registrations"
        ),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    return group


def ensure_registrar(out):
    """Create the demo registrar if missing; idempotent (an existing user keeps its
    password, and is only put back into the group)."""
    group = registration_managers_group()
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={
            "email": "registrar@example.org",
            "first_name": "Demo",
            "last_name": "Registrar",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        out(f"  created user {DEMO_USERNAME} ({GROUP_NAME} group)")
    user.groups.add(group)
    return user


def check_in_staff_group():
    """The group made by migration 0006, (re)created if someone deleted it."""
    group, _ = Group.objects.get_or_create(name=CHECK_IN_GROUP_NAME)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="forms_app", codename="check_in_registrations"
        ),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    return group


def ensure_door(out):
    """Create the demo door staff user if missing; idempotent, like `ensure_registrar`."""
    group = check_in_staff_group()
    user, created = get_user_model().objects.get_or_create(
        username=DOOR_USERNAME,
        defaults={"email": "door@example.org", "first_name": "Demo", "last_name": "Door"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        out(f"  created user {DOOR_USERNAME} ({CHECK_IN_GROUP_NAME} group)")
    user.groups.add(group)
    return user
