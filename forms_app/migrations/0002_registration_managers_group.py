"""The "Registration managers" group: may enter the Wagtail admin and see, export, cancel
and delete registrations (forms_app.manage_registrations), with no page permissions.

Permissions are normally created after all migrations (post_migrate), so on a fresh
database this migration creates the two it needs, exactly as Django and Wagtail would
(same content type, codename and name). Idempotent: running it on a database that already
has the group, or the permissions, changes nothing and adds nothing twice."""

from django.db import migrations

GROUP_NAME = "Registration managers"


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    registration_type, _ = ContentType.objects.get_or_create(
        app_label="forms_app", model="registration"
    )
    manage, _ = Permission.objects.get_or_create(
        content_type=registration_type,
        codename="manage_registrations",
        defaults={"name": "Can see and manage registrations"},
    )
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(manage, access_admin)


class Migration(migrations.Migration):
    dependencies = [
        ("forms_app", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # These give every group with admin access the permission to choose documents
        # and images; running after them keeps the group to what it needs, on a fresh
        # database as on an existing one.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [
        # Reversing leaves the group: it may have members by then.
        migrations.RunPython(create_group, migrations.RunPython.noop),
    ]
