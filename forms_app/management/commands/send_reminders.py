"""Email the reminders that are due before each event (see forms_app/reminders.py), once
per registrant and reminder. Run periodically by the worker (`PERIODIC_JOBS`); safe to
run from cron as well, twice, or in two processes at once: the database refuses a second
outbox row for the same registration and reminder, and each row is sent once."""

from django.core.management.base import BaseCommand

from forms_app import emails, reminders


class Command(BaseCommand):
    help = (
        "Email the reminders due before upcoming events (the forms' reminder offsets, such "
        "as 7d, 1d), once per registrant and reminder. Safe to run repeatedly and "
        "concurrently."
    )

    def handle(self, *args, **options):
        email_ids = reminders.queue_reminders()
        # The first minute's (the throttle's) are also queued as tasks after commit; the
        # command sends them itself too, each claimed once, so that a cron run without a
        # task worker sends them. The rest go out as they fall due (retry_emails).
        sent = sum(1 for email_id in email_ids if emails.deliver(email_id))
        self.stdout.write(f"Queued {len(email_ids)} reminder(s) to send now; sent {sent}.")
