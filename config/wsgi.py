"""The WSGI application gunicorn serves.

Two kinds of request are answered before Django handles them, because on the bench
machine Django's request handling costs more than the answer itself
(`benchmarks/README.md`): static files, by the same WhiteNoise that Django's middleware
list holds (configured from the same settings), and anonymous views of a page the page
cache holds for the current epoch (`home.page_cache.hit`: the same lookup and the same
stored headers as `PageCacheMiddleware`, which serves them where this module is not in
use, e.g. the test client). Everything else goes to Django.

A plain request for a page (no cookie, credentials or query string) is looked up without
making Django's request object: its key is made from the environ, with the scheme and host
Django's request gave for the same environ values (`_plain_key`). Any other request is
looked up through Django's request object, as the middleware does."""

import functools
import io
import os
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.core.wsgi import get_wsgi_application
from django.dispatch import receiver
from whitenoise import WhiteNoise
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.string_utils import decode_path_info

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

django_application = get_wsgi_application()

# After get_wsgi_application(), which sets Django up.
from config.middleware import REQUEST_ID_HEADER, request_id_from  # noqa: E402
from home import page_cache  # noqa: E402

static_files = WhiteNoiseMiddleware()
_OK = f"{HTTPStatus.OK.value} {HTTPStatus.OK.phrase}"


def application(environ, start_response):
    static_file = static_files.files.get(decode_path_info(environ.get("PATH_INFO", "")))
    if static_file is not None:
        return WhiteNoise.serve(static_file, environ, start_response)
    hit = _cached_page(environ)
    if hit is None:
        return django_application(environ, start_response)
    content, headers = hit
    request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
    start_response(_OK, [*headers, (REQUEST_ID_HEADER, request_id)])
    return [b"" if environ["REQUEST_METHOD"] == "HEAD" else content]


def _cached_page(environ):
    ttl = page_cache.seconds()
    if (
        environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
        or not ttl
        or not page_cache.under_language_prefix(environ.get("PATH_INFO", ""))
    ):
        return None
    key = _plain_key(environ)
    if key is not None:
        return page_cache.hit(key, environ, ttl)
    try:
        # Django's own request object, so the key is made exactly as for the middleware
        # (host checked against ALLOWED_HOSTS, scheme from the trusted proxy header).
        return page_cache.cached(WSGIRequest(environ))
    except Exception:
        # A bad Host header, say: Django answers it as it would any other request.
        return None


def _plain_key(environ):
    """The page-cache key of a plain request (no cookie, credentials, query string or
    script prefix; a UTF-8 path), made from the environ; None for any other request, which
    is looked up through Django's request object. Making Django's request and its host
    cost a cached page more than half of its time in process (benchmarks/README.md), and
    the scheme and host depend only on a few environ values a site sees few of: they are
    made by Django once for each set of those values (`_origin`)."""
    if (
        environ.get("HTTP_COOKIE")
        or "HTTP_AUTHORIZATION" in environ
        or environ.get("QUERY_STRING")
        or environ.get("SCRIPT_NAME")
        or "SCRIPT_URL" in environ
        or "REDIRECT_URL" in environ
        or settings.FORCE_SCRIPT_NAME is not None
    ):
        return None
    try:
        # WSGI gives the path's bytes as latin-1; Django decodes them as UTF-8.
        path = (environ.get("PATH_INFO") or "/").encode("latin-1").decode()
    except UnicodeError:
        return None
    origin = _origin(tuple((name, environ[name]) for name in _origin_keys() if name in environ))
    return None if origin is None else page_cache.entry_key(origin, path)


@functools.cache
def _origin_keys():
    """The environ values Django's `request.scheme` and `request.get_host()` read."""
    keys = ["wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT"]
    if settings.SECURE_PROXY_SSL_HEADER:
        keys.append(settings.SECURE_PROXY_SSL_HEADER[0])
    if settings.USE_X_FORWARDED_HOST:
        keys.append("HTTP_X_FORWARDED_HOST")
    if settings.USE_X_FORWARDED_PORT:
        keys.append("HTTP_X_FORWARDED_PORT")
    return tuple(keys)


# Bounded: a client choosing Host headers can only turn older ones out.
@functools.lru_cache(maxsize=64)
def _origin(values):
    """ "scheme://host" as Django's request makes them from the environ `values`, or None
    when Django refuses the host (it then answers the request itself, with a 400)."""
    request = WSGIRequest({**dict(values), "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()})
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return None


@receiver(setting_changed)
def _forget_origins(setting, **kwargs):
    if setting in _ORIGIN_SETTINGS:
        _origin_keys.cache_clear()
        _origin.cache_clear()


_ORIGIN_SETTINGS = {
    "ALLOWED_HOSTS",
    "DEBUG",
    "SECURE_PROXY_SSL_HEADER",
    "USE_X_FORWARDED_HOST",
    "USE_X_FORWARDED_PORT",
}


# Templates every public page renders, compiled once before gunicorn forks its workers.
_TEMPLATES = (
    "base.html",
    "home/home_page.html",
    "home/standard_page.html",
    "events/event_page.html",
    "events/event_index_page.html",
    "forms_app/registration_form_page.html",
    "404.html",
)


def warm():
    """What a worker would otherwise do on its first requests, done once in gunicorn's
    master before it forks (gunicorn.conf.py, `when_ready`): every worker, including one
    that replaces a recycled worker, starts with the URL patterns resolved, the message
    catalogues of every language loaded and the page templates compiled, so its first
    page is no slower than the others. Touches no database connection (the workers must
    not share one)."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (imports every URLconf)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Register")
    for name in _TEMPLATES:
        get_template(name)
