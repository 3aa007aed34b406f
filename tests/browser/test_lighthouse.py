"""Lighthouse (npm, mobile defaults, Debian's Chromium) on the home, event and registration
form pages in English and Urdu, served as in production: gunicorn with the production
settings (hashed, compressed static files; tests/app_processes.py) on a copy of the test
database with the demo content loaded, its media files answered from MEDIA_ROOT by a small
front server here (in production the web server or bucket serves them). Accessibility,
best practices and SEO score 100; performance at least 90 on the home and event pages.

All six pages are audited in one Chromium by tests/checkers/lighthouse.mjs (a fresh one
after a trace that failed to record)."""

import http.client
import json
import mimetypes
import os
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from tests.app_processes import (
    App,
    collect_static,
    copy_test_database,
    drop_database_copy,
    production_env,
)
from tests.browser.chromium import CHROMIUM
from tests.database import restore_migrated_data
from tests.helpers import INSTALLED_BY_CI
from tests.public_pages import CHECKERS, LIGHTHOUSE, npm_tool
from tests.settings_probe import manage_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = {
    "home": "/{code}/",
    "event": "/{code}/events/next-conference/",
    "form": "/{code}/events/next-conference/register/",
}
LANGUAGES = ("en", "ur")
PERFORMANCE_CHECKED = ("home", "event")


def front_server(app_port, media_root):
    """A server on a free port: /media/ from `media_root`, the rest from gunicorn."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.startswith("/media/"):
                file = (media_root / self.path.split("?")[0].removeprefix("/media/")).resolve()
                if file.is_relative_to(media_root) and file.is_file():
                    body = file.read_bytes()
                    self.send_response(200)
                    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                    self.send_header("Content-Type", kind)
                    self.send_header("Cache-Control", "public, max-age=31536000, immutable")
                else:
                    body = b"not found"
                    self.send_response(404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            upstream = http.client.HTTPConnection("127.0.0.1", app_port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
            upstream.request("GET", self.path, headers=headers)
            response = upstream.getresponse()
            body = response.read()
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            upstream.close()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def production_demo(
    django_db_setup, django_db_blocker, tmp_path_factory, process_probe, static_root
):
    """gunicorn (production settings) with the demo content, behind the media server."""
    lighthouse = npm_tool(LIGHTHOUSE, "lighthouse")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    work = tmp_path_factory.mktemp("lighthouse")
    media_root = (work / "media").resolve()
    media_root.mkdir()
    with django_db_blocker.unblock():
        from wagtail.models import Site

        if not Site.objects.exists():
            restore_migrated_data(connection)
        url = copy_test_database(connection, work)
    env = collect_static(
        production_env(
            DATABASE_URL=url,
            MEDIA_ROOT=media_root,
            WEB_CONCURRENCY=2,
            TASKS_BACKEND="immediate",
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            XDG_RUNTIME_DIR=work,
            VISA_DATA_KEYS=Fernet.generate_key().decode(),
        ),
        static_root,
    )
    app = None
    server = None
    try:
        results = process_probe.run(
            env,
            [manage_job("migrate", "--noinput", "-v0"), manage_job("load_demo")],
            timeout=600,
        )
        for result in results:
            assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
        app = App(env, work / "gunicorn.log", probe=process_probe).wait()
        server = front_server(app.port, media_root)
        yield lighthouse, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        if server is not None:
            server.shutdown()
        if app is not None:
            app.stop()
        with django_db_blocker.unblock():
            drop_database_copy(connection, url)


def test_lighthouse_scores(production_demo, artifacts_dir):
    lighthouse, base = production_demo
    node = shutil.which("node")
    if node is None:
        pytest.skip(f"node is not installed (Debian's nodejs; {INSTALLED_BY_CI})")
    urls = {
        f"{name}-{code}": base + path.format(code=code)
        for code in LANGUAGES
        for name, path in PAGES.items()
    }
    result = subprocess.run(
        [node, str(CHECKERS / "lighthouse.mjs"), *urls.values()],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=CHECKERS,
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
    )
    assert result.returncode == 0, result.stderr[-4000:]
    reports = json.loads(result.stdout)
    (Path(artifacts_dir) / "lighthouse.json").write_text(json.dumps(reports, indent=1))
    problems = []
    for name, url in urls.items():
        report = reports[url]
        assert report["runtimeError"] is None, (url, report["runtimeError"])
        wanted = {"accessibility": 100, "best-practices": 100, "seo": 100}
        if name.split("-")[0] in PERFORMANCE_CHECKED:
            wanted["performance"] = 90
        for category, minimum in wanted.items():
            score = report["scores"][category]
            if score < minimum:
                failing = "; ".join(report["failing"][category])
                problems.append(f"{name} {category} {score} < {minimum}: {failing}")
    scores = {name: reports[url]["scores"] for name, url in urls.items()}
    assert not problems, "\n".join(problems) + f"\nscores: {scores}"
