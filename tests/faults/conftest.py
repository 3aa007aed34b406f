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
    collect_static,
    copy_test_database,
    drop_database_copy,
    production_env,
    run_python,
)
from tests.database import restore_migrated_data
from tests.helpers import manage


@pytest.fixture(scope="package")
def site_database(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        from wagtail.models import Site

        # pytest-django runs these (no `db` mark) after the transactional tests, whose
        # closing flush may have emptied the database.
        if not Site.objects.exists():
            restore_migrated_data(connection)
        url = copy_test_database(connection, tmp_path_factory.mktemp("faults-db"))
        try:
            env = production_env(DATABASE_URL=url)
            # Production's extra apps (the database task queue) on top of the tests' schema.
            manage("migrate", "--noinput", "-v0", env=env, check=True)
            run_python(env, "from tests.faults.site import build; build()")
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


@pytest.fixture(scope="package")
def static_root(tmp_path_factory):
    return tmp_path_factory.mktemp("static")


@pytest.fixture
def app_env(site_database, static_root):
    """`app_env(**overrides)`: the environment of an app process on the shared copy."""

    def make(**overrides):
        env = production_env(DATABASE_URL=site_database, **overrides)
        return collect_static(env, static_root)

    return make
