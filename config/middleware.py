"""Site-wide middleware: request ids, the Content-Security-Policy, and refusing form
bodies that are not valid UTF-8."""

import re
import secrets
from urllib.parse import unquote_to_bytes

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings

from config.errors import bad_request
from config.logging import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only when it looks like an id: anything else (too long, spaces,
# control characters) could forge log lines, so a fresh one is made instead.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_from(incoming):
    """The proxy's request id when it looks like one, else a new one."""
    return incoming if _VALID_REQUEST_ID.match(incoming) else secrets.token_hex(16)


class RequestIDMiddleware:
    """Takes the request id from the proxy (`X-Request-ID`) or makes one, exposes it as
    `request.request_id`, puts it on every log record made while the request runs (see
    `config.logging`) and returns it in the response's `X-Request-ID`, so a visitor's
    error report, the proxy's log and ours can be matched. First in `MIDDLEWARE`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER, ""))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response.headers[REQUEST_ID_HEADER] = request_id
        return response


class HeadResponseMiddleware:
    """Answers HEAD requests without a body, as HTTP requires. Django's development server
    strips it itself; gunicorn drops it too, but logs a warning for every HEAD request
    (health probes and link checkers send many). Outermost, so `Content-Length` still
    says how long the GET body would be."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming:
            response.content = b""
        return response


def _is_admin_path(path):
    return path.startswith(settings.CSP_ADMIN_PATH_PREFIXES)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with a second, looser policy for the Wagtail admin.

    Public pages get `CONTENT_SECURITY_POLICY`: scripts and styles only from our own
    static files, no inline code. The Wagtail admin (and wagtail-localize's editor) still
    ship inline `<script>` blocks, inline `style` attributes and load images from other
    origins (avatars, S3 media), so paths under `CSP_ADMIN_PATH_PREFIXES` get
    `CONTENT_SECURITY_POLICY_ADMIN` instead. The admin is only reachable by signed-in
    staff and keeps every other directive (`object-src 'none'`, `base-uri`,
    `form-action`, `frame-ancestors 'self'`). A view decorated with django-csp's
    `@csp_override`/`@csp_update` still wins over both."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and _is_admin_path(request.path_info):
            admin = settings.CONTENT_SECURITY_POLICY_ADMIN
            if admin:
                parts = PolicyParts(
                    config=default_config(admin.get("DIRECTIVES", {})),
                    update=parts.update,
                    replace=parts.replace,
                    nonce=parts.nonce,
                )
        return parts


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class FormEncodingMiddleware:
    """Answers 400 to a public form POST whose body is not valid UTF-8.

    Django decodes form data with `errors="replace"`: invalid bytes would become U+FFFD
    and be stored in a registrant's name. Our pages are UTF-8 and send forms as UTF-8, so
    such a body comes from a broken client or a probe: it is refused before anything
    (the CSRF check included) reads it. The admin is left alone (its uploads are binary).
    Before `CsrfViewMiddleware`, after the locale middleware (the page is in the
    visitor's language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("POST", "PUT", "PATCH")
            and request.content_type in _FORM_TYPES
            and not _is_admin_path(request.path_info)
            and not self._valid(request)
        ):
            return bad_request(request)
        return self.get_response(request)

    def _valid(self, request):
        charset = (request.content_params.get("charset") or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            return False
        body = request.body  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (a 400 beyond)
        if request.content_type == "multipart/form-data":
            return _is_utf8(body)
        return _is_utf8(unquote_to_bytes(body.replace(b"+", b" ")))
