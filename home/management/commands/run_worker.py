"""The site's background process: runs queued tasks and the periodic jobs.

`make run` and `make serve` start it next to the web server; a deployment runs one or more
(`python manage.py run_worker`, under the same settings as the web processes). It:

- runs the tasks queued in the database (emails) when `TASKS_BACKEND=database`, as
  django-tasks-db's `db_worker` does, checking every `--interval` seconds;
- every `--jobs-interval` seconds runs the management commands in `PERIODIC_JOBS`
  (Wagtail's `publish_scheduled`, so a page scheduled to go live is published without
  anyone adding a cron line; `retry_emails`, so an email that failed is sent once the
  mail server answers again, and a bulk message's throttled emails when their minute
  comes; `send_certificates`, so that everyone checked in gets their certificate of
  attendance once the event has ended; `send_reminders`, the reminders before an event;
  `erase_visa_details`, the passport details of visa letter requests once their retention
  has passed). Each job runs under a database lock, so two workers never run the same job
  at once (PostgreSQL advisory lock; SQLite's write lock), and each email is sent once
  whatever runs it (the outbox's constraints).

A publish made here empties the page cache (and purges the proxy) like one made in the
admin."""

import io
import logging
import signal
import time
import zlib

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection, transaction

from config import shutdown

logger = logging.getLogger(__name__)


def uses_database_tasks():
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


class Command(BaseCommand):
    help = "Run queued tasks and the periodic jobs (scheduled publishing, email retries)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between task checks."
        )
        parser.add_argument(
            "--jobs-interval",
            type=float,
            default=float(settings.PERIODIC_JOBS_SECONDS),
            help="Seconds between runs of the periodic jobs.",
        )
        parser.add_argument(
            "--once", action="store_true", help="One round of everything, then exit."
        )

    def handle(self, *args, interval, jobs_interval, once, **options):
        self.running = True
        self.tasks = None
        shutdown.requested.clear()
        if not once:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        logger.info("Worker started (tasks: %s)", "database" if uses_database_tasks() else "off")
        next_jobs = 0.0
        while self.running:
            close_old_connections()
            if uses_database_tasks():
                try:
                    self.run_tasks()
                except Exception:  # a database restart, say: log it and keep the loop going
                    logger.exception("Running queued tasks failed")
            if self.running and time.monotonic() >= next_jobs:
                self.run_jobs()
                next_jobs = time.monotonic() + jobs_interval
            close_old_connections()
            if once:
                return
            shutdown.wait(interval)

    def stop(self, signum, frame):
        """Leave after the task being run, not after the queue: the batch of queued tasks
        ends with its current one, and an email still waiting for its turn is left
        unclaimed (`forms_app.pace`), for the next worker."""
        self.running = False
        shutdown.requested.set()
        if self.tasks is not None:
            self.tasks.running = False

    def run_tasks(self):
        from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
        from django_tasks_db.management.commands.db_worker import Worker

        self.tasks = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=f"run_worker-{id(self)}",
            excluded_queue_names=[],
        )
        self.tasks.run()

    def run_jobs(self):
        for name in settings.PERIODIC_JOBS:
            try:
                ran = run_exclusively(name)
            except Exception:
                logger.exception("Periodic job %s failed", name)
            else:
                if not ran:
                    logger.info("Periodic job %s skipped: another worker is running it", name)


def run_exclusively(name):
    """Run management command `name` unless another worker holds its lock. True if run."""
    output = io.StringIO()
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"run_worker:{name}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if not cursor.fetchone()[0]:
                return False
        try:
            call_command(name, stdout=output, stderr=output)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return True
    if connection.vendor == "sqlite" and name in getattr(
        settings, "PERIODIC_JOBS_IN_TRANSACTION", ()
    ):
        # One writer at a time: the second worker waits, then finds nothing left to do.
        with transaction.atomic():
            call_command(name, stdout=output, stderr=output)
        return True
    call_command(name, stdout=output, stderr=output)
    return True
