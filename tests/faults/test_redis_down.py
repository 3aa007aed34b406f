"""Redis unreachable: the site keeps serving and registering (the cache degrades to none,
the rate limit fails open and says so once), and /healthz reports the cache."""

import json
import time

from django.core.cache import caches
from django.test import override_settings

from config import redis_client
from config.settings import services
from forms_app.models import Registration
from tests.app_processes import App, csrf, free_port, post
from tests.faults.servers import Silent
from tests.faults.site import FORM_PATH


def test_pages_and_registrations_work_while_redis_is_down(app_env, site_db, probe, tmp_path):
    closed_port = free_port()  # nothing listens there
    env = app_env(
        REDIS_URL=f"redis://127.0.0.1:{closed_port}/0",
        REGISTRATION_RATE_LIMIT="10/600",
        PAGE_CACHE_SECONDS=300,
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        TASKS_BACKEND="immediate",
        WEB_CONCURRENCY=1,
    )
    app = App(env, tmp_path / "gunicorn.log", probe=probe).wait()
    try:
        for path in ("/en/", "/en/about/", "/en/faults/", FORM_PATH, "/en/search/?q=fault"):
            response, body = app.request("GET", path)
            assert response.status == 200, (path, body[-2000:])
            assert "X-Page-Cache" not in response.headers  # not cached, not failing

        for n in range(3):
            jar, token = csrf(app, FORM_PATH)
            response, _ = post(
                app,
                FORM_PATH,
                jar,
                {
                    "csrfmiddlewaretoken": token,
                    "name": f"Redis Down {n}",
                    "email": f"redis.down.{n}@example.org",
                    "consent": "on",
                },
            )
            assert response.status == 303
            thanks, _ = app.request("GET", response.getheader("Location"), headers={})
            assert thanks.status == 200
        assert (
            Registration.objects.using(site_db).filter(email__startswith="redis.down.").count() == 3
        )

        response, body = app.request("GET", "/healthz")
        assert response.status == 503
        assert json.loads(body) == {"status": "error", "database": "ok", "cache": "error"}

        log = app.log()
        assert "Internal Server Error" not in log
        assert log.count("Rate limit off") == 1, log[-3000:]
    finally:
        app.stop()


def test_a_redis_that_never_answers_costs_one_timeout_not_one_per_call():
    """Connected but silent (a hung Redis): the first call waits for REDIS_TIMEOUT, the
    ones after it fail at once until REDIS_RETRY_SECONDS have passed."""
    with Silent() as hung_redis:
        config = services.caches(
            {
                "REDIS_URL": f"redis://127.0.0.1:{hung_redis.port}/0",
                "REDIS_TIMEOUT": "0.5",
                "REDIS_CONNECT_TIMEOUT": "0.5",
                "REDIS_RETRY_SECONDS": "30",
            }
        )
        redis_client.reset()
        with override_settings(CACHES=config):
            cache = caches["default"]
            started = time.monotonic()
            assert cache.get("anything") is None
            first = time.monotonic() - started
            started = time.monotonic()
            for n in range(50):
                assert cache.get(f"key-{n}") is None
                cache.set(f"key-{n}", n)
            rest = time.monotonic() - started
        redis_client.reset()
    assert 0.4 < first < 10
    assert rest < 0.5, rest
