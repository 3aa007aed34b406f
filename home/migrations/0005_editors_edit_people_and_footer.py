"""The Editors group may add, change and delete speakers, organisers, partners and the
footer text, and translate what it edits (wagtail-localize's `submit_translation`).

Wagtail's own migrations give Editors page and image permissions only, so an editor who
opens Snippets → Speakers is sent away, and a programme cannot be written without an
administrator. Registration data and its settings (registrations, email settings, the visa
letterhead) stay with the Registration managers group.

Permissions are normally created after all migrations (post_migrate); on a fresh database
this migration creates the ones it needs, as Django would (same content type, codename and
name). Reversing removes them from the group and leaves the permissions themselves."""

from django.db import migrations

GROUP_NAME = "Editors"

# (app label, model, verbose name): the snippets editors keep.
SNIPPETS = (
    ("events", "speaker", "speaker"),
    ("events", "organiser", "organiser"),
    ("events", "partner", "partner"),
    ("home", "footertext", "footer text"),
)
ACTIONS = ("add", "change", "delete", "view")


def _snippet_permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for app_label, model, verbose_name in SNIPPETS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for action in ACTIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"},
            )
            permissions.append(permission)
    return permissions


def _submit_translation(apps):
    """wagtail-localize grants it to Editors in its own migration, but only when the group
    exists by then; asked for here too, it holds whatever the order was."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    localize_type, _ = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    submit, _ = Permission.objects.get_or_create(
        content_type=localize_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    return submit


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*_snippet_permissions(apps), _submit_translation(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*_snippet_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_videos_and_session_materials"),
        ("events", "0003_partner_eventpartner"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # Wagtail's migration that creates the Editors group.
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
