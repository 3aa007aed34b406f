"""Production: every secret from the environment, HTTPS assumed, compressed static files.

Behind a TLS-terminating proxy that sets `X-Forwarded-Proto`. `manage.py check --deploy
--fail-level WARNING` passes with these settings; the only silenced check is documented
below. `make serve` runs them locally (README, "Production")."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from . import services
from .base import *  # noqa: F403
from .base import (
    CACHES,
    CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY_ADMIN,
    DEV_VISA_DATA_KEY,
    INSTALLED_APPS,
    env_bool,
    env_list,
)

DEBUG = False

# A key that is short, or one copied from the examples, signs sessions, password resets and
# CSRF tokens that anyone could forge.
KNOWN_EXAMPLE_KEYS = {"change-me-to-a-long-random-string", "dev-only-insecure-key-change-me"}
MIN_SECRET_KEY_LENGTH = 50
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if (
    SECRET_KEY in KNOWN_EXAMPLE_KEYS
    or SECRET_KEY.startswith("dev-only")
    or len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak: use at least {MIN_SECRET_KEY_LENGTH} random characters, "
        "e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

# The public address every emailed link, calendar file and structured-data URL is built on
# (home/addresses.py). A default would silently send registrants to 127.0.0.1.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
_public = urlsplit(PUBLIC_BASE_URL)
if _public.scheme not in ("https", "http") or not _public.hostname or _public.path:
    raise ImproperlyConfigured(
        "PUBLIC_BASE_URL must be set in production to the site's public address, "
        "without a path, e.g. https://conference.example.org."
    )
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL)

# The keys that seal registrants' passport details (visa letters, forms_app/visa.py): from
# the environment only. Without one, registrants cannot ask for visa letters (the manage
# page and the admin say so) and nothing is stored; a listed key must be a Fernet key and
# not the public development key, or the site refuses to start.
VISA_DATA_KEYS = env_list("VISA_DATA_KEYS")
for _key in VISA_DATA_KEYS:
    if _key == DEV_VISA_DATA_KEY:
        raise ImproperlyConfigured("VISA_DATA_KEYS lists the public development key.")
    try:
        from cryptography.fernet import Fernet

        Fernet(_key.encode())
    except ValueError:
        raise ImproperlyConfigured(
            "VISA_DATA_KEYS must be Fernet keys, comma-separated, e.g. python3 -c 'from "
            "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."
        ) from None

# Static files: collectstatic writes hashed names (css/site.<hash>.css) and gzip copies
# (Brotli too when the brotli package is installed); whitenoise serves hashed files with
# `Cache-Control: max-age=315360000, public, immutable`, and a missing file in the
# manifest fails loudly instead of serving a stale one.
STORAGES = {
    "default": services.media_storage(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS -------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# `make serve SECURE_SSL_REDIRECT=false` tries the site over plain http on localhost.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Health probes talk plain HTTP to the app port; a redirect would read as a failure.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# The one silenced deploy check: security.W021 ("SECURE_HSTS_PRELOAD is not True").
# Submitting a domain to the browsers' HSTS preload list is a decision for the domain's
# owner (it covers every subdomain and takes months to undo), not a default; set
# SECURE_HSTS_PRELOAD=true once the domain is ready and the warning goes away by itself.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy: the base policy, plus upgrading any stray http:// subresource
# to https:// (only meaningful, and only safe, when the site is served over HTTPS).
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
    },
}
CONTENT_SECURITY_POLICY_ADMIN = {
    **CONTENT_SECURITY_POLICY_ADMIN,
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"],
        "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
    },
}

# Several app processes: pages are kept in the app only when the cache is shared (Redis);
# otherwise by the caching proxy in front, told by `Cache-Control` (home/page_cache.py).
CACHES = services.unshared_pages_off(CACHES)

# Tasks (emails): stored in the database and run by `manage.py run_worker` (any machine),
# never in the visitor's request: a slow or hung mail server cannot hold up a registrant.
# `TASKS_BACKEND=immediate` runs them in the request after commit instead.
TASKS, _task_apps = services.tasks(os.environ, default="database")
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in _task_apps] + _task_apps
