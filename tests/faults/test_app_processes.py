"""Several app processes without a shared cache (gunicorn without REDIS_URL): the app keeps
no pages of its own (a per-process copy could not be emptied in every process), leaves
them to a caching proxy by `Cache-Control`, and a publish in one process, or by the
scheduler's worker, is served by every process at once. Each gunicorn has its own control
socket."""

import time
from pathlib import Path

from tests.app_processes import run_python

RENAME = """
from home.models import StandardPage
page = StandardPage.objects.get(slug="about")
page.title = "About us, renamed elsewhere"
page.save_revision().publish()
"""

SCHEDULE = """
import datetime as dt
from django.utils import timezone
from home.models import HomePage
from tests.factories.home import StandardPageFactory
home = HomePage.objects.get(slug="home-en")
page = StandardPageFactory(parent=home, title="Scheduled news", slug="scheduled-news", live=False)
page.go_live_at = timezone.now() - dt.timedelta(minutes=1)
page.save_revision(approved_go_live_at=page.go_live_at)
"""


def wait_for(app, path, text, status=200, seconds=0):
    deadline = time.monotonic() + seconds
    while True:
        response, body = app.request("GET", path)
        if response.status == status and text.encode() in body:
            return response
        if time.monotonic() > deadline:
            raise AssertionError((response.status, body[-1500:]))
        time.sleep(0.1)


def test_no_process_serves_a_stale_page_after_another_publishes(plain_apps, probe):
    # Two gunicorn instances without a shared cache, the page cache on (tests/faults/conftest.py).
    apps, env = plain_apps, plain_apps.env
    for app in apps:
        assert app.request("GET", "/en/about/")[0].status == 200
        response, body = app.request("GET", "/en/about/")
        assert response.getheader("X-Page-Cache") is None
        assert "s-maxage=300" in response.getheader("Cache-Control")
        assert b"About the conference" in body
        assert app.request("GET", "/en/scheduled-news/")[0].status == 404

    # Published by a third process: neither app process did it.
    run_python(env, RENAME, probe=probe)
    for app in apps:
        wait_for(app, "/en/about/", "About us, renamed elsewhere")

    # Scheduled publishing, done by the worker that `make run`/`make serve` start.
    run_python(
        env,
        SCHEDULE + "from django.core.management import call_command\n"
        "call_command('run_worker', '--once')\n",
        probe=probe,
    )
    for app in apps:
        wait_for(app, "/en/scheduled-news/", "Scheduled news")

    # One control socket per instance, not one shared path for every gunicorn.
    sockets = sorted(path.name for path in Path(plain_apps.runtime_dir).glob("*.ctl"))
    assert sockets == sorted(f"conference-gunicorn-127.0.0.1-{app.port}.ctl" for app in apps), (
        sockets
    )
