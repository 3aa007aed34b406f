"""The real `config.settings.production` module, imported in a fresh process with the
environment a deployment would give it: the deploy checks pass, the security settings are
on, and each outside service (Redis, S3, the task database, a CDN) is switched on by its
variables and off without them. Plus gunicorn.conf.py and the services module itself."""

import json
import os
import runpy
import socket
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django_tasks import task

from config.settings import services
from tests.settings_probe import manage_job, python_job

ROOT = Path(__file__).resolve().parent.parent
STRONG_SECRET_KEY = "t3st-" + "k9Qz!x7Lp#2Wm@4Rv$8Ys%6Tu^1Ob&5Nc*3Ja(0Hd)" * 2
# Variables that would change what the settings resolve to; removed from the inherited
# environment so each test states exactly what it sets.
SERVICE_VARIABLES = (
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "TASKS_BACKEND",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "MEDIA_URL",
    "PUBLIC_BASE_URL",
    "WAGTAILADMIN_BASE_URL",
)
SERVICE_PREFIXES = ("AWS_", "FRONTEND_CACHE_")


def production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in SERVICE_VARIABLES and not key.startswith(SERVICE_PREFIXES)
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": STRONG_SECRET_KEY,
            "ALLOWED_HOSTS": "conference.example.org",
            "PUBLIC_BASE_URL": "https://conference.example.org",
            # Never the lead's PostgreSQL: an in-memory SQLite is enough to import and check.
            "DATABASE_URL": "sqlite:///:memory:",
        }
    )
    env.update(overrides)
    return env


@pytest.fixture(scope="module")
def probe(process_probe):
    """Runs code and `manage.py` commands as fresh processes with the production settings
    (tests/settings_probe.py), at a fraction of the cost of a new interpreter each: the
    run's one fork server (tests/fixtures.py)."""
    return process_probe


# The settings as Django reads them (the module evaluated under the environment, with
# Django's defaults); no app needs loading for that, so this is cheap. Starting the apps
# under production settings is covered by the tests that run checks, requests and commands.
RESOLVE = """
import json
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "CACHES": settings.CACHES,
    "STORAGES": settings.STORAGES,
    "TASKS": settings.TASKS,
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "INSTALLED_APPS": settings.INSTALLED_APPS,
    "WAGTAILFRONTENDCACHE": getattr(settings, "WAGTAILFRONTENDCACHE", None),
    "CSP": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "CSRF_COOKIE_HTTPONLY": settings.CSRF_COOKIE_HTTPONLY,
    "SILENCED_SYSTEM_CHECKS": settings.SILENCED_SYSTEM_CHECKS,
}, default=str))
"""


def resolve(probe, **env):
    result = probe.run_python(RESOLVE, production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# check --deploy ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_deployment(probe):
    """`check --deploy`, then requests to the app, under the default production
    environment: one process for both, as they share that environment."""
    check, requests = probe.run(
        production_env(),
        [manage_job("check", "--deploy", "--fail-level", "WARNING"), python_job(REQUESTS)],
        timeout=180,
    )
    return {"check": check, "requests": requests}


def test_check_deploy_passes_at_warning_level_with_only_the_documented_silence(
    default_deployment,
):
    result = default_deployment["check"]
    assert result.returncode == 0, result.stdout + result.stderr
    # security.W021 (HSTS preload) is the one documented exception (production.py).
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_check_deploy_has_nothing_silenced_once_preload_is_chosen(probe):
    env = production_env(SECURE_HSTS_PRELOAD="true")
    result = probe.manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_catches_an_insecure_setting(probe):
    """Negative control: the check really runs against our module and fails on a warning."""
    env = production_env(SECURE_SSL_REDIRECT="false")
    result = probe.manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(probe):
    result = probe.run_python("import django; django.setup()", production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


@pytest.mark.parametrize(
    "secret",
    [
        "dev-only-insecure-key-change-me",
        "change-me-to-a-long-random-string",  # the value in .env.example
        "a-short-but-random-Zq8#kP2!",
        "x" * 80,
    ],
)
def test_production_refuses_a_weak_secret_key(probe, secret):
    result = probe.run_python("import django; django.setup()", production_env(SECRET_KEY=secret))
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_the_example_environment_has_no_usable_secret_key(probe):
    example = (ROOT / ".env.example").read_text()
    key = next(
        line.split("=", 1)[1] for line in example.splitlines() if line.startswith("SECRET_KEY=")
    )
    result = probe.run_python("import django; django.setup()", production_env(SECRET_KEY=key))
    assert result.returncode != 0


@pytest.mark.parametrize("address", [None, "", "conference.example.org", "https://x.org/path"])
def test_production_refuses_to_start_without_a_public_address(probe, address):
    env = production_env()
    env.pop("PUBLIC_BASE_URL")
    if address is not None:
        env["PUBLIC_BASE_URL"] = address
    result = probe.run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL must be set" in result.stderr


PUBLIC_ADDRESSES = """
import django, json
django.setup()
from django.test import RequestFactory
from django.conf import settings
from home.addresses import absolute
print(json.dumps([settings.WAGTAILADMIN_BASE_URL, absolute("/en/event/"), absolute("https://cdn.example.org/a.jpg")]))
"""


def test_one_public_address_for_emails_calendars_and_structured_data(probe):
    result = probe.run_python(
        PUBLIC_ADDRESSES, production_env(PUBLIC_BASE_URL="https://wkdc.example.org/")
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "https://wkdc.example.org",
        "https://wkdc.example.org/en/event/",
        "https://cdn.example.org/a.jpg",
    ]


# Security settings and headers from the real module -------------------------------------------


def test_production_security_settings(probe):
    resolved = resolve(probe)
    assert resolved["DEBUG"] is False
    assert resolved["SECURE_SSL_REDIRECT"] is True
    assert resolved["SECURE_HSTS_SECONDS"] >= 31536000
    assert resolved["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert resolved["SESSION_COOKIE_SECURE"] is True
    assert resolved["SESSION_COOKIE_HTTPONLY"] is True
    assert resolved["CSRF_COOKIE_SECURE"] is True
    assert resolved["CSRF_COOKIE_HTTPONLY"] is True
    assert resolved["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]
    assert resolved["CSP"]["upgrade-insecure-requests"] is True
    assert resolved["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    shared = resolve(probe, REDIS_URL="redis://cache.internal:6379/2")
    assert shared["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert (
        resolved["STORAGES"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


REQUESTS = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="conference.example.org")
secure = client.get("/healthz", secure=True)
plain_probe = client.get("/healthz")
plain_page = client.get("/en/")
print(json.dumps({
    "secure_status": secure.status_code,
    "secure_headers": dict(secure.headers),
    "plain_probe_status": plain_probe.status_code,
    "plain_page_status": plain_page.status_code,
    "plain_page_location": plain_page.get("Location"),
    "plain_headers": dict(plain_probe.headers),
}))
"""


def test_production_responses_carry_hsts_and_upgrade_and_redirect_to_https(default_deployment):
    result = default_deployment["requests"]
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["secure_status"] == 200
    headers = out["secure_headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "upgrade-insecure-requests" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    # Plain http: pages redirect to https, health probes are answered as they are.
    assert out["plain_page_status"] == 301
    assert out["plain_page_location"] == "https://conference.example.org/en/"
    assert out["plain_probe_status"] == 200
    # Browsers ignore HSTS over http; Django does not send it there.
    assert "Strict-Transport-Security" not in out["plain_headers"]


# The switches: without variables, everything stays local -------------------------------------


def test_without_service_variables_everything_is_local(probe):
    resolved = resolve(probe)
    assert resolved["CACHES"]["default"]["BACKEND"] == services.LOCAL_MEMORY_CACHE
    # A per-process cache cannot hold sessions for several processes.
    assert resolved["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert resolved["STORAGES"]["default"] == {"BACKEND": services.FILE_STORAGE}
    # Emails are queued in the database for the worker, never sent in the request.
    assert resolved["TASKS"]["default"]["BACKEND"] == services.DATABASE_TASKS
    assert resolved["INSTALLED_APPS"].count(services.DATABASE_TASKS_APP) == 1
    assert resolved["WAGTAILFRONTENDCACHE"] is None
    assert services.FRONTEND_CACHE_APP not in resolved["INSTALLED_APPS"]
    assert resolved["CSP"]["img-src"] == ["'self'", "data:"]


def test_tasks_can_still_run_in_the_request(probe):
    resolved = resolve(probe, TASKS_BACKEND="immediate")
    assert resolved["TASKS"]["default"]["BACKEND"] == services.IMMEDIATE_TASKS
    assert services.DATABASE_TASKS_APP not in resolved["INSTALLED_APPS"]


def test_every_service_switched_on_by_its_variables(probe):
    resolved = resolve(
        probe,
        REDIS_URL="redis://cache.internal:6379/2",
        AWS_STORAGE_BUCKET_NAME="conference-media",
        AWS_S3_ENDPOINT_URL="https://s3.eu-central-1.example.net",
        AWS_S3_REGION_NAME="eu-central-1",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
        AWS_S3_CUSTOM_DOMAIN="media.conference.example.org",
        TASKS_BACKEND="database",
        FRONTEND_CACHE_BACKEND="http",
        FRONTEND_CACHE_LOCATION="http://varnish.internal:6081",
    )
    cache = resolved["CACHES"]["default"]
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"

    media = resolved["STORAGES"]["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"] == {
        "bucket_name": "conference-media",
        "file_overwrite": False,
        "querystring_auth": False,
        "default_acl": None,
        "location": "",
        "endpoint_url": "https://s3.eu-central-1.example.net",
        "region_name": "eu-central-1",
        "access_key": "AKIAEXAMPLE",
        "secret_key": "not-a-real-secret",
        "custom_domain": "media.conference.example.org",
    }
    # Static files stay with whitenoise whatever the media storage.
    assert (
        resolved["STORAGES"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "https://media.conference.example.org" in resolved["CSP"]["img-src"]

    assert resolved["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in resolved["INSTALLED_APPS"]

    assert resolved["WAGTAILFRONTENDCACHE"] == {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://varnish.internal:6081",
        }
    }
    assert "wagtail.contrib.frontend_cache" in resolved["INSTALLED_APPS"]


S3_URLS = """
import json, django
django.setup()
from django.core.files.storage import default_storage
from wagtail.contrib.frontend_cache.utils import get_backends
print(json.dumps({
    "storage": type(default_storage._wrapped if hasattr(default_storage, "_wrapped")
                    else default_storage).__module__,
    "url": default_storage.url("images/poster.jpg"),
    "frontend_cache": {name: type(b).__name__ for name, b in get_backends().items()},
}))
"""


def test_s3_storage_and_cloudflare_purge_are_really_built_from_the_variables(probe):
    """The storage and purge backends Django and Wagtail build (no network needed: URLs on
    a custom domain are made locally)."""
    env = production_env(
        AWS_STORAGE_BUCKET_NAME="conference-media",
        AWS_S3_REGION_NAME="eu-central-1",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
        AWS_S3_CUSTOM_DOMAIN="media.conference.example.org",
        FRONTEND_CACHE_BACKEND="cloudflare",
        FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN="cf-token",
        FRONTEND_CACHE_CLOUDFLARE_ZONEID="zone-123",
    )
    result = probe.run_python(S3_URLS, env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["storage"] == "storages.backends.s3"
    assert out["url"] == "https://media.conference.example.org/images/poster.jpg"
    assert out["frontend_cache"] == {"default": "CloudflareBackend"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be"),
        ({"FRONTEND_CACHE_BACKEND": "http"}, "needs FRONTEND_CACHE_LOCATION"),
        ({"FRONTEND_CACHE_BACKEND": "cloudflare"}, "needs FRONTEND_CACHE_CLOUDFLARE"),
        ({"FRONTEND_CACHE_BACKEND": "akamai"}, "FRONTEND_CACHE_BACKEND must be"),
    ],
)
def test_misconfigured_services_fail_at_start_with_a_clear_message(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        services.tasks(env)
        services.frontend_cache(env)


def test_media_origins_follow_the_storage():
    assert services.media_origins({}) == []
    assert services.media_origins(
        {"AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_ENDPOINT_URL": "https://minio.local:9000/x"}
    ) == ["https://minio.local:9000"]
    assert services.media_origins({"AWS_STORAGE_BUCKET_NAME": "b"}) == ["https://*.amazonaws.com"]
    assert services.media_origins({"MEDIA_URL": "https://cdn.example.org/media/"}) == [
        "https://cdn.example.org"
    ]


# Redis, for real --------------------------------------------------------------------------------

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_reachable():
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(
    not redis_reachable(),
    reason=f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}: start redis-server "
    "(CI machines run it) to test the shared cache and sessions",
)

WRITE_SESSION = """
import django
django.setup()
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache
cache.set("shared-key", "written by process one", 60)
session = SessionStore()
session["language"] = "ur"
session.save()
print(session.session_key)
"""

READ_SESSION = """
import json, sys, django
django.setup()
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache
from django.db import connection
session = SessionStore(session_key=sys.argv[1])
with connection.execute_wrapper(lambda *a: (_ for _ in ()).throw(AssertionError("db hit"))):
    language = session.get("language")
from django.core.cache import caches
print(json.dumps({"cache": cache.get("shared-key"), "session_language": language,
                  "backend": type(caches["default"]).__module__}))
"""


@needs_redis
def test_two_processes_share_cache_and_sessions_through_redis(probe, tmp_path):
    """Process one writes a cache value and a session; process two, with its own memory,
    reads both from Redis, and the session without touching its (empty) database."""
    env = production_env(
        REDIS_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
        CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex}",
        DATABASE_URL=f"sqlite:///{tmp_path / 'one.sqlite3'}",
    )
    # Process one migrates, then writes (one process: the same environment).
    migrate, writer = probe.run(
        env, [manage_job("migrate", "sessions", "--noinput"), python_job(WRITE_SESSION)]
    )
    assert migrate.returncode == 0, migrate.stderr
    assert writer.returncode == 0, writer.stderr
    session_key = writer.stdout.strip().splitlines()[-1]

    # Process two: another (empty, unmigrated) database, so only Redis can answer.
    reader_env = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'two.sqlite3'}"}
    reader = probe.run_python(READ_SESSION, reader_env, session_key)
    assert reader.returncode == 0, reader.stderr
    out = json.loads(reader.stdout.strip().splitlines()[-1])
    assert out == {
        "cache": "written by process one",
        "session_language": "ur",
        "backend": "django_redis.cache",
    }


HEALTH = """
import json, django
django.setup()
from django.test import Client
response = Client(HTTP_HOST="conference.example.org").get("/healthz", secure=True)
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


@needs_redis
def test_healthz_with_redis_up_is_ok(probe):
    env = production_env(
        REDIS_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
        CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex}",
    )
    result = probe.run_python(HEALTH, env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out == {"status": 200, "body": {"status": "ok", "database": "ok", "cache": "ok"}}


def test_healthz_with_redis_down_is_503_naming_the_cache(probe):
    """A real connection failure (nothing listens on port 1), not a mock."""
    env = production_env(REDIS_URL="redis://127.0.0.1:1/0", REDIS_CONNECT_TIMEOUT="0.5")
    result = probe.run_python(HEALTH, env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out == {"status": 503, "body": {"status": "error", "database": "ok", "cache": "error"}}


# Tasks through the database and its worker ------------------------------------------------------


@task()
def write_marker(path):
    """Enqueued by the test below and run by `manage.py db_worker` in another process."""
    Path(path).write_text("done by the worker", encoding="utf-8")


ENQUEUE = """
import json, sys, django
django.setup()
from tests.test_production_settings import write_marker
result = write_marker.enqueue(sys.argv[1])
print(json.dumps({"id": str(result.id), "status": str(result.status),
                  "backend": type(result.task.get_backend()).__name__}))
"""


def test_database_tasks_wait_for_the_worker_command(probe, tmp_path):
    env = production_env(
        TASKS_BACKEND="database", DATABASE_URL=f"sqlite:///{tmp_path / 'tasks.sqlite3'}"
    )
    marker = tmp_path / "marker.txt"
    # Migrate, then enqueue (one process: the same environment); the worker is another.
    migrate, enqueued = probe.run(
        env,
        [manage_job("migrate", "django_tasks_database", "--noinput"), python_job(ENQUEUE, marker)],
    )
    assert migrate.returncode == 0, migrate.stderr
    assert enqueued.returncode == 0, enqueued.stderr
    out = json.loads(enqueued.stdout.strip().splitlines()[-1])
    assert out["backend"] == "DatabaseBackend"
    assert out["status"].endswith("READY")
    assert not marker.exists()  # stored, not run in the request

    worker = probe.manage("db_worker", "--batch", "--no-startup-delay", env=env)
    assert worker.returncode == 0, worker.stderr
    assert marker.read_text(encoding="utf-8") == "done by the worker"


# gunicorn.conf.py --------------------------------------------------------------------------------


def load_gunicorn_conf(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "WEB_CONCURRENCY_MAX", "GUNICORN_THREADS", "PORT", "HOST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_workers_from_cpu_count_or_web_concurrency(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch)
    expected = min(os.cpu_count() + 1, 8)
    assert conf["workers"] == expected
    # Objects loaded before the fork are frozen out of the workers' collections.
    assert callable(conf["pre_fork"])
    assert conf["worker_class"] == "sync"
    assert conf["bind"] == "0.0.0.0:8000"
    assert conf["accesslog"] == "-"
    assert conf["timeout"] == 30
    assert conf["wsgi_app"] == "config.wsgi:application"

    conf = load_gunicorn_conf(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="4", PORT="9000")
    assert conf["workers"] == 3
    assert conf["threads"] == 4
    assert conf["worker_class"] == "gthread"
    assert conf["bind"] == "0.0.0.0:9000"


def test_gunicorn_access_log_has_no_client_address_or_query_string(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch)
    log_format = conf["access_log_format"]
    assert "%(h)s" not in log_format  # client address
    assert "%(r)s" not in log_format and "%(q)s" not in log_format  # query string
    assert "%(U)s" in log_format
    assert "%({x-request-id}o)s" in log_format
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_each_gunicorn_instance_has_its_own_control_socket(monkeypatch):
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/run/user/1000")
    first = load_gunicorn_conf(monkeypatch, PORT="8001")["control_socket"]
    second = load_gunicorn_conf(monkeypatch, PORT="8002")["control_socket"]
    assert first == "/run/user/1000/conference-gunicorn-0.0.0.0-8001.ctl"
    assert second != first
    off = load_gunicorn_conf(monkeypatch, GUNICORN_CONTROL_SOCKET="off")
    assert off["control_socket_disable"] is True
