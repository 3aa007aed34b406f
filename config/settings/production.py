"""Production: every secret from the environment, HTTPS assumed, compressed static files.

Behind a TLS-terminating proxy that sets `X-Forwarded-Proto`. `manage.py check --deploy
--fail-level WARNING` passes with these settings; the only silenced check is documented
below. `make serve` runs them locally (README, "Production")."""

import os

from django.core.exceptions import ImproperlyConfigured

from . import services
from .base import *  # noqa: F403
from .base import (
    CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY_ADMIN,
    INSTALLED_APPS,
    env_bool,
)

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")

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

# Tasks: `TASKS_BACKEND=database` stores them for `manage.py db_worker` (any machine).
TASKS, _task_apps = services.tasks(os.environ)
INSTALLED_APPS = [*INSTALLED_APPS, *_task_apps]
