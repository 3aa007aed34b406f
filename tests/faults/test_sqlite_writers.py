"""The SQLite demo (the default database of `make run`) under simultaneous registrations:
WAL, a busy timeout and immediate transactions make writers queue instead of failing with
"database is locked". The same promises as on PostgreSQL, minus throughput."""

import pytest

from forms_app.models import Registration, RegistrationStatus
from tests.app_processes import App, register_at_once
from tests.faults.site import CROWD_CAPACITY, CROWD_FORM_PATH

REGISTRANTS = 20


def test_twenty_simultaneous_registrations_on_sqlite(
    app_env, site_db, site_database, probe, tmp_path
):
    if not site_database.startswith("sqlite"):
        pytest.skip("about SQLite's writers: runs in the SQLite pass of CI")
    env = app_env(
        WEB_CONCURRENCY=3,
        GUNICORN_THREADS=4,
        TASKS_BACKEND="immediate",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    app = App(env, tmp_path / "gunicorn.log", probe=probe).wait()
    try:
        statuses = register_at_once([app], CROWD_FORM_PATH, REGISTRANTS, "crowd")

        assert statuses == [303] * REGISTRANTS, app.log()[-3000:]
        stored = Registration.objects.using(site_db).filter(email__startswith="crowd")
        assert stored.count() == REGISTRANTS
        assert stored.filter(status=RegistrationStatus.CONFIRMED).count() == CROWD_CAPACITY
        assert "database is locked" not in app.log()
    finally:
        app.stop()
