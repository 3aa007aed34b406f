"""Hooks and autouse fixtures for every test; the shared fixtures (locales, home page,
the site in three languages, the form, the demo …) are in tests/fixtures.py, the shared
helpers in tests/helpers.py."""

import gc
import os

import pytest
from django.db import connection

from tests.helpers import INSTALLED_BY_CI

pytest_plugins = ["tests.fixtures"]


def pytest_collection_finish(session):
    """What is loaded by now (Django, Wagtail, the apps, the test modules) lives until the
    run ends: out of the garbage collector's passes (as gunicorn.conf.py does before it
    forks), which otherwise walk it again on every full collection of the run. Nothing is
    collected any less: reference counting is untouched, and garbage made from here on is
    collected as before."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, then the same for what lives on after the migrations."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (rate-limit counters, cached pages and
    navigation)."""
    from django.core.cache import caches

    def clear():
        for cache in caches.all():
            cache.clear()

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request to /ur/ leaves Urdu active in
    the thread, which would otherwise leak into the next test's ORM-level checks."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With REQUIRE_SERVICES=1 (CI's PostgreSQL pass, where PostgreSQL and Redis run), a
    test skipped for want of Redis, or of a Debian tool CI installs, fails instead: the
    scale-out, Redis, ticket and badge tests must run in CI, not quietly skip."""
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and os.environ.get("REQUIRE_SERVICES") == "1"):
        return
    reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
    if (
        "Redis" in reason
        or INSTALLED_BY_CI in reason
        or ("PostgreSQL" in reason and connection.vendor == "postgresql")
    ):
        report.outcome = "failed"
        report.longrepr = f"REQUIRE_SERVICES=1 but skipped: {reason}"
