"""The WSGI application (config/wsgi.py) answers static files and cached pages before
Django, with the same bytes and headers Django would send, and hands everything else to
Django."""

import gzip

import brotli
import pytest
from django.test import Client, RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

from config import wsgi
from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


class DjangoSentinel:
    """Stands in for Django's handler: records the requests that reached it."""

    def __init__(self):
        self.paths = []

    def __call__(self, environ, start_response):
        self.paths.append(environ["PATH_INFO"])
        start_response("418 I'm a teapot", [("Content-Type", "text/plain")])
        return [b"django"]


@pytest.fixture
def django_app(monkeypatch):
    sentinel = DjangoSentinel()
    monkeypatch.setattr(wsgi, "django_application", sentinel)
    return sentinel


@pytest.fixture
def about(home_in_all_languages):
    return StandardPageFactory(parent=home_in_all_languages["en"], title="About", slug="about")


def call(environ):
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    body = b"".join(wsgi.application(environ, start_response))
    return seen["status"], seen["headers"], body


def environ(path="/en/about/", method="GET", **extra):
    return getattr(RequestFactory(), method.lower())(path, **extra).environ


def test_a_cached_page_is_answered_before_django_with_the_headers_django_sent(about, django_app):
    miss = Client().get("/en/about/")
    assert miss["X-Page-Cache"] == "miss"

    status, headers, body = call(environ())

    assert django_app.paths == []
    assert status == "200 OK"
    assert body == miss.content
    sent = dict(headers)
    for name in (
        "Content-Type",
        "Content-Length",
        "Cache-Control",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert sent[name] == miss[name], name
    assert sent["X-Page-Cache"] == "hit"
    assert sent["X-Request-ID"] and sent["X-Request-ID"] != miss["X-Request-ID"]
    assert [name for name, _value in headers].count("X-Request-ID") == 1


def test_the_proxy_request_id_is_kept_when_well_formed(about, django_app):
    Client().get("/en/about/")
    kept = dict(call(environ(HTTP_X_REQUEST_ID="proxy-1234"))[1])
    forged = dict(call(environ(HTTP_X_REQUEST_ID="a b\nc"))[1])
    assert kept["X-Request-ID"] == "proxy-1234"
    assert forged["X-Request-ID"] != "a b\nc" and len(forged["X-Request-ID"]) == 32


def test_a_head_request_gets_the_headers_without_the_body(about, django_app):
    miss = Client().get("/en/about/")
    status, headers, body = call(environ(method="HEAD"))
    assert status == "200 OK"
    assert body == b""
    assert dict(headers)["Content-Length"] == str(len(miss.content))
    assert django_app.paths == []


@pytest.mark.parametrize(
    "request_environ",
    [
        pytest.param(lambda: environ(HTTP_COOKIE="sessionid=abc"), id="signed-in visitor"),
        pytest.param(lambda: environ(HTTP_COOKIE="messages=abc"), id="pending messages"),
        pytest.param(lambda: environ(HTTP_AUTHORIZATION="Basic eDp5"), id="authorization"),
        pytest.param(lambda: environ(method="POST"), id="POST"),
        pytest.param(lambda: environ(HTTP_HOST="evil.example"), id="host not allowed"),
        pytest.param(lambda: environ("/en/about/?preview=1&page=2"), id="another listing page"),
        pytest.param(lambda: environ("/admin/"), id="admin"),
    ],
)
def test_what_the_cache_must_not_answer_goes_to_django(about, django_app, request_environ):
    Client().get("/en/about/")
    status, _headers, body = call(request_environ())
    assert (status, body) == ("418 I'm a teapot", b"django")
    assert len(django_app.paths) == 1


def test_a_publish_sends_the_next_view_to_django(about, django_app):
    Client().get("/en/about/")
    about.title = "About us"
    about.save_revision().publish()
    call(environ())
    assert django_app.paths == ["/en/about/"]


def test_static_files_are_served_by_whitenoise_before_django(
    tmp_path, settings, monkeypatch, django_app
):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_bytes(b"body { color: black; }")
    settings.STATIC_ROOT = str(tmp_path)
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    monkeypatch.setattr(wsgi, "static_files", WhiteNoiseMiddleware())

    status, headers, body = call(environ("/static/css/site.css"))

    assert status == "200 OK"
    assert body == b"body { color: black; }"
    assert dict(headers)["Content-Type"].startswith("text/css")
    assert django_app.paths == []
    call(environ("/static/css/missing.css"))
    assert django_app.paths == ["/static/css/missing.css"]


def test_a_miss_seen_before_django_is_not_looked_up_again_and_is_stored(about, monkeypatch):
    from home import page_cache

    request = RequestFactory().get("/en/about/")
    assert page_cache.cached(request) is None
    epoch = request.META[page_cache.MISSED_UNDER]
    page_lookups = []
    real_lookup = page_cache._lookup

    def counting(key, timeout):
        if key.startswith("page:"):
            page_lookups.append(key)
        return real_lookup(key, timeout)

    monkeypatch.setattr(page_cache, "_lookup", counting)
    response = Client().get("/en/about/", **{page_cache.MISSED_UNDER: epoch})

    assert response["X-Page-Cache"] == "miss"
    assert page_lookups == []
    assert page_cache.cached(RequestFactory().get("/en/about/")) is not None


@pytest.mark.parametrize(
    ("accept_encoding", "coding", "decompress"),
    [
        ("gzip, deflate, br, zstd", "br", brotli.decompress),
        ("gzip, deflate", "gzip", gzip.decompress),
    ],
    ids=["browser over HTTPS", "browser over HTTP"],
)
def test_a_cached_page_is_sent_compressed_to_a_client_that_accepts_it(
    about, django_app, accept_encoding, coding, decompress
):
    miss = Client().get("/en/about/")
    assert "Content-Encoding" not in miss  # the test client accepts no coding

    status, headers, body = call(environ(HTTP_ACCEPT_ENCODING=accept_encoding))

    sent = dict(headers)
    assert django_app.paths == []
    assert status == "200 OK"
    assert sent["Content-Encoding"] == coding
    assert decompress(body) == miss.content
    assert len(body) < len(miss.content) / 3
    assert sent["Content-Length"] == str(len(body))
    assert [name.lower() for name, _value in headers].count("content-length") == 1
    assert "Accept-Encoding" in sent["Vary"]
    assert sent["Content-Security-Policy"] == miss["Content-Security-Policy"]


def test_a_client_that_accepts_no_coding_gets_the_page_as_stored(about, django_app):
    miss = Client().get("/en/about/")
    for accept_encoding in ("", "identity", "deflate"):
        _status, headers, body = call(environ(HTTP_ACCEPT_ENCODING=accept_encoding))
        assert body == miss.content
        assert "Content-Encoding" not in dict(headers)
        assert dict(headers)["Content-Length"] == str(len(miss.content))


def test_the_middleware_compresses_the_miss_and_its_hits_alike(about):
    """Where the WSGI front is not in use (the test client, a proxy's first fetch), the
    miss and the hits are compressed the same way."""
    from home import page_cache

    plain = Client().get("/en/about/", HTTP_ACCEPT_ENCODING="identity")

    page_cache.invalidate()
    page_cache._after_commit()
    first = Client().get("/en/about/", HTTP_ACCEPT_ENCODING="gzip")
    again = Client().get("/en/about/", HTTP_ACCEPT_ENCODING="gzip")
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    for response in (first, again):
        assert response["Content-Encoding"] == "gzip"
        assert response["Content-Length"] == str(len(response.content))
        assert gzip.decompress(response.content) == plain.content
        assert "Accept-Encoding" in response["Vary"]


# A plain request's key, made from the environ (config/wsgi.py `_plain_key`), is the key
# Django's request gives the middleware, for every way a host and scheme can arrive.
PLAIN_REQUESTS = {
    "host header": {},
    "host with a port": {"HTTP_HOST": "site.example:8000"},
    "no host header": {"SERVER_NAME": "site.example", "SERVER_PORT": "8000"},
    "https": {"wsgi.url_scheme": "https", "SERVER_PORT": "443"},
    "https from the proxy": {"HTTP_X_FORWARDED_PROTO": "https"},
    "http from the proxy": {"HTTP_X_FORWARDED_PROTO": "http", "wsgi.url_scheme": "https"},
    "forwarded host": {"HTTP_X_FORWARDED_HOST": "www.site.example"},
    "forwarded port": {"HTTP_X_FORWARDED_PORT": "8443", "HTTP_HOST": "site.example"},
    "urdu path": {"PATH_INFO": "/ur/تعارف/".encode().decode("latin-1")},
    "empty cookie header": {"HTTP_COOKIE": ""},
}
NOT_PLAIN = {
    "cookie": {"HTTP_COOKIE": "csrftoken=abc"},
    "query string": {"QUERY_STRING": "page=2"},
    "script prefix": {"SCRIPT_NAME": "/site"},
    "authorization": {"HTTP_AUTHORIZATION": "Basic eDp5"},
    "path not UTF-8": {"PATH_INFO": "/en/\xff/"},
    "host not allowed": {"HTTP_HOST": "evil.example"},
}
FRONT_SETTINGS = {
    "ALLOWED_HOSTS": ["site.example", "www.site.example", "testserver"],
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "USE_X_FORWARDED_HOST": True,
    "USE_X_FORWARDED_PORT": True,
}


@pytest.fixture
def front_settings(settings):
    for name, value in FRONT_SETTINGS.items():
        setattr(settings, name, value)


def plain_environ(**extra):
    values = {**environ(HTTP_HOST="site.example"), **extra}
    return {key: value for key, value in values.items() if value is not None}


@pytest.mark.parametrize("extra", PLAIN_REQUESTS.values(), ids=PLAIN_REQUESTS)
def test_a_plain_request_is_keyed_from_the_environ_as_django_keys_it(front_settings, extra):
    from django.core.handlers.wsgi import WSGIRequest

    from home import page_cache

    request_environ = plain_environ(**extra)
    made = wsgi._plain_key(request_environ)

    assert made is not None
    assert made == page_cache._entry_key(WSGIRequest(dict(request_environ)))


@pytest.mark.parametrize("extra", NOT_PLAIN.values(), ids=NOT_PLAIN)
def test_any_other_request_is_keyed_through_djangos_request(front_settings, extra):
    assert wsgi._plain_key(plain_environ(**extra)) is None


def test_a_host_refused_after_a_settings_change_is_not_remembered_as_allowed(settings):
    settings.ALLOWED_HOSTS = ["site.example"]
    assert wsgi._plain_key(plain_environ()) is not None
    settings.ALLOWED_HOSTS = ["other.example"]
    assert wsgi._plain_key(plain_environ()) is None


def test_a_plain_hit_makes_no_django_request(about, django_app, monkeypatch):
    Client().get("/en/about/")
    call(environ())  # Django's request made once for this host, then remembered
    made = []
    real = wsgi.WSGIRequest

    def counting(request_environ):
        made.append(request_environ.get("PATH_INFO"))
        return real(request_environ)

    monkeypatch.setattr(wsgi, "WSGIRequest", counting)
    for _ in range(3):
        status, headers, _body = call(environ())
        assert (status, dict(headers)["X-Page-Cache"]) == ("200 OK", "hit")
    assert made == []
    assert django_app.paths == []
