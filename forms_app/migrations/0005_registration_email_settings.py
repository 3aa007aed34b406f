"""Registration emails' routing and texts move off the form page into
RegistrationEmailSettings, which only registration managers edit (see the model's
docstring for why).

1. Create the model.
2. Move each form's values into it: for every group of translations, the source page
   (the first created, which owns the registrations) gives the organiser addresses
   (`to_address`), the organiser subject and the sender; each language version gives its
   confirmation subject and text, kept under its language code.
3. Drop the page fields (`to_address`, `from_address`, `subject` of AbstractEmailForm, and
   `confirmation_subject`, `confirmation_body`).
4. Forget wagtail-localize's extracted segments of those fields: until a source is next
   synced, publishing a translation would otherwise try to write them back to fields that
   no longer exist (and the translation editor would still offer them).

Reversible: the values go back onto the pages they came from."""

import django.db.models.deletion
import wagtail.contrib.forms.models
from django.db import migrations, models

REMOVED_FIELDS = (
    "to_address",
    "from_address",
    "subject",
    "confirmation_subject",
    "confirmation_body",
)


def _groups(RegistrationFormPage, *fields):
    """{translation_key: [form pages as dicts, source (lowest pk) first]}. Values, not
    instances: the historical model keeps Wagtail's FormMixin, whose __init__ needs the
    real class's template."""
    groups = {}
    rows = RegistrationFormPage.objects.order_by("pk").values(
        "pk", "translation_key", "locale__language_code", *fields
    )
    for row in rows:
        groups.setdefault(row["translation_key"], []).append(row)
    return groups


def move_to_settings(apps, schema_editor):
    RegistrationFormPage = apps.get_model("forms_app", "RegistrationFormPage")
    RegistrationEmailSettings = apps.get_model("forms_app", "RegistrationEmailSettings")
    for pages in _groups(RegistrationFormPage, *REMOVED_FIELDS).values():
        source = pages[0]
        texts = {}
        for page in pages:
            subject = (page["confirmation_subject"] or "").strip()
            body = (page["confirmation_body"] or "").strip()
            if subject or body:
                texts[page["locale__language_code"]] = {"subject": subject, "body": body}
        values = {
            "organiser_addresses": (source["to_address"] or "").strip(),
            "organiser_subject": (source["subject"] or "").strip(),
            "from_address": (source["from_address"] or "").strip(),
            "confirmation_texts": texts,
        }
        if any(values.values()):
            RegistrationEmailSettings.objects.update_or_create(
                page_id=source["pk"], defaults=values
            )


def move_back_to_pages(apps, schema_editor):
    RegistrationFormPage = apps.get_model("forms_app", "RegistrationFormPage")
    RegistrationEmailSettings = apps.get_model("forms_app", "RegistrationEmailSettings")
    stored = {row.page_id: row for row in RegistrationEmailSettings.objects.all()}
    for pages in _groups(RegistrationFormPage).values():
        row = stored.get(pages[0]["pk"])
        if row is None:
            continue
        for page in pages:
            text = (row.confirmation_texts or {}).get(page["locale__language_code"]) or {}
            RegistrationFormPage.objects.filter(pk=page["pk"]).update(
                to_address=row.organiser_addresses,
                from_address=row.from_address,
                subject=row.organiser_subject,
                confirmation_subject=text.get("subject", ""),
                confirmation_body=text.get("body", ""),
            )


def forget_removed_segments(apps, schema_editor):
    segments = {
        "source__specific_content_type__app_label": "forms_app",
        "source__specific_content_type__model": "registrationformpage",
        "context__path__in": REMOVED_FIELDS,
    }
    for name in ("StringSegment", "TemplateSegment", "RelatedObjectSegment", "OverridableSegment"):
        apps.get_model("wagtail_localize", name).objects.filter(**segments).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forms_app", "0004_outgoing_email_claim"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegistrationEmailSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "organiser_addresses",
                    models.CharField(
                        blank=True,
                        help_text=(
                            "Told of each new registration (with a link to the registrations, "
                            "never the registrant's details). Separate several addresses with "
                            "commas. Empty: no one is told."
                        ),
                        max_length=1000,
                        validators=[wagtail.contrib.forms.models.validate_to_address],
                        verbose_name="organiser addresses",
                    ),
                ),
                (
                    "organiser_subject",
                    models.CharField(
                        blank=True,
                        help_text="Empty: “New registration for” and the event's title.",
                        max_length=255,
                        verbose_name="organiser email subject",
                    ),
                ),
                (
                    "from_address",
                    models.EmailField(
                        blank=True,
                        help_text=(
                            "The From address of every email about this form. Empty: the site's."
                        ),
                        max_length=254,
                        verbose_name="sender address",
                    ),
                ),
                (
                    "confirmation_texts",
                    models.JSONField(blank=True, default=dict, verbose_name="confirmation texts"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.page",
                        verbose_name="form",
                    ),
                ),
            ],
            options={
                "verbose_name": "registration email settings",
                "verbose_name_plural": "registration email settings",
            },
        ),
        migrations.RunPython(move_to_settings, move_back_to_pages),
        *(
            migrations.RemoveField(model_name="registrationformpage", name=name)
            for name in REMOVED_FIELDS
        ),
        migrations.RunPython(forget_removed_segments, migrations.RunPython.noop),
    ]
