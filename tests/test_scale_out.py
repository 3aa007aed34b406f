"""Two app processes (gunicorn, production settings) sharing PostgreSQL and Redis: the
registration capacity holds across both, and unpublishing through one invalidates the
page the other has cached.

Runs only on PostgreSQL with Redis reachable (REDIS_URL, default redis://127.0.0.1:6379/0):
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME pytest tests/test_scale_out.py`."""

import datetime as dt
import os
import secrets
import socket
import time
from urllib.parse import urlparse

import pytest
import redis
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from forms_app.models import Registration, RegistrationStatus
from tests.app_processes import (
    App,
    collect_static,
    cookies,
    csrf,
    post,
    production_env,
    register_at_once,
)
from tests.factories.events import EventPageFactory
from tests.factories.forms import RegistrationFormPageFactory

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
CAPACITY = 10
REGISTRANTS = 24


def _redis_reachable():
    url = urlparse(REDIS_URL)
    try:
        with socket.create_connection((url.hostname, url.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): app processes share the database",
    ),
    pytest.mark.skipif(not _redis_reachable(), reason=f"needs Redis at {REDIS_URL}"),
]


@pytest.fixture
def apps(transactional_db, tmp_path, static_root, process_probe):
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = collect_static(
        production_env(
            DATABASE_URL=database_url,
            REDIS_URL=REDIS_URL,
            CACHE_KEY_PREFIX=f"scaleout-{os.getpid()}-{secrets.token_hex(4)}",
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            TASKS_BACKEND="immediate",
            PAGE_CACHE_SECONDS=300,
            WEB_CONCURRENCY=3,
        ),
        static_root,
    )
    started = [App(env, tmp_path / f"gunicorn-{n}.log", probe=process_probe) for n in range(2)]
    try:
        for app in started:
            app.wait()
        yield started
    finally:
        for app in started:
            app.stop()
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{env['CACHE_KEY_PREFIX']}:*"):
            client.delete(key)


@pytest.fixture
def event_with_form(home):
    start = timezone.now() + dt.timedelta(days=60)  # registration closes when it starts
    event = EventPageFactory(
        parent=home,
        title="Scale Conference",
        slug="scale",
        start=start,
        end=start + dt.timedelta(days=1),
    )
    form = RegistrationFormPageFactory(
        parent=event,
        slug="register",
        capacity=CAPACITY,
        waiting_list=False,
        email_settings__organiser_addresses="",
    )
    form.save_revision().publish()
    return event, form


def test_capacity_holds_across_two_app_processes(apps, event_with_form):
    _event, form = event_with_form
    path = "/en/scale/register/"
    statuses = register_at_once(apps, path, REGISTRANTS, "registrant")

    assert sorted(statuses) == [303] * CAPACITY + [409] * (REGISTRANTS - CAPACITY)
    confirmed = Registration.objects.filter(page_id=form.pk, status=RegistrationStatus.CONFIRMED)
    assert confirmed.count() == CAPACITY
    # Both processes took registrations.
    assert {statuses[i] for i in range(0, REGISTRANTS, 2)} & {303}
    assert {statuses[i] for i in range(1, REGISTRANTS, 2)} & {303}


def test_unpublishing_through_one_process_invalidates_the_others_cache(apps, event_with_form):
    event, _form = event_with_form
    first, second = apps
    assert second.request("GET", "/en/scale/")[0].status == 200
    hit, body = second.request("GET", "/en/scale/")
    assert hit.getheader("X-Page-Cache") == "hit"
    assert b"Scale Conference" in body

    boss = get_user_model().objects.create_superuser("boss", "boss@example.org")
    # Hashed for the app processes' (production) hashers, not the tests' fast MD5.
    hasher = PBKDF2PasswordHasher()
    boss.password = hasher.encode("pw-scale-out", hasher.salt())
    boss.save()
    jar, token = csrf(first, "/admin/login/")
    response, _ = post(
        first,
        "/admin/login/",
        jar,
        {"username": "boss", "password": "pw-scale-out", "csrfmiddlewaretoken": token},
    )
    jar.update(cookies(response))
    assert "sessionid" in jar
    unpublish = f"/admin/pages/{event.pk}/unpublish/"
    jar, token = csrf(first, unpublish, jar)
    response, _ = post(first, unpublish, jar, {"csrfmiddlewaretoken": token})
    assert response.status == 302
    event.refresh_from_db()
    assert not event.live

    # The other process trusts the epoch it read for PAGE_CACHE_EPOCH_CHECK_SECONDS (1 s
    # by default): gone within that, not at once.
    started = time.monotonic()
    statuses = []
    while time.monotonic() - started < 3:
        statuses.append(second.request("GET", "/en/scale/")[0].status)
        if statuses[-1] == 404:
            break
        time.sleep(0.05)
    assert statuses[-1] == 404, statuses
    assert time.monotonic() - started < 1 + 1, "seen by the other process within ~1 s"
