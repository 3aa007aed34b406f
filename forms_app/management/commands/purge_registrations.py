from django.core.management.base import BaseCommand, CommandError

from forms_app.privacy import expired_registrations, purge_expired, retention_days


class Command(BaseCommand):
    help = (
        "Delete registrations (and their emails) of events that ended more than "
        "REGISTRATION_RETENTION_DAYS days ago (default 180). Run daily, e.g. from cron. "
        "Registrations of an event that has not ended, and of forms not under an event, "
        "are never deleted. Each form's deletion is written to the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            help="Override the retention period (0 or more days after the event's end).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = retention_days() if days is None else days
        if days < 0:
            # A negative period would reach events that have not ended (or started) yet.
            raise CommandError(
                f"--days must be 0 or more (got {days}): a negative retention period would "
                "delete registrations of events that have not ended yet."
            )
        if dry_run:
            count = expired_registrations(days=days).count()
            self.stdout.write(f"{count} registration(s) older than {days} days would be deleted.")
            return
        count = purge_expired(days=days)
        self.stdout.write(f"Deleted {count} registration(s) of events ended over {days} days ago.")
