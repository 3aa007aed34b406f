"""Hooks and autouse fixtures for every test; the shared fixtures (locales, home page,
the site in three languages, the form, the demo …) are in tests/fixtures.py, the shared
helpers in tests/helpers.py."""

import os

import pytest
from django.db import connection

pytest_plugins = ["tests.fixtures"]


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
    test skipped for want of Redis fails instead: the scale-out and Redis tests must run
    in CI, not quietly skip."""
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and os.environ.get("REQUIRE_SERVICES") == "1"):
        return
    reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
    if "Redis" in reason or ("PostgreSQL" in reason and connection.vendor == "postgresql"):
        report.outcome = "failed"
        report.longrepr = f"REQUIRE_SERVICES=1 but skipped: {reason}"
