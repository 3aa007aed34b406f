"""Settings shared by every environment. Values that differ per deployment come from the
environment; `.env.example` lists them all."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.conf.locale import LANG_INFO

from config.machine_translation import machine_translator_setting

from . import services

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"


def env_bool(name, default=False):
    return services.flag(os.environ.get(name), default)


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "events",
    "forms_app",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales; listing both fails
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "django_countries",
]

MIDDLEWARE = [
    # Static files first: they need no request id, security or CSP header (documents do),
    # so nothing else runs for them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Then, so every log line of the request (and the response) carries its id.
    "config.middleware.RequestIDMiddleware",
    "config.middleware.HeadResponseMiddleware",
    # Before the security and CSP headers, so that a cached page keeps them (the WSGI
    # application replays it without any middleware, config/wsgi.py), and before
    # sessions, locale, CSRF and auth: a cache hit needs none of them (no queries).
    "home.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp, with a looser policy for the Wagtail admin (see config/middleware.py).
    "config.middleware.ContentSecurityPolicyMiddleware",
    # Widens frame-src for the video hosts a page shows, on that response only (home/embeds.py).
    "home.embeds.VideoFramesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "home.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which is the first to read a POST body (config/middleware.py).
    "config.middleware.FormEncodingMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.site_language",
            ],
        },
    },
]

DATABASES = {
    "default": services.database(
        dj_database_url.parse(
            os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        )
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages -------------------------------------------------------------------------------
# SITE_LANGUAGES picks the languages the site is published in; the first is the default.
# Names are shown in their own script in the language switcher.
LANGUAGE_NAMES = {"en": "English", "tr": "Türkçe", "ur": "اردو"}
SITE_LANGUAGES = env_list("SITE_LANGUAGES", "en,tr,ur")
LANGUAGE_CODE = SITE_LANGUAGES[0]
LANGUAGES = [
    (code, LANGUAGE_NAMES.get(code) or LANG_INFO.get(code, {}).get("name_local", code))
    for code in SITE_LANGUAGES
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Machine-translated first drafts: off unless a language is given an engine in the
# environment (config/machine_translation.py says which variables).
_machine_translator = machine_translator_setting(os.environ, SITE_LANGUAGES[1:])
if _machine_translator is not None:
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = _machine_translator
LOCALE_PATHS = [SITE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Istanbul")
LANGUAGE_COOKIE_NAME = "site_language"

# Static and media -----------------------------------------------------------------------
# The full Nastaliq (site/fonts) for the admin, where translators type any Urdu; pages use
# the subset in site/static/fonts.
STATICFILES_DIRS = [SITE_DIR / "static", ("fonts/full", SITE_DIR / "fonts")]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
STORAGES = {
    # Local files under MEDIA_ROOT, or an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME
    # is set (config/settings/services.py lists the AWS_* variables).
    "default": services.media_storage(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Cache, sessions, tasks -------------------------------------------------------------------
# Redis when REDIS_URL is set (shared by every app process), local memory otherwise.
CACHES = services.caches(os.environ)
# With Redis, sessions are read from the cache and written through to the database: shared
# by every process, and a cache flush or restart logs nobody out. Without it, each process
# would keep its own copy (a sign-out in one worker would not reach the others), so they
# live in the database alone.
SESSION_ENGINE = services.session_engine(CACHES)
# Tasks (emails and other slow work): `immediate` runs them in the request that enqueued
# them, after commit (development's default); `database` queues them for
# `manage.py run_worker` (production's default, config/settings/production.py).
TASKS, _task_apps = services.tasks(os.environ)
INSTALLED_APPS += _task_apps
# What `manage.py run_worker` (started by `make run` and `make serve`) runs every
# PERIODIC_JOBS_SECONDS: scheduled publishing, emails that failed, whose task was lost or
# whose throttled time has come, certificates of attendance once an event has ended, and
# the reminders before an event (each sent once); and the erasure of visa letter details
# after an event.
PERIODIC_JOBS = (
    "publish_scheduled",
    "retry_emails",
    "send_certificates",
    "send_reminders",
    "erase_visa_details",
)
PERIODIC_JOBS_SECONDS = int(os.environ.get("PERIODIC_JOBS_SECONDS", "60"))
# On SQLite, jobs that write pages run in one transaction (SQLite's write lock keeps two
# workers from publishing the same page twice); PostgreSQL uses an advisory lock.
PERIODIC_JOBS_IN_TRANSACTION = ("publish_scheduled",)

# Full-page cache for anonymous visitors (home/page_cache.py): seconds a page is kept in
# the `pages` cache and that a proxy or CDN may keep it (s-maxage); 0 turns both off.
# Browsers keep it at most PAGE_CACHE_BROWSER_SECONDS (they are not told about publishes);
# a proxy may serve a stale copy for PAGE_CACHE_STALE_SECONDS while it refetches.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "60"))
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "60"))
# How long an app process trusts the page cache's epoch it last read before asking the
# shared cache again: a change made through another process shows within this time
# (through the same process, at once). 0 asks on every cached hit.
PAGE_CACHE_EPOCH_CHECK_SECONDS = float(os.environ.get("PAGE_CACHE_EPOCH_CHECK_SECONDS", "1"))
# Query parameters a cached page may depend on (numbers only); any other parameter is
# ignored by the cache, so `?junk=1`, `?junk=2` … share one entry.
PAGE_CACHE_QUERY_PARAMETERS = ("page",)

# CDN / caching proxy purge on publish: off unless FRONTEND_CACHE_BACKEND is set.
_frontend_cache, _frontend_cache_apps = services.frontend_cache(os.environ)
if _frontend_cache:
    WAGTAILFRONTENDCACHE = _frontend_cache
    INSTALLED_APPS += _frontend_cache_apps

# Security headers -------------------------------------------------------------------------
# On every response, in every environment (production adds HSTS, secure cookies and the
# HTTPS redirect). Django's SecurityMiddleware sends the first three.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views allow same-origin framing themselves.
CSRF_COOKIE_HTTPONLY = True  # Wagtail's admin reads the token from the page, not the cookie.
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4). Public pages: everything from our own origin,
# no inline scripts or styles (templates must keep to external files), no plugins, no
# framing by other sites. `data:` images cover small inline SVGs in CSS. Media from a
# bucket or CDN is added to img-src automatically (services.media_origins).
_MEDIA_ORIGINS = services.media_origins(os.environ)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_MEDIA_ORIGINS],
        "media-src": [SELF, *_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # 'self', not 'none': Wagtail's preview panel frames the page, and its preview
        # runs the page through this middleware under the page's own (public) path.
        "frame-ancestors": [SELF],
    },
}
# The Wagtail admin (and wagtail-localize's editor) still use inline scripts and styles,
# blob: previews of uploads, avatars from other origins and embeds in its previews, so
# /admin/ gets this looser policy (config.middleware.ContentSecurityPolicyMiddleware).
# Only signed-in staff reach it; object-src, base-uri and framing stay locked down.
CSP_ADMIN_PATH_PREFIXES = ("/admin/",)
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", "https:"],
        "media-src": [SELF, "blob:", *_MEDIA_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF, "https://releases.wagtail.org"],
        "frame-src": [SELF, "https:"],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

# Email ------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before a mail server that accepts the connection but does not answer is given
# up on (the email is retried later). Without it, Python's socket waits for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "conference@localhost")
# The most emails a worker hands the mail server per minute, evenly spaced (each worker
# process; forms_app/pace.py): confirmations in a rush go out over the following minutes,
# and a bulk send (a message to registrants, reminders, "the event changed") is booked at
# this rate, the rest waiting in the outbox (`not_before`) for the worker's
# `retry_emails`. Not applied where emails are sent after the request (immediate tasks).
# 0: no limit.
OUTBOX_EMAILS_PER_MINUTE = int(os.environ.get("OUTBOX_EMAILS_PER_MINUTE", "600"))
# A worker holds its emails while more than this share of the machine's CPU time is busy
# (a registration rush on the machine it shares with the web server), for up to
# OUTBOX_BUSY_WAIT_SECONDS of one busy spell (forms_app/pace.py). 100: never holds them.
OUTBOX_BUSY_CPU_PERCENT = int(os.environ.get("OUTBOX_BUSY_CPU_PERCENT", "75"))
OUTBOX_BUSY_WAIT_SECONDS = int(os.environ.get("OUTBOX_BUSY_WAIT_SECONDS", "120"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "World Kashmir Diaspora Conference")
# The site's public address (scheme, host, port): every absolute URL in emails, calendar
# files, structured data, canonical/hreflang links and the sitemap is built on it
# (home/addresses.py). Production refuses to start without it.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL)
# No Gravatar: it would send a hash of each editor's e-mail address to a third party from
# every admin page (and need another origin in the admin's Content-Security-Policy).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "avif", "webp": "webp"}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Videos and live streams: YouTube, Vimeo and the PeerTube instances listed here (host
# names, comma-separated), turned into privacy-enhanced embed addresses without a network
# call (home/embeds.py); any other address is refused in the editor.
WAGTAILEMBEDS_FINDERS = [{"class": "home.embeds.VideoFinder"}]
EMBED_PEERTUBE_HOSTS = env_list("EMBED_PEERTUBE_HOSTS", "framatube.org")

# Logging -----------------------------------------------------------------------------------
# One line per record on stderr, with the request id (config.logging); e-mail addresses
# are redacted from messages and tracebacks. `django.request` logs each failed request
# (5xx) once, with its traceback on the same line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "config.logging.RequestIDFilter"},
        "redact": {"()": "config.logging.RedactPersonalDataFilter"},
    },
    "formatters": {
        "line": {
            "()": "config.logging.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [request_id=%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Every task run is logged at INFO; only failures matter outside debugging.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": os.environ.get("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}

# Registrations ---------------------------------------------------------------------------
# At most this many registration POSTs per client address in the window ("count/seconds").
REGISTRATION_RATE_LIMIT = os.environ.get("REGISTRATION_RATE_LIMIT", "10/600")
# Behind a proxy that sets X-Forwarded-For, count by the client's address, not the proxy's.
RATE_LIMIT_TRUST_X_FORWARDED_FOR = env_bool("RATE_LIMIT_TRUST_X_FORWARDED_FOR", False)
# Registrations are deleted this many days after their event ended (purge_registrations).
REGISTRATION_RETENTION_DAYS = int(os.environ.get("REGISTRATION_RETENTION_DAYS", "180"))
# Visa invitation letters (forms_app/visa.py): the Fernet keys that seal registrants'
# passport details, comma-separated; the first encrypts, every one listed decrypts (put a
# new key first, keep the old one listed until `visa.rotate()` has re-sealed the rows).
# This development key is public: production refuses it (config/settings/production.py).
DEV_VISA_DATA_KEY = "ZGV2LW9ubHktdmlzYS1rZXktbm90LWZvci1wcm9kISE="
VISA_DATA_KEYS = env_list("VISA_DATA_KEYS", DEV_VISA_DATA_KEY)
# The passport details are erased this many days after their event ended
# (erase_visa_details, one of the PERIODIC_JOBS).
VISA_DATA_RETENTION_DAYS = int(os.environ.get("VISA_DATA_RETENTION_DAYS", "30"))
