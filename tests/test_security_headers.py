"""Security headers on every response: a strict Content-Security-Policy on public pages
(and public pages that need nothing looser), a looser one only under /admin/, the
headers Django's SecurityMiddleware sends, HttpOnly cookies, and request ids.

Production-only headers (HSTS, upgrade-insecure-requests, Secure cookies) are checked
against the real production module in tests/test_production_settings.py."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import Page

from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_TEMPLATE_DIRS = [
    ROOT / "site" / "templates",
    ROOT / "home" / "templates",
    ROOT / "events" / "templates",
    ROOT / "forms_app" / "templates",
]
# `<script type="application/ld+json">` and other data blocks are not executed, so CSP
# does not apply to them.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
# HTML e-mails are not served over HTTP and need inline styles (mail clients drop <link>).
EMAIL_TEMPLATE_FOLDER = "emails"


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_public_page_has_a_strict_policy_and_the_standard_headers(client, home):
    response = client.get("/en/")
    assert response.status_code == 200
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    # Only our own admin may frame a page (Wagtail's preview panel); no other site.
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    # Only production (HTTPS) asks the browser to upgrade requests.
    assert "upgrade-insecure-requests" not in csp

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/healthz", "/en/no-such-page/", "/", "/sitemap.xml"])
def test_every_kind_of_response_carries_the_headers(client, home, path):
    response = client.get(path)
    assert "Content-Security-Policy" in response, path
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_admin_gets_the_looser_policy_and_keeps_the_rest_locked(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    csp = csp_directives(response)
    assert "'unsafe-inline'" in csp["script-src"]
    assert "'unsafe-inline'" in csp["style-src"]
    assert "blob:" in csp["img-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    # Wagtail's page preview frames the admin's own preview view.
    assert csp["frame-ancestors"] == ["'self'"]


def test_admin_policy_does_not_leak_to_paths_that_merely_start_alike(client, home):
    """`/administration` or `/en/admin/` is not the admin."""
    response = client.get("/en/admin/")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_csrf_and_session_cookies_are_httponly_and_admin_login_still_works():
    """CSRF_COOKIE_HTTPONLY: JavaScript cannot read the cookie, so the token must come
    from the page. Wagtail's login form and admin JS (wagtailConfig.CSRF_TOKEN) take it
    from the DOM; a real CSRF-checked login proves the round trip works."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-123-long")
    browser = Client(enforce_csrf_checks=True)
    login_page = browser.get("/admin/login/")
    csrf_cookie = login_page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["httponly"] is True
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)

    response = browser.post(
        "/admin/login/",
        {"username": "boss", "password": "pw-123-long", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.content[:500]
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"] is True

    dashboard = browser.get("/admin/")
    assert dashboard.status_code == 200
    assert '"CSRF_TOKEN"' in dashboard.text  # where the admin's JavaScript reads it

    refused = Client(enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "boss", "password": "pw-123-long"}
    )
    assert refused.status_code == 403


def test_sessions_are_stored_in_the_cache_and_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


# No inline code on public pages ------------------------------------------------------------


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline `<script>` (not data blocks),
    `<style>` elements, `style="…"` attributes, `on…=` handlers and `javascript:` URLs."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        script_type = (attrs.get("type") or "").lower()
        if tag == "script" and "src" not in attrs and script_type not in DATA_SCRIPT_TYPES:
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs.items():
            if name == "style":
                self.found.append(f'style="{value}" on <{tag}> at line {self.getpos()[0]}')
            elif name.startswith("on"):
                self.found.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
            elif name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")


def inline_code(html):
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_catches_what_csp_blocks():
    """Negative control for the two tests below."""
    html = (
        '<script>alert(1)</script><script type="application/ld+json">{}</script>'
        '<script src="/static/x.js"></script><p style="color:red" onclick="x()">'
        '<a href="javascript:x()">x</a><style>p{}</style>'
    )
    found = inline_code(html)
    assert len(found) == 5, found


def test_public_templates_have_no_inline_scripts_or_styles():
    scanned = 0
    problems = []
    for folder in PUBLIC_TEMPLATE_DIRS:
        for template in sorted(folder.rglob("*.html")):
            if EMAIL_TEMPLATE_FOLDER in template.relative_to(folder).parts:
                continue
            scanned += 1
            for problem in inline_code(template.read_text(encoding="utf-8")):
                problems.append(f"{template.relative_to(ROOT)}: {problem}")
    assert scanned >= 10  # the scan really read the templates
    assert problems == []


def test_rendered_public_pages_have_no_inline_scripts_or_styles(client, home):
    """What the templates, blocks and template tags produce together, in each kind of
    page the home app serves (event pages are covered by the template scan above)."""
    StandardPageFactory(parent=home, title="About", slug="about")
    statuses = {
        "/en/": 200,
        "/en/about/": 200,
        "/en/search/?q=about": 200,
        "/en/no-such-page/": 404,
    }
    for path, status in statuses.items():
        response = client.get(path)
        assert response.status_code == status, path
        assert inline_code(response.text) == [], path
    assert Page.objects.live().count() >= 2
