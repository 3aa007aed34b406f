"""Redis connections that give up quickly while Redis is unreachable.

With `IGNORE_EXCEPTIONS` django-redis turns a failed cache call into a miss, but every
call still tries to connect first: against a host that drops packets, each one waits for
the connect timeout (and redis-py retries), so a page that touches the cache five times
would take tens of seconds. Here, once a connection or a reply fails, every connection
of this process refuses at once for `RETRY_SECONDS` (the pool option below): the site
runs without its cache at full speed and tries Redis again after that. The outage is
logged once when it starts and once when it ends, not per request."""

import logging
import threading
import time

from redis.connection import Connection, SSLConnection
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_state = {"open_until": 0.0, "down": False}


def _trip(retry_seconds, error):
    with _lock:
        _state["open_until"] = time.monotonic() + retry_seconds
        if not _state["down"]:
            _state["down"] = True
            logger.warning(
                "Redis unreachable (%s); serving without the cache, retrying every %s s",
                type(error).__name__,
                retry_seconds,
            )


def _recovered():
    if _state["down"]:
        with _lock:
            if _state["down"]:
                _state["down"] = False
                logger.warning("Redis reachable again; cache back on")


def reset():
    """Forget a past failure (tests)."""
    with _lock:
        _state.update(open_until=0.0, down=False)


class _CircuitBreakerMixin:
    def __init__(self, *args, retry_seconds=5.0, **kwargs):
        self.retry_seconds = float(retry_seconds)
        super().__init__(*args, **kwargs)

    def connect_check_health(self, *args, **kwargs):
        if not self.is_connected and time.monotonic() < _state["open_until"]:
            raise ConnectionError("Redis marked unreachable; not retrying yet")
        try:
            result = super().connect_check_health(*args, **kwargs)
        except (ConnectionError, TimeoutError, OSError) as error:
            _trip(self.retry_seconds, error)
            raise
        _recovered()
        return result

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except (ConnectionError, TimeoutError) as error:
            # Connected but no answer (a hung server): as bad as no connection.
            _trip(self.retry_seconds, error)
            raise


class CircuitBreakerConnection(_CircuitBreakerMixin, Connection):
    pass


class CircuitBreakerSSLConnection(_CircuitBreakerMixin, SSLConnection):
    pass
