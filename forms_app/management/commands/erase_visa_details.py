"""Blank the passport details of visa letter requests VISA_DATA_RETENTION_DAYS (default
30) days after their event ended (`forms_app.visa.erase_due`). Run periodically by the
worker (`PERIODIC_JOBS`); safe to run from cron, twice, or in two processes at once (an
erased request is not erased again). The request itself (status, reference) stays with
the registration until `purge_registrations` removes both."""

from django.core.management.base import BaseCommand, CommandError

from forms_app import visa


class Command(BaseCommand):
    help = (
        "Erase the passport details of visa letter requests of events that ended more than "
        "VISA_DATA_RETENTION_DAYS days ago (default 30). Each form's erasure is written to "
        "the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            help="Override the retention period (0 or more days after the event's end).",
        )

    def handle(self, *args, days=None, **options):
        days = visa.retention_days() if days is None else days
        if days < 0:
            raise CommandError(f"--days must be 0 or more (got {days}).")
        count = visa.erase_due(days=days)
        if count or options.get("verbosity", 1) > 1:
            self.stdout.write(
                f"Erased the passport details of {count} visa letter request(s) of events "
                f"ended over {days} days ago."
            )
