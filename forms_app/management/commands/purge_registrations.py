from django.core.management.base import BaseCommand

from forms_app.privacy import expired_registrations, retention_days


class Command(BaseCommand):
    help = (
        "Delete registrations (and their emails) of events that ended more than "
        "REGISTRATION_RETENTION_DAYS days ago (default 180). Run daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Override the retention period.")
        parser.add_argument("--dry-run", action="store_true", help="Only count.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = retention_days() if days is None else days
        registrations = expired_registrations(days=days)
        count = registrations.count()
        if dry_run:
            self.stdout.write(f"{count} registration(s) older than {days} days would be deleted.")
            return
        registrations.delete()
        self.stdout.write(f"Deleted {count} registration(s) of events ended over {days} days ago.")
