"""Settings for pytest: fast hashing, emails kept in memory, no DEBUG."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
PUBLIC_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING["loggers"]["django.request"]["level"] = "CRITICAL"  # noqa: F405

# Tests never depend on outside services, whatever the shell exports: a per-process cache,
# local files, tasks run immediately, no CDN purges. Tests of the switches themselves
# import the settings in a subprocess with the variables set (tests/test_production_settings.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# One process, so sessions may be cached as they are with Redis (the query budgets of the
# tests are the budgets of a deployment with Redis).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILFRONTENDCACHE = {}
# Visa letters' passport details are sealed with the fixed development key, whatever the
# shell exports.
VISA_DATA_KEYS = [DEV_VISA_DATA_KEY]  # noqa: F405
# Pages render fresh in every test; tests/test_page_cache.py turns the page cache on.
PAGE_CACHE_SECONDS = 0
# Every cached hit asks for the epoch (tests empty the cache between them); the test of
# the interval sets it.
PAGE_CACHE_EPOCH_CHECK_SECONDS = 0
# Saving a page indexes it for the site search (a task per save, run at once here): a tenth
# of what the suite spends building pages, for the tests of the search alone. They turn it
# back on (tests/test_search.py); the index's own errors are only logged, so no other test
# could fail through it.
WAGTAILSEARCH_BACKENDS = {
    "default": {**WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}  # noqa: F405
}
