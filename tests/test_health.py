"""`/healthz`: 200 with JSON when the database and the cache answer, 503 naming the one
that failed otherwise; never cached, outside the language prefix, exempt from the HTTPS
redirect."""

import json
import logging

import pytest
from django.db import connections
from django.test import override_settings

from config import health

pytestmark = pytest.mark.django_db


def test_healthy_returns_200_json_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control
    assert "max-age=0" in cache_control


def test_is_served_outside_the_language_prefix(client):
    """No redirect to /en/healthz: load balancers call the bare path."""
    response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 200
    assert "Location" not in response


def test_head_is_answered_for_probes_without_a_body(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


def test_post_is_refused(client):
    assert client.post("/healthz").status_code == 405


def _broken(name):
    def fail(*args, **kwargs):
        raise ConnectionError(f"{name} is down")

    return fail


def test_cache_failure_returns_503_naming_the_cache(client, monkeypatch, caplog):
    monkeypatch.setattr(health.cache, "set", _broken("cache"))
    with caplog.at_level(logging.ERROR, logger="config.health"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "ok", "cache": "error"}
    assert "no-store" in response["Cache-Control"]
    assert any("cache" in record.getMessage() for record in caplog.records)


def test_cache_that_loses_values_is_unhealthy(client, monkeypatch):
    """A cache that accepts writes but returns nothing (e.g. a full, evicting Redis or a
    dummy backend) cannot hold sessions: unhealthy."""
    monkeypatch.setattr(health.cache, "get", lambda *args, **kwargs: None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["cache"] == "error"


def test_database_failure_returns_503_naming_the_database(client, monkeypatch):
    monkeypatch.setattr(connections["default"], "cursor", _broken("database"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "error", "cache": "ok"}


def test_both_failing_are_both_reported(client, monkeypatch):
    monkeypatch.setattr(connections["default"], "cursor", _broken("database"))
    monkeypatch.setattr(health.cache, "set", _broken("cache"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "error",
        "database": "error",
        "cache": "error",
    }


def test_error_body_does_not_leak_exception_details(client, monkeypatch):
    monkeypatch.setattr(connections["default"], "cursor", _broken("secret-host:5432"))
    response = client.get("/healthz")
    assert b"secret-host" not in response.content


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$"])
def test_plain_http_probe_is_not_redirected_but_pages_are(client):
    """Production redirects http to https, except for /healthz (settings as in
    config.settings.production)."""
    assert client.get("/healthz").status_code == 200
    page = client.get("/en/")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")
