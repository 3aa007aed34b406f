"""A worker asked to stop (a deploy, a process manager's SIGTERM) leaves at once, not after
its queue: with the emails paced (`forms_app.pace`), sending a queue of them takes
minutes, and a process manager that loses patience kills the worker mid-send, when an
email the mail server has taken may not yet be marked sent. The email it was waiting to
send stays unclaimed, and the next worker sends every email once."""

import signal
import subprocess
import sys
import time

from forms_app.models import OutgoingEmail
from tests.app_processes import run_manage, run_python
from tests.faults.servers import RecordingSMTP
from tests.helpers import ROOT

REGISTRANTS = [f"stop-{n}@example.org" for n in range(4)]
# One email every 3 s: the queue (a confirmation each, and the organisers' notices) would
# take more than 10 s.
PER_MINUTE = 20

REGISTER = f"""
import uuid
from forms_app import services
from forms_app.models import RegistrationFormPage
page = RegistrationFormPage.objects.get(
    url_path__endswith="/faults/register/", locale__language_code="en"
)
for address in {REGISTRANTS!r}:
    services.register(
        page, name="Stop Test", email=address, answers={{}}, language="en",
        submission_token=uuid.uuid4(),
    )
"""


def emails_of(site_db):
    return list(
        OutgoingEmail.objects.using(site_db)
        .filter(registration__email__in=REGISTRANTS)
        .values_list("status", "attempts")
    )


def test_a_stopped_worker_leaves_at_once_and_every_email_goes_once(app_env, site_db, tmp_path):
    with RecordingSMTP() as smtp:
        env = app_env(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=smtp.port,
            TASKS_BACKEND="database",
            OUTBOX_EMAILS_PER_MINUTE=PER_MINUTE,
        )
        run_python(env, REGISTER)
        queued = emails_of(site_db)
        assert len(queued) >= len(REGISTRANTS)
        assert {status for status, _attempts in queued} == {OutgoingEmail.Status.PENDING}

        with open(tmp_path / "worker.log", "wb") as log:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "run_worker", "--interval", "0.2"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                deadline = time.monotonic() + 60
                while not smtp.messages and time.monotonic() < deadline:
                    time.sleep(0.1)
                assert smtp.messages, (tmp_path / "worker.log").read_text()[-3000:]
                worker.send_signal(signal.SIGTERM)
                stopped = time.monotonic()
                worker.wait(timeout=30)
                left_in = time.monotonic() - stopped
            finally:
                if worker.poll() is None:
                    worker.kill()
        # Within the turn of the next email (3 s), not after the queue.
        assert left_in < 2.5, left_in
        assert worker.returncode == 0, (tmp_path / "worker.log").read_text()[-3000:]

        emails = emails_of(site_db)
        sent = [e for e in emails if e[0] == OutgoingEmail.Status.SENT]
        assert sent and len(sent) < len(emails)
        # Nothing half-sent: the rest were never claimed.
        assert {e for e in emails if e[0] != OutgoingEmail.Status.SENT} == {
            (OutgoingEmail.Status.PENDING, 0)
        }

        # The next worker's retry sends the rest, and nothing twice.
        run_manage({**env, "OUTBOX_EMAILS_PER_MINUTE": "0"}, "retry_emails", "--older-than", "0")
        assert emails_of(site_db) and set(emails_of(site_db)) == {(OutgoingEmail.Status.SENT, 1)}
        to_registrants = sorted(
            r for recipients, _message in smtp.messages for r in recipients if r in REGISTRANTS
        )
        assert to_registrants == sorted(REGISTRANTS)
