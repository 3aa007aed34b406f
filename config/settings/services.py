"""The outside services a deployment may plug in, chosen from environment variables.

Each function takes the environment (a mapping, `os.environ` in the settings) and returns
the Django setting it configures, so the choice is the same in every settings module and
can be tested without reloading settings. Nothing here connects to anything: the clients
are created lazily by Django when first used.

- cache: Redis through django-redis when `REDIS_URL` is set, else local memory;
- media: S3-compatible object storage through django-storages when
  `AWS_STORAGE_BUCKET_NAME` is set, else files under `MEDIA_ROOT`;
- tasks: django-tasks' immediate backend, or the database backend (`django_tasks_db`,
  run by `manage.py db_worker`) when `TASKS_BACKEND=database`;
- CDN purge: `wagtail.contrib.frontend_cache` when `FRONTEND_CACHE_BACKEND` is set.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

LOCAL_MEMORY_CACHE = "django.core.cache.backends.locmem.LocMemCache"
DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"
REDIS_CACHE = "django_redis.cache.RedisCache"
FILE_STORAGE = "django.core.files.storage.FileSystemStorage"
S3_STORAGE = "storages.backends.s3.S3Storage"
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"
DATABASE_TASKS = "django_tasks_db.DatabaseBackend"
DATABASE_TASKS_APP = "django_tasks_db"
FRONTEND_CACHE_APP = "wagtail.contrib.frontend_cache"


def flag(value, default=False):
    """An environment variable's value as a boolean (`1`, `true`, `yes`, `on`, any case);
    `default` when it is not set. The one reading of booleans for settings and gunicorn."""
    if value is None:
        return default
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def database(config):
    """`DATABASES["default"]` from dj-database-url's parse, with SQLite made fit for several
    writers: WAL (readers never block the writer), a busy timeout (a writer waits its turn
    instead of failing with "database is locked") and IMMEDIATE transactions (a transaction
    takes the write lock when it begins, so two cannot both read and then fail to
    upgrade to writing)."""
    if config.get("ENGINE") == "django.db.backends.sqlite3":
        options = config.setdefault("OPTIONS", {})
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 20)
        options.setdefault(
            "init_command",
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        )
    return config


def is_shared(caches_setting):
    """Whether every app process sees the same default cache (not local memory)."""
    backend = caches_setting["default"]["BACKEND"]
    return backend not in (LOCAL_MEMORY_CACHE, DUMMY_CACHE)


def session_engine(caches_setting):
    if is_shared(caches_setting):
        return "django.contrib.sessions.backends.cached_db"
    return "django.contrib.sessions.backends.db"


def caches(env):
    """`CACHES`: `default` (sessions, rate limits) and `pages` (whole pages and the site
    chrome, home/page_cache.py). With Redis every app process shares both; local memory is
    per process, fine for one process (`runserver`; production settings turn `pages` off
    when it is not shared, see `unshared_pages_off`).

    A Redis outage must not take the site down: errors are ignored (a read is a miss, a
    write is dropped; django-redis `IGNORE_EXCEPTIONS`) and, after a connection failure,
    the client does not try again for `REDIS_RETRY_SECONDS` (config/redis_client.py), so
    pages are served without the cache at full speed instead of each waiting for a
    timeout. `/healthz` still reports the cache as failing (it writes and reads a key)."""
    url = env.get("REDIS_URL", "").strip()
    if not url:
        return {
            "default": {"BACKEND": LOCAL_MEMORY_CACHE, "LOCATION": "conference-site"},
            "pages": {"BACKEND": LOCAL_MEMORY_CACHE, "LOCATION": "conference-pages"},
        }
    prefix = env.get("CACHE_KEY_PREFIX", "conference")
    return {
        "default": _redis(env, url, prefix),
        "pages": _redis(env, url, f"{prefix}-pages"),
    }


def unshared_pages_off(caches_setting):
    """Production: several app processes cannot all be told to empty a per-process page
    cache, so without a shared one pages are not kept in the app (a caching proxy in front
    still keeps them, told by `Cache-Control`)."""
    if not is_shared(caches_setting):
        caches_setting = {**caches_setting, "pages": {"BACKEND": DUMMY_CACHE}}
    return caches_setting


def _redis(env, url, prefix):
    from config import redis_client

    return {
        "BACKEND": REDIS_CACHE,
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "TIMEOUT": int(env.get("CACHE_TIMEOUT", "300")),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "CONNECTION_POOL_KWARGS": {
                "connection_class": (
                    redis_client.CircuitBreakerSSLConnection
                    if url.startswith("rediss://")
                    else redis_client.CircuitBreakerConnection
                ),
                "retry_seconds": float(env.get("REDIS_RETRY_SECONDS", "5")),
            },
            # Fail fast when Redis is unreachable rather than hanging a worker.
            "SOCKET_CONNECT_TIMEOUT": float(env.get("REDIS_CONNECT_TIMEOUT", "2")),
            "SOCKET_TIMEOUT": float(env.get("REDIS_TIMEOUT", "2")),
        },
    }


def media_storage(env):
    """`STORAGES["default"]` (uploaded images and documents)."""
    bucket = env.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {"BACKEND": FILE_STORAGE}
    options = {
        "bucket_name": bucket,
        # Uploads never overwrite one another; Wagtail renames on clash.
        "file_overwrite": False,
        # Images and documents are public, served by URL without a signature unless
        # AWS_QUERYSTRING_AUTH says otherwise (private buckets).
        "querystring_auth": flag(env.get("AWS_QUERYSTRING_AUTH"), False),
        "default_acl": env.get("AWS_DEFAULT_ACL") or None,
        "location": env.get("AWS_LOCATION", ""),
    }
    # Only pass what is set, so boto3 can still find credentials itself (instance roles,
    # ~/.aws) and the default AWS endpoint is used unless another one is given.
    optional = {
        "endpoint_url": "AWS_S3_ENDPOINT_URL",
        "region_name": "AWS_S3_REGION_NAME",
        "access_key": "AWS_ACCESS_KEY_ID",
        "secret_key": "AWS_SECRET_ACCESS_KEY",
        "custom_domain": "AWS_S3_CUSTOM_DOMAIN",
    }
    for option, variable in optional.items():
        value = env.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": S3_STORAGE, "OPTIONS": options}


def media_origins(env):
    """Origins media files are served from when not from the site itself, for the
    Content-Security-Policy `img-src` directive."""
    origins = []
    domain = env.get("AWS_S3_CUSTOM_DOMAIN", "").strip()
    if domain:
        origins.append(f"https://{domain}")
    elif env.get("AWS_STORAGE_BUCKET_NAME", "").strip():
        endpoint = env.get("AWS_S3_ENDPOINT_URL", "").strip()
        if endpoint:
            parts = urlsplit(endpoint)
            origins.append(f"{parts.scheme}://{parts.netloc}")
        else:
            origins.append("https://*.amazonaws.com")
    media_url = env.get("MEDIA_URL", "")
    if media_url.startswith(("http://", "https://")):
        parts = urlsplit(media_url)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return list(dict.fromkeys(origins))


def tasks(env, default="immediate"):
    """`(TASKS, extra INSTALLED_APPS)`. `immediate` runs a task in the request that
    enqueued it (development, tests, a single small server); `database` stores tasks in
    the database for `manage.py db_worker` processes on any machine to run."""
    backend = env.get("TASKS_BACKEND", default).strip().lower() or default
    if backend == "immediate":
        return {"default": {"BACKEND": IMMEDIATE_TASKS}}, []
    if backend == "database":
        return {"default": {"BACKEND": DATABASE_TASKS, "QUEUES": ["default"]}}, [DATABASE_TASKS_APP]
    raise ImproperlyConfigured(f"TASKS_BACKEND must be 'immediate' or 'database', not {backend!r}.")


def frontend_cache(env):
    """`(WAGTAILFRONTENDCACHE, extra INSTALLED_APPS)`: purge pages from a CDN or caching
    proxy when they are published, unpublished or moved. Off unless
    `FRONTEND_CACHE_BACKEND` is `http` (a proxy that accepts PURGE, e.g. Varnish) or
    `cloudflare`."""
    backend = env.get("FRONTEND_CACHE_BACKEND", "").strip().lower()
    if not backend:
        return None, []
    if backend == "http":
        location = env.get("FRONTEND_CACHE_LOCATION", "").strip()
        if not location:
            raise ImproperlyConfigured("FRONTEND_CACHE_BACKEND=http needs FRONTEND_CACHE_LOCATION.")
        config = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    elif backend == "cloudflare":
        token = env.get("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN", "").strip()
        zone = env.get("FRONTEND_CACHE_CLOUDFLARE_ZONEID", "").strip()
        if not (token and zone):
            raise ImproperlyConfigured(
                "FRONTEND_CACHE_BACKEND=cloudflare needs FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN "
                "and FRONTEND_CACHE_CLOUDFLARE_ZONEID."
            )
        config = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": token,
            "ZONEID": zone,
        }
    else:
        raise ImproperlyConfigured(
            f"FRONTEND_CACHE_BACKEND must be 'http' or 'cloudflare', not {backend!r}."
        )
    return {"default": config}, [FRONTEND_CACHE_APP]
