"""Fault injection with real parts: gunicorn with the production settings, a mail server
that accepts and never answers, a Redis port nobody listens on, several app processes
without a shared cache, the scheduled-publishing worker.

The app processes share one database for this folder: a copy of the migrated test
database (tests/app_processes.py), with the small site of tests/faults/site.py built in
it once. Each test uses its own pages or addresses, so their order does not matter."""

import dj_database_url
import pytest
from django.db import connection, connections

from tests.app_processes import (
    App,
    collect_static,
    copy_test_database,
    drop_database_copy,
    production_env,
)
from tests.database import restore_migrated_data
from tests.settings_probe import manage_job, python_job

BUILD_SITE = "import django; django.setup()\nfrom tests.faults.site import build; build()"


@pytest.fixture(scope="package")
def probe(process_probe):
    """Fresh processes for `manage.py` commands and Python code under an app process's
    environment (tests/settings_probe.py)."""
    return process_probe


@pytest.fixture(scope="package")
def site_database(django_db_setup, django_db_blocker, tmp_path_factory, probe):
    with django_db_blocker.unblock():
        from wagtail.models import Site

        # pytest-django runs these (no `db` mark) after the transactional tests, whose
        # closing flush may have emptied the database.
        if not Site.objects.exists():
            restore_migrated_data(connection)
        url = copy_test_database(connection, tmp_path_factory.mktemp("faults-db"))
        try:
            # Production's extra apps (the database task queue) on top of the tests' schema,
            # then the site, in one process.
            results = probe.run(
                production_env(DATABASE_URL=url),
                [manage_job("migrate", "--noinput", "-v0"), python_job(BUILD_SITE)],
                timeout=300,
            )
            for result in results:
                assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
            yield url
        finally:
            drop_database_copy(connection, url)


SITE_ALIAS = "faults_site"


@pytest.fixture(scope="package")
def site_db(site_database, django_db_blocker):
    """The app processes' database, readable here as `.using(site_db)`."""
    configured = connections.configure_settings(
        {
            "default": connections.settings["default"],
            SITE_ALIAS: dj_database_url.parse(site_database),
        }
    )
    connections.settings[SITE_ALIAS] = configured[SITE_ALIAS]
    with django_db_blocker.unblock():
        yield SITE_ALIAS
        connections[SITE_ALIAS].close()
    del connections.settings[SITE_ALIAS]


@pytest.fixture
def app_env(site_database, static_root):
    """`app_env(**overrides)`: the environment of an app process on the shared copy."""

    def make(**overrides):
        env = production_env(DATABASE_URL=site_database, **overrides)
        return collect_static(env, static_root)

    return make


@pytest.fixture(scope="package")
def plain_apps(site_database, static_root, tmp_path_factory, probe):
    """Two gunicorn instances with the production settings and nothing but the database
    shared (no Redis, tasks run in the request, emails dropped), each with its control
    socket in `plain_apps.runtime_dir`: started for the first test that needs them and
    shared by the tests that need no other setting (`test_app_processes` uses both,
    `test_odd_requests` the first), as a gunicorn start is most of what such a test costs."""
    runtime_dir = tmp_path_factory.mktemp("plain-apps")
    env = collect_static(
        production_env(
            DATABASE_URL=site_database,
            PAGE_CACHE_SECONDS=300,
            WEB_CONCURRENCY=1,
            TASKS_BACKEND="immediate",
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            XDG_RUNTIME_DIR=str(runtime_dir),
        ),
        static_root,
    )
    apps = []
    try:
        apps.extend(App(env, runtime_dir / f"gunicorn-{n}.log", probe=probe) for n in range(2))
        for app in apps:
            app.wait()
        yield PlainApps(apps, env, runtime_dir)
    finally:
        for app in apps:
            app.stop()


class PlainApps(list):
    def __init__(self, apps, env, runtime_dir):
        super().__init__(apps)
        self.env = env
        self.runtime_dir = runtime_dir
