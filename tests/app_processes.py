"""Real app processes for tests: gunicorn with the production settings, `manage.py`
commands, and plain HTTP to them (no test client), against a database the test suite
made.

`copy_test_database()` gives such processes a database of their own: a copy of the
migrated test database (SQLite's backup API, or PostgreSQL's `CREATE DATABASE … TEMPLATE`),
so they cost no second `migrate` and never see or leave data in the tests' database."""

import http.client
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from tests.helpers import ROOT, manage
from tests.settings_probe import Spawned, python_job

STRONG_SECRET_KEY = secrets.token_urlsafe(50)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**overrides):
    """The environment of an app process: production settings over plain http on loopback,
    quiet logs, and whatever the test overrides (DATABASE_URL at least)."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The shell's choices must not leak into the process under test.
        if not key.startswith(("REDIS_", "EMAIL_", "TASKS_", "PAGE_CACHE_", "CACHE_"))
        and key not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": STRONG_SECRET_KEY,
            "PUBLIC_BASE_URL": "https://conference.example.org",
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "REGISTRATION_RATE_LIMIT": "100000/60",
            "GUNICORN_LOG_LEVEL": "warning",
            "LOG_LEVEL": "WARNING",
            # A worker under test sends at once, however busy the suite keeps the CPUs
            # (holding emails on a busy machine: tests/forms/test_worker_pace.py).
            "OUTBOX_BUSY_CPU_PERCENT": "100",
        }
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


# `collectstatic` with the production storage (hashed names, the manifest, the gzip copies),
# less its Brotli copies: WhiteNoise writes them only for clients that send
# `Accept-Encoding: br`, which the tests' HTTP clients never do, and Brotli at its highest
# quality cost six times the rest of the collection (about 15 CPU-seconds).
COLLECT_STATIC = """
import whitenoise.compress
whitenoise.compress.brotli_installed = False
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
"""


def collect_static(env, static_root, probe=None):
    """The production settings serve hashed static files from a manifest: collected into
    `static_root` unless it holds them already (COLLECT_STATIC)."""
    env["STATIC_ROOT"] = str(static_root)
    if not (Path(static_root) / "staticfiles.json").exists():
        run_python(env, COLLECT_STATIC, probe=probe)
    return env


def run_python(env, code, timeout=120, probe=None):
    """Run `code` in a fresh Python process with Django set up under `env`: a new
    interpreter, or a fresh child of `probe` (tests/settings_probe.py), which costs a third
    of one."""
    code = "import django; django.setup()\n" + code
    if probe is not None:
        result = probe.run_python(code, env, timeout=timeout)
    else:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


def run_manage(env, *args, timeout=180, probe=None):
    """`manage.py *args` in a fresh process under `env` (a child of `probe` if given);
    fails the test if it fails."""
    if probe is None:
        result = manage(*args, env=env, timeout=timeout)
    else:
        result = probe.manage(*args, env=env, timeout=timeout)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return result.stdout


# What the `gunicorn` script runs (its entry point), for a gunicorn started by the probe.
GUNICORN = """
import sys
from gunicorn.app.wsgiapp import run
sys.argv = {argv!r}
sys.exit(run())
"""


class App:
    """One gunicorn instance (gunicorn.conf.py) on its own port, its output in `log`; or,
    with `command`, another server in front of the app (Varnish, config/varnish/run).

    With `probe` (tests/settings_probe.py), gunicorn is started as a fresh child of the
    probe instead of a new interpreter: the same gunicorn (its entry point, the same
    arguments and environment, a session of its own), master and forked workers, on a real
    socket, for a third of the cost of starting Python with Django's libraries."""

    def __init__(self, env, log_path, port=None, command=None, probe=None):
        self.port = port or free_port()
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop())
        gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py"]
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        if probe is not None and command is None:
            job = python_job(GUNICORN.format(argv=gunicorn))
            self.proc = Spawned(probe.spawn(env, job, self.log_path), gunicorn)
            return
        self.proc = subprocess.Popen(
            command or gunicorn,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.proc.args[0]} exited: {self.log()[-3000:]}")
            try:
                self.request("GET", "/healthz", timeout=5)
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.proc.args[0]} did not start: {self.log()[-3000:]}")

    def request(self, method, path, body=None, headers=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        return response, data

    def log(self):
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


def cookies(response):
    jar = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar):
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in (jar or {}).items())}


def csrf(app, path, jar=None):
    """GET `path` and return (cookies, the form's CSRF token)."""
    response, body = app.request("GET", path, headers=cookie_header(jar))
    assert response.status == 200, (response.status, body[:2000])
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert match, body.decode()[-3000:]
    return {**(jar or {}), **cookies(response)}, match.group(1).decode()


def post(app, path, jar, data, timeout=60):
    return app.request(
        "POST",
        path,
        body=urlencode(data, doseq=True),
        headers={"Content-Type": "application/x-www-form-urlencoded", **cookie_header(jar)},
        timeout=timeout,
    )


# A database of their own -------------------------------------------------------------------


def copy_test_database(connection, directory):
    """Copy the (migrated, empty) test database for app processes; returns its
    DATABASE_URL. Call with the database unblocked and outside any test transaction."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = Path(directory) / "site.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return f"sqlite:///{path}"
    if connection.vendor == "postgresql":
        name = f"{settings['NAME']}_copy_{os.getpid()}_{secrets.token_hex(3)}"
        source = settings["NAME"]
        connection.close()  # a template database must have no other sessions
        _on_server_database(connection, f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        host = settings["HOST"] or "127.0.0.1"
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        return f"postgres://{settings['USER']}{password}@{host}:{settings['PORT'] or 5432}/{name}"
    raise NotImplementedError(connection.vendor)


def drop_database_copy(connection, url):
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        _on_server_database(connection, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _on_server_database(connection, statement):
    """Run `statement` (CREATE or DROP DATABASE, which cannot run in a transaction or in
    the database concerned) on the server's `postgres` database, with psycopg2 itself."""
    import psycopg2

    settings = connection.settings_dict
    server = psycopg2.connect(
        dbname="postgres",
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    try:
        server.autocommit = True
        with server.cursor() as cursor:
            cursor.execute(statement)
    finally:
        server.close()


def register_at_once(apps, path, count, email_prefix):
    """`count` registrants, each with their own form (the n-th on `apps[n % len(apps)]`),
    sending it at the same moment (a barrier). Returns the n-th registrant's status."""
    forms = [(apps[n % len(apps)], *csrf(apps[n % len(apps)], path)) for n in range(count)]
    barrier = threading.Barrier(count)
    statuses = [None] * count

    def register(n):
        app, jar, token = forms[n]
        data = {
            "csrfmiddlewaretoken": token,
            "name": f"Registrant {n}",
            "email": f"{email_prefix}{n}@example.org",
            "consent": "on",
        }
        barrier.wait()
        statuses[n] = post(app, path, jar, data)[0].status

    threads = [threading.Thread(target=register, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses
