"""A message to 5,000 registrants through the outbox, in process (a `make bench`-style
figure, run alone): the time to queue it (one outbox row per recipient, throttled at
OUTBOX_EMAILS_PER_MINUTE; alone, and with the first minute's 600 sent at once by tasks
after commit, as the immediate task backend does) and the
time to queue and send all of it unthrottled, each email built (subject, text, HTML, the
manage link in the registrant's language) and handed to Django's locmem backend.

    .venv/bin/python benchmarks/message_send.py [COUNT]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/message_send.py

It works in a throwaway test database (Django's `create_test_db`: SQLite in memory by
default; on PostgreSQL `test_bench_messages_<pid>`, dropped at the end), never in the
site's own, under config.settings.test (tasks run at once, emails kept in memory).
Prints one JSON line."""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
LANGUAGES = ("en", "tr", "ur")
TEXTS = {
    "en": {"subject": "Venue news", "body": "Doors open at 9.\nBring your ticket."},
    "tr": {"subject": "Mekân haberleri", "body": "Kapılar 9'da açılıyor.\nBiletinizi getirin."},
}


def build():
    from forms_app.models import Registration, RegistrationStatus, new_ticket_code
    from tests import helpers

    homes = helpers.build_home_in_all_languages(helpers.make_home())
    event = helpers.build_event(homes)
    form = helpers.build_form_page(event)
    Registration.objects.bulk_create(
        [
            Registration(
                page_id=form.pk,
                status=RegistrationStatus.CONFIRMED,
                language=LANGUAGES[n % 3],
                name=f"Registrant {n}",
                email=f"r{n}@example.org",
                email_key=f"r{n}@example.org",
                form_data={},
                ticket_code=new_ticket_code(),
            )
            for n in range(COUNT)
        ],
        batch_size=1000,
    )
    return form


def timed_send(form, per_minute):
    from forms_app import messaging
    from forms_app.models import OutgoingEmail

    settings.OUTBOX_EMAILS_PER_MINUTE = per_minute
    OutgoingEmail.objects.all().delete()
    mail.outbox = []
    message = messaging.write(form, texts=TEXTS, filters={}, user=None)
    started = time.perf_counter()
    recipients = messaging.send(message.pk)  # commits: the due ones are sent at once
    seconds = time.perf_counter() - started
    return {
        "recipients": recipients,
        "seconds": round(seconds, 2),
        "sent_now": len(mail.outbox),
        "waiting": OutgoingEmail.objects.filter(status="pending").count(),
    }


def main():
    setup_test_environment()
    if connection.vendor == "postgresql":
        settings.DATABASES["default"]["TEST"]["NAME"] = f"test_bench_messages_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        form = build()
        # What the manager's request itself does where a task worker sends (one email due
        # now): write the 5,000 rows and book their minutes.
        queue_only = timed_send(form, 1)
        throttled = timed_send(form, 600)
        unthrottled = timed_send(form, 0)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "count": COUNT,
                "queue_only": queue_only,
                "queue_throttled_600_per_minute": throttled,
                "queue_and_send_all": unthrottled,
                "per_email_ms": round(unthrottled["seconds"] * 1000 / COUNT, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
