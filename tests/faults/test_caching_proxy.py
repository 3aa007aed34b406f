"""The production path for page caching: Varnish (config/varnish) in front of gunicorn,
keeping what the app marks shareable, purged by Wagtail's frontend cache on publish.

Needs Debian's `varnish` (installed by .ci/run)."""

import shutil
from pathlib import Path

import pytest

from tests.app_processes import (
    ROOT,
    App,
    collect_static,
    free_port,
    production_env,
    run_manage,
    run_python,
)

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"

pytestmark = pytest.mark.skipif(
    not Path(VARNISHD).exists(), reason="needs Varnish (apt-get install varnish)"
)


def get(proxy, path, headers=None):
    return proxy.request("GET", path, headers=headers)


@pytest.fixture(scope="module")
def proxied(site_database, static_root, tmp_path_factory, probe):
    """gunicorn with the production settings (no Redis: the app keeps no pages itself)
    purging a Varnish in front of it; yields (app env, proxy)."""
    logs = tmp_path_factory.mktemp("proxy")
    proxy_port = free_port()
    env = production_env(
        DATABASE_URL=site_database,
        PAGE_CACHE_SECONDS=300,
        WEB_CONCURRENCY=1,
        FRONTEND_CACHE_BACKEND="http",
        FRONTEND_CACHE_LOCATION=f"http://127.0.0.1:{proxy_port}",
    )
    collect_static(env, static_root)
    app = App(env, logs / "gunicorn.log", probe=probe)
    proxy = None
    try:
        app.wait()
        proxy = App(
            env,
            logs / "varnish.log",
            port=proxy_port,
            command=[
                str(ROOT / "config" / "varnish" / "run"),
                f"127.0.0.1:{proxy_port}",
                f"127.0.0.1:{app.port}",
            ],
        ).wait()
        yield env, proxy
    finally:
        if proxy is not None:
            proxy.stop()
        app.stop()


def test_the_proxy_keeps_pages_and_static_files(proxied):
    _env, proxy = proxied
    first, _ = get(proxy, "/en/about/")
    second, body = get(proxy, "/en/about/")
    assert first.status == second.status == 200
    assert "s-maxage=300" in second.getheader("Cache-Control")
    assert second.getheader("X-Proxy-Cache") == "hit"
    assert b"<title>About" in body
    # A tracking parameter is the same page.
    tracked, _ = get(proxy, "/en/about/?utm_source=newsletter")
    assert tracked.getheader("X-Proxy-Cache") == "hit"


def test_personal_requests_and_the_health_check_pass_through(proxied):
    _env, proxy = proxied
    get(proxy, "/en/about/")
    signed_in, _ = get(proxy, "/en/about/", headers={"Cookie": "sessionid=abc"})
    assert signed_in.getheader("X-Proxy-Cache") == "miss"
    for _ in range(2):
        health, _ = get(proxy, "/healthz")
    assert health.getheader("X-Proxy-Cache") == "miss"


def test_publishing_purges_the_proxy_through_the_worker(proxied, probe):
    """Publishing purges every page from the proxy (pages show one another: menus,
    listings); the purges are Wagtail tasks, sent by the worker beside the app, never in
    the editor's request."""
    env, proxy = proxied
    for path in ("/en/faults/", "/en/"):
        get(proxy, path)
    cached, before = get(proxy, "/en/faults/")
    assert cached.getheader("X-Proxy-Cache") == "hit"
    assert get(proxy, "/en/")[0].getheader("X-Proxy-Cache") == "hit"
    assert b"Renamed Fault Conference" not in before

    run_python(
        env,
        "from wagtail.models import Page\n"
        "page = Page.objects.get(slug='faults', locale__language_code='en').specific\n"
        "page.title = 'Renamed Fault Conference'\n"
        "page.save_revision().publish()\n",
        probe=probe,
    )
    assert get(proxy, "/en/faults/")[0].getheader("X-Proxy-Cache") == "hit"

    run_manage(env, "run_worker", "--once", probe=probe)
    fresh, after = get(proxy, "/en/faults/")
    assert fresh.getheader("X-Proxy-Cache") == "miss"
    assert b"Renamed Fault Conference" in after
    assert get(proxy, "/en/")[0].getheader("X-Proxy-Cache") == "miss"
