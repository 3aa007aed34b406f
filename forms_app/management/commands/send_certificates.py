"""Email each registration checked in at least once its certificate of attendance, once,
after its event has ended. Run periodically by the worker (`PERIODIC_JOBS`); safe to run
from cron as well, twice, or in two processes at once.

Exactly once: the outbox row is the record that a certificate is owed, and the database
refuses a second one for the same registration (the unique constraint
`one_certificate_email_per_registration`). Each row is inserted in a savepoint; a
process that loses the race gets an IntegrityError, skips that registration and leaves
the sending to the winner. The sending itself is `emails.deliver()` (claimed, sent at most
once, a failure left for `retry_emails`)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from forms_app import emails
from forms_app.models import (
    CheckIn,
    EmailKind,
    OutgoingEmail,
    Registration,
    RegistrationFormPage,
    RegistrationStatus,
)

# Events that ended longer ago than this get no certificates from the scheduler (turning
# the job on must not email everyone who ever attended); `--max-age-days` widens it.
MAX_AGE_DAYS = 30


def ended_forms(now, max_age_days=MAX_AGE_DAYS):
    """The source registration form pages whose event ended within `max_age_days`."""
    oldest = now - dt.timedelta(days=max_age_days)
    forms = RegistrationFormPage.objects.filter(
        pk__in=RegistrationFormPage.source_pages().values("pk")
    ).select_related("locale")
    for form in forms:
        event = form.event
        if event is not None and oldest <= event.end <= now:
            yield form


def due(form):
    """Registrations of `form` checked in at least once, not cancelled, with no
    certificate email yet."""
    return (
        Registration.objects.filter(
            Exists(CheckIn.objects.filter(registration=OuterRef("pk"))),
            ~Exists(
                OutgoingEmail.objects.filter(
                    registration=OuterRef("pk"), kind=EmailKind.CERTIFICATE
                )
            ),
            page_id=form.pk,
            status=RegistrationStatus.CONFIRMED,
        )
        .order_by("pk")
        .only("pk")
    )


def queue_certificates(now=None, max_age_days=MAX_AGE_DAYS):
    """Write one certificate outbox row for each registration that is owed one; the ids of
    the rows this call wrote (another process's are left to it)."""
    now = now or timezone.now()
    created = []
    for form in ended_forms(now, max_age_days):
        for registration in due(form):
            try:
                with transaction.atomic():
                    email = OutgoingEmail.objects.create(
                        registration=registration, kind=EmailKind.CERTIFICATE
                    )
            except IntegrityError:
                continue  # another run wrote it first
            created.append(email.pk)
    return created


class Command(BaseCommand):
    help = (
        "Email certificates of attendance (PDF) to everyone checked in at an event that has "
        "ended, once per registration. Safe to run repeatedly and concurrently."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-age-days",
            type=int,
            default=MAX_AGE_DAYS,
            help="Only events that ended within this many days.",
        )

    def handle(self, *args, max_age_days=MAX_AGE_DAYS, **options):
        email_ids = queue_certificates(max_age_days=max_age_days)
        sent = sum(1 for email_id in email_ids if emails.deliver(email_id))
        self.stdout.write(f"Queued {len(email_ids)} certificate(s); sent {sent}.")
        if sent < len(email_ids):
            self.stderr.write("Some certificates could not be sent; retry_emails retries them.")
