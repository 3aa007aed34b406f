from django.core.management.base import BaseCommand

from forms_app.emails import retry_unsent


class Command(BaseCommand):
    help = (
        "Send registration emails that failed, or whose sending task was lost (pending for "
        "more than a minute). Each email is sent at most once. Safe to run from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60, help="Seconds (pending).")

    def handle(self, *args, older_than=60, **options):
        sent, failed = retry_unsent(older_than_seconds=older_than)
        self.stdout.write(f"Sent {sent} email(s); {failed} still failing.")
        if failed:
            self.stderr.write("Some emails could not be sent; see the log and try again later.")
