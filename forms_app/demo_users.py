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


def _group(name, codename):
    """The group made by a migration (0002, 0006), (re)created if someone deleted it: admin
    access and `forms_app.<codename>`, nothing else."""
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="forms_app", codename=codename),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    return group


def _ensure_user(username, group, out, **details):
    """Create the demo user if missing; idempotent (an existing user keeps its password,
    and is only put back into the group)."""
    user, created = get_user_model().objects.get_or_create(username=username, defaults=details)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        out(f"  created user {username} ({group.name} group)")
    user.groups.add(group)
    return user


def ensure_registrar(out):
    group = _group(GROUP_NAME, "manage_registrations")
    return _ensure_user(
        DEMO_USERNAME,
        group,
        out,
        email="registrar@example.org",
        first_name="Demo",
        last_name="Registrar",
    )


def ensure_door(out):
    group = _group(CHECK_IN_GROUP_NAME, "check_in_registrations")
    return _ensure_user(
        DOOR_USERNAME, group, out, email="door@example.org", first_name="Demo", last_name="Door"
    )
