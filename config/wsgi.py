"""The WSGI application gunicorn serves.

Two kinds of request are answered before Django handles them, because on the bench
machine Django's request handling costs more than the answer itself
(`benchmarks/README.md`): static files, by the same WhiteNoise that Django's middleware
list holds (configured from the same settings), and anonymous views of a page the page
cache holds for the current epoch (`home.page_cache.cached`: the same lookup and the same
stored headers as `PageCacheMiddleware`, which serves them where this module is not in
use, e.g. the test client). Everything else goes to Django."""

import os
from http import HTTPStatus

from django.core.handlers.wsgi import WSGIRequest
from django.core.wsgi import get_wsgi_application
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
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    try:
        # Django's own request object, so the key is made exactly as for the middleware
        # (host checked against ALLOWED_HOSTS, scheme from the trusted proxy header).
        return page_cache.cached(WSGIRequest(environ))
    except Exception:
        # A bad Host header, say: Django answers it as it would any other request.
        return None


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
