"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test here uses `live_server`, so it is transactional: the database is flushed after
each test. Each module marks its tests `django_db(transaction=True,
serialized_rollback=True)`, which restores what the migrations created (root page, default
site, locales, Wagtail's groups and workflow) before each test; `_leave_database_as_migrated`
restores it once more after the last browser test, so the tests that run after these find
the database as the migrations left it.
"""

import contextlib
import mimetypes
from pathlib import Path

import pytest

from tests.browser.chromium import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One Chromium for all the browser tests.

    Package-scoped rather than session-scoped on purpose: while Playwright's sync API is
    started, this thread has a running asyncio loop, which the tests in other folders must
    not inherit (`async_to_sync` and `asyncio.run` refuse to run inside one). It stops after
    the last test of this folder, which is the same as session scope for these tests."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    # Playwright's sync API runs an event loop in this thread; the ORM refuses to run inside
    # one unless told it is safe (it is: the loop only waits for the browser). Set for this
    # folder's tests only, not at import: conftest files are imported for every run, and the
    # variable would leak into other tests and their subprocesses (`check --deploy` fails
    # with async.E001 when it is set).
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # Django keeps connections in an asgiref Local, which switches to context-variable
        # storage once a loop is running: without this, the ORM here would open new
        # connection objects that lack the test database's serialized contents (so
        # `serialized_rollback` silently does nothing) and differ from the live server's.
        originals = {alias: connections[alias] for alias in connections}
        with sync_playwright() as playwright:
            for alias, connection in originals.items():
                connections[alias] = connection
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_page(browser, live_server, artifacts_dir, request):
    """`new_page(locale="en-GB", **context_options)`: a page in a fresh browser context
    (own cookies) whose `goto` paths are relative to the live server. Media files, which
    the live server does not serve, are answered from MEDIA_ROOT so pictures show in the
    screenshots. A failing test leaves a screenshot of each of its pages in artifacts."""
    from django.conf import settings

    contexts = []

    def serve_media(route):
        path = route.request.url.split("?")[0].removeprefix(live_server.url + settings.MEDIA_URL)
        file = (Path(settings.MEDIA_ROOT) / path).resolve()
        if not file.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) or not file.is_file():
            route.fulfill(status=404, body="")
            return
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=file.read_bytes(), content_type=content_type)

    def make(locale="en-GB", **options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, locale=locale, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.route(f"{live_server.url}{settings.MEDIA_URL}**", serve_media)
        contexts.append(context)
        return context.new_page()

    yield make

    call_report = getattr(request.node, "report_call", None)
    failed = call_report is not None and call_report.failed
    for index, context in enumerate(contexts):
        for number, page in enumerate(context.pages):
            # A failed screenshot or wait must not hide the test's own failure.
            if failed:
                name = f"FAILED-{request.node.name}-{index}-{number}.png"
                with contextlib.suppress(Exception):
                    page.screenshot(path=artifacts_dir / name, full_page=True)
            # The live server shares this thread's SQLite connection: let the browser's last
            # requests finish before the test's teardown flushes and restores the database.
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=5_000)
        context.close()


@pytest.fixture
def demo_site(live_server, demo):
    """The demo content, served by the live server."""
    return live_server


@pytest.fixture(scope="package", autouse=True)
def _leave_database_as_migrated(django_db_setup, django_db_blocker):
    """After the last browser test, put back the data the migrations created.

    A transactional test with `serialized_rollback` ends with a flush that does not re-run
    post_migrate (no content types, permissions, locales, root page); later tests that are
    transactional without `serialized_rollback` would start from that empty database."""
    yield
    from django.db import connections

    from tests.database import restore_migrated_data

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            restore_migrated_data(connection)
