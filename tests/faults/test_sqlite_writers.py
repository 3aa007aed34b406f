"""The SQLite demo (the default database of `make run`) under simultaneous registrations:
WAL, a busy timeout and immediate transactions make writers queue instead of failing with
"database is locked". The same promises as on PostgreSQL, minus throughput."""

import threading

import pytest

from forms_app.models import Registration, RegistrationStatus
from tests.app_processes import App, csrf, post
from tests.faults.site import CROWD_CAPACITY, CROWD_FORM_PATH

REGISTRANTS = 20


def test_twenty_simultaneous_registrations_on_sqlite(app_env, site_db, site_database, tmp_path):
    if not site_database.startswith("sqlite"):
        pytest.skip("SQLite's writers: this runs in the SQLite pass (PostgreSQL has its own)")
    env = app_env(
        WEB_CONCURRENCY=3,
        GUNICORN_THREADS=4,
        TASKS_BACKEND="immediate",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    app = App(env, tmp_path / "gunicorn.log").wait()
    try:
        forms = [csrf(app, CROWD_FORM_PATH) for _ in range(REGISTRANTS)]
        barrier = threading.Barrier(REGISTRANTS)
        statuses = [None] * REGISTRANTS

        def register(n):
            jar, token = forms[n]
            data = {
                "csrfmiddlewaretoken": token,
                "name": f"Crowd {n}",
                "email": f"crowd{n}@example.org",
                "consent": "on",
            }
            barrier.wait()
            statuses[n] = post(app, CROWD_FORM_PATH, jar, data)[0].status

        threads = [threading.Thread(target=register, args=(n,)) for n in range(REGISTRANTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert statuses == [303] * REGISTRANTS, app.log()[-3000:]
        stored = Registration.objects.using(site_db).filter(email__startswith="crowd")
        assert stored.count() == REGISTRANTS
        assert stored.filter(status=RegistrationStatus.CONFIRMED).count() == CROWD_CAPACITY
        assert "database is locked" not in app.log()
    finally:
        app.stop()
