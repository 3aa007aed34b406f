"""A mail server that accepts connections and never answers: the registrant's POST is
answered at once and the registration kept; the worker gives up after EMAIL_TIMEOUT and
sends the email once the mail server answers again. Also: the manage link's secret token
never reaches gunicorn's access log."""

import time

from forms_app.models import Registration
from tests.app_processes import App, csrf, post, run_manage, run_python
from tests.faults.servers import RecordingSMTP, Silent
from tests.faults.site import FORM_PATH


def stored(site_db, email):
    registration = Registration.objects.using(site_db).get(email=email)
    return {
        "status": registration.status,
        "token": registration.manage_token,
        "emails": sorted(
            [e.kind, e.status, e.attempts, e.last_error]
            for e in registration.emails.using(site_db).all()
        ),
    }


def test_a_hung_mail_server_never_holds_up_or_loses_a_registration(
    app_env, site_db, probe, tmp_path
):
    with Silent() as hung_smtp, RecordingSMTP() as smtp:
        env = app_env(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=hung_smtp.port,
            EMAIL_TIMEOUT=1,
            WEB_CONCURRENCY=1,
            GUNICORN_LOG_LEVEL="info",  # the access log
        )
        app = App(env, tmp_path / "gunicorn.log", probe=probe).wait()
        try:
            jar, token = csrf(app, FORM_PATH)
            started = time.monotonic()
            response, _ = post(
                app,
                FORM_PATH,
                jar,
                {
                    "csrfmiddlewaretoken": token,
                    "name": "Hung Mail",
                    "email": "hung.mail@example.org",
                    "consent": "on",
                },
                timeout=20,
            )
            answered_in = time.monotonic() - started
            assert response.status == 303
            # The mail server is not asked while the registrant waits.
            assert answered_in < 5, answered_in
            assert hung_smtp.connections == []

            found = stored(site_db, "hung.mail@example.org")
            assert found["status"] == "confirmed"
            assert [e[:2] for e in found["emails"]] == [
                ["confirmation", "pending"],
                ["organiser", "pending"],
            ]

            # The worker meets the hung server: bounded by EMAIL_TIMEOUT, then recorded.
            started = time.monotonic()
            run_manage(env, "run_worker", "--once", timeout=60, probe=probe)
            assert time.monotonic() - started < 30
            assert hung_smtp.connections
            found = stored(site_db, "hung.mail@example.org")
            assert {e[1] for e in found["emails"]} == {"failed"}
            assert all("timed out" in e[3] for e in found["emails"]), found

            # The mail server answers again: the scheduler's retry, run twice, sends each
            # email once.
            run_python(
                {**env, "EMAIL_PORT": str(smtp.port)},
                "from django.core.management import call_command\n"
                "call_command('retry_emails')\n"
                "call_command('retry_emails')\n",
                probe=probe,
            )
            found = stored(site_db, "hung.mail@example.org")
            assert {e[1] for e in found["emails"]} == {"sent"}
            recipients = sorted(r for rcpts, _message in smtp.messages for r in rcpts)
            assert recipients == ["hung.mail@example.org", "organisers@example.org"]

            # The manage link works, and its token is in no log line.
            manage_path = f"{FORM_PATH}manage/{found['token']}/"
            assert app.request("GET", manage_path)[0].status == 200
            assert app.request("GET", manage_path + "calendar/")[0].status == 200
            log = app.log()
            assert "/manage/[token]/ HTTP" in log
            assert found["token"] not in log
        finally:
            app.stop()
