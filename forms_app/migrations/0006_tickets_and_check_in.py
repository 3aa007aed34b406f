"""Tickets and check-in: every confirmed registration gets a ticket code (those confirmed
before this migration too), each day a person is let in is a `CheckIn`, and the
"Check-in staff" group may enter the admin and check people in, nothing else.

As in 0002, the permissions the group needs are created here (post_migrate would be too
late on a fresh database), exactly as Django would; idempotent."""

import secrets

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


CHECK_IN_GROUP = "Check-in staff"
# A copy of models.TICKET_ALPHABET: a migration must not import the models it migrates.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def issue_tickets(apps, schema_editor):
    Registration = apps.get_model("forms_app", "Registration")
    confirmed = Registration.objects.filter(status="confirmed", ticket_code__isnull=True)
    for registration in confirmed.only("pk").iterator():
        code = "".join(secrets.choice(ALPHABET) for _ in range(20))
        Registration.objects.filter(pk=registration.pk).update(ticket_code=code)


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    registration_type, _ = ContentType.objects.get_or_create(
        app_label="forms_app", model="registration"
    )
    check_in, _ = Permission.objects.get_or_create(
        content_type=registration_type,
        codename="check_in_registrations",
        defaults={"name": "Can check people in at the door"},
    )
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group, _ = Group.objects.get_or_create(name=CHECK_IN_GROUP)
    group.permissions.add(check_in, access_admin)


class Migration(migrations.Migration):
    dependencies = [
        ("forms_app", "0005_registration_email_settings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="registration",
            options={
                "permissions": [
                    ("manage_registrations", "Can see and manage registrations"),
                    ("check_in_registrations", "Can check people in at the door"),
                ],
                "verbose_name": "registration",
                "verbose_name_plural": "registrations",
            },
        ),
        migrations.AddField(
            model_name="registration",
            name="role",
            field=models.CharField(
                choices=[
                    ("attendee", "Attendee"),
                    ("speaker", "Speaker"),
                    ("organiser", "Organiser"),
                    ("press", "Press"),
                ],
                default="attendee",
                max_length=16,
                verbose_name="role",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="ticket_code",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=32,
                null=True,
                unique=True,
                verbose_name="ticket code",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="walk_in",
            field=models.BooleanField(default=False, verbose_name="walk-in"),
        ),
        migrations.CreateModel(
            name="CheckIn",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                (
                    "checked_in_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="checked in at"
                    ),
                ),
                (
                    "checked_in_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="checked in by",
                    ),
                ),
                (
                    "registration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="check_ins",
                        to="forms_app.registration",
                    ),
                ),
            ],
            options={
                "verbose_name": "check-in",
                "verbose_name_plural": "check-ins",
                "indexes": [models.Index(fields=["day", "registration"], name="check_in_day")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("registration", "day"), name="one_check_in_per_day"
                    )
                ],
            },
        ),
        migrations.RunPython(issue_tickets, migrations.RunPython.noop),
        # Reversing leaves the group: it may have members by then.
        migrations.RunPython(create_group, migrations.RunPython.noop),
    ]
