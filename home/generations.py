"""Generation numbers: how cached things (the header and footer, remembered routes, whole
pages) learn that they are stale without anyone deleting them.

A generation is a random value under a fixed key in the shared cache (Redis when
`REDIS_URL` is set). Whatever is cached records the generation it was made under and is
used only while that is still current; `bump()` makes everything made before it stale at
once, in every process.

Reading the shared value on every request would cost a round trip to Redis per
generation, which is most of the cost of serving a cached page. So each process remembers
a value for `CACHE_GENERATION_CHECK_SECONDS` (default 1 s) before asking again: a change
made by this process is seen at once, a change made by another process (another app
server) within that time."""

import time
import uuid

from django.conf import settings
from django.core.cache import cache

# key -> (value, when this process last read it). Plain dict operations are atomic
# under the GIL, which is all the threaded workers need here.
_local = {}
MAX_LOCAL = 10_000


def check_seconds():
    return float(getattr(settings, "CACHE_GENERATION_CHECK_SECONDS", 1.0))


def _remember(key, value, now):
    if len(_local) >= MAX_LOCAL:
        _local.clear()
    _local[key] = (value, now)


def current_many(keys):
    """`{key: generation}` for each key, from this process's memory where fresh enough and
    from the shared cache (one round trip) otherwise; a missing generation is created."""
    now = time.monotonic()
    fresh = check_seconds()
    result, missing = {}, []
    for key in keys:
        remembered = _local.get(key)
        if remembered is not None and now - remembered[1] < fresh:
            result[key] = remembered[0]
        else:
            missing.append(key)
    if missing:
        found = cache.get_many(missing) if len(missing) > 1 else {missing[0]: cache.get(missing[0])}
        for key in missing:
            value = found.get(key)
            if value is None:
                cache.add(key, uuid.uuid4().hex, None)
                value = cache.get(key)
            result[key] = value
            _remember(key, value, now)
    return result


def current(key):
    return current_many([key])[key]


def bump(key):
    """Everything cached under `key`'s current generation is stale from now on."""
    value = uuid.uuid4().hex
    cache.set(key, value, None)
    _remember(key, value, time.monotonic())
    return value


def forget_local():
    """Drop this process's memory (tests do, when they empty the shared cache)."""
    _local.clear()
