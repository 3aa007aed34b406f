"""gunicorn settings for production (`make serve` uses them; so should a process manager).

Every value can be overridden from the environment; gunicorn's own `GUNICORN_CMD_ARGS`
and command-line flags win over this file.

- workers: `WEB_CONCURRENCY`, else CPUs + 1, capped by `WEB_CONCURRENCY_MAX` (default
  8) so a large machine does not open more database connections than PostgreSQL allows.
  Not gunicorn's 2 x CPUs + 1: a request here spends most of its time on the CPU
  (templates, the ORM) and little waiting for the database, so more processes only add
  context switches, and lock convoys on a busy registration form (measured on 2 CPUs:
  147 registration POSTs/s with 3 workers, 138 with 4, 125 with 5).
- threads: `GUNICORN_THREADS` (default 1). More than one switches to the gthread worker,
  which helps when requests wait on the database or Redis.
- timeout: `GUNICORN_TIMEOUT` seconds (default 30) before a stuck worker is restarted.
- access log on stdout, error log on stderr, one line each, without client addresses or
  query strings (they can carry personal data), with the request id.
"""

import gc
import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = (
    os.environ.get("GUNICORN_BIND")
    or f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
)  # noqa: E501

workers = _int(
    "WEB_CONCURRENCY",
    min(multiprocessing.cpu_count() + 1, _int("WEB_CONCURRENCY_MAX", 8)),
)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never grows without bound; the jitter keeps
# them from all restarting at once. Seldom: a new worker starts warm (`when_ready`), but
# forking the 120 MB master and copying the memory pages the new worker writes cost some
# 80-100 ms of CPU a recycle on the bench machine. Every 20,000 requests that was 2-7% of
# a busy worker's time (one worker answering a static file: 0.93-0.98x the throughput of
# the same worker never recycled); every 200,000 it is a few tenths of a percent, and a
# worker answering 50 requests a second is still replaced about once an hour.
max_requests = _int("GUNICORN_MAX_REQUESTS", 200000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 20000)

# Trust X-Forwarded-Proto / X-Forwarded-For only from the proxy in front of us. The default
# is loopback; set FORWARDED_ALLOW_IPS to the proxy's address (or "*" when the app port is
# reachable only through the proxy, e.g. inside a container network).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
# Redacts manage-link tokens and e-mail addresses from every line (config/gunicorn_logging.py).
logger_class = "config.gunicorn_logging.RedactingLogger"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Method, path without query string, status, bytes, duration in ms, request id. No client
# address, user agent or referrer: personal data we do not need.
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'

# gunicorn's control socket (`gunicornc`) defaults to ~/.gunicorn/gunicorn.ctl, one path
# for every gunicorn the user runs on the host: a second instance (another site, a test,
# a blue/green deploy) would take it over. One socket per instance, in gunicorn's own
# (per-user) folder but named by the address it binds, or a path of your own with
# GUNICORN_CONTROL_SOCKET, or none with GUNICORN_CONTROL_SOCKET=off.
_control = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control.lower() in ("off", "false", "0", "none"):
    control_socket_disable = True
else:
    control_socket = _control or os.path.join(
        os.environ.get("XDG_RUNTIME_DIR") or os.path.expanduser("~/.gunicorn"),
        f"conference-gunicorn-{bind.replace(':', '-').replace('/', '_')}.ctl",
    )

# Load the application before forking: workers share memory pages, and a broken setting
# fails the start instead of every worker in turn.
preload_app = True
wsgi_app = "config.wsgi:application"


def when_ready(server):
    # The app is loaded (preload_app): warm it once here, so every worker forked from
    # this process starts warm (config/wsgi.py). Not for another WSGI app run with this
    # file (the bench's bare whitenoise).
    import sys

    if "config.wsgi" in sys.modules:
        sys.modules["config.wsgi"].warm()


def pre_fork(server, worker):
    # Everything loaded before the fork (Django, Wagtail, our models, templates) lives as
    # long as the worker: keep it out of the garbage collector's passes. A full pass over
    # those objects cost 75-115 ms on a worker's first admin request, and every pass
    # touches (and so un-shares) the pages the workers share with the master.
    gc.freeze()
