"""Generation numbers: how cached things (the header and footer, remembered routes, whole
pages) learn that they are stale without anyone deleting them.

A generation is a random value under a fixed key that every app process can read.
Whatever is cached records the generation it was made under and is used only while that
is still current; `bump()` makes everything made before it stale at once, in every
process.

Where the values live depends on the cache, so that correctness never does:

- a shared cache (Redis): in the cache, next to what they guard;
- a per-process cache (local memory, the default without `REDIS_URL`, e.g. gunicorn's
  several workers on one machine): in the database (`home.CacheGeneration`), since a
  value kept in one worker's memory would leave the others serving pages that were
  unpublished, moved or changed in another worker.

Reading the value on every request would cost a round trip per generation, which is most
of the cost of serving a cached page. So each process remembers a value for
`CACHE_GENERATION_CHECK_SECONDS` (default 1 s) before asking again: a change made by this
process is seen at once, a change made by another process within that time.

When the store cannot be read (Redis down), `current()` raises `Unavailable`: callers
then serve without their cache rather than trust a generation nobody else can see."""

import time
import uuid

from django.conf import settings
from django.core.cache import cache

from config.settings import services

# key -> (value, when this process last read it). Plain dict operations are atomic
# under the GIL, which is all the threaded workers need here.
_local = {}
MAX_LOCAL = 10_000


class Unavailable(Exception):
    """The shared store of generations could not be read or written."""


class CacheStore:
    """Generations in the shared cache (Redis)."""

    def read(self, keys):
        if len(keys) == 1:
            value = cache.get(keys[0])
            return {} if value is None else {keys[0]: value}
        return cache.get_many(keys)

    def create(self, keys):
        for key in keys:
            cache.add(key, uuid.uuid4().hex, None)
        return self.read(keys)

    def write(self, key, value):
        cache.set(key, value, None)


class DatabaseStore:
    """Generations in the database, for caches that are not shared between processes."""

    def read(self, keys):
        from .models import CacheGeneration

        return dict(CacheGeneration.objects.filter(key__in=keys).values_list("key", "value"))

    def create(self, keys):
        from .models import CacheGeneration

        CacheGeneration.objects.bulk_create(
            [CacheGeneration(key=key, value=uuid.uuid4().hex) for key in keys],
            ignore_conflicts=True,
        )
        return self.read(keys)

    def write(self, key, value):
        from .models import CacheGeneration

        CacheGeneration.objects.update_or_create(key=key, defaults={"value": value})


def store():
    return CacheStore() if services.is_shared(settings.CACHES) else DatabaseStore()


def check_seconds():
    return float(getattr(settings, "CACHE_GENERATION_CHECK_SECONDS", 1.0))


def _remember(key, value, now):
    if len(_local) >= MAX_LOCAL:
        _local.clear()
    _local[key] = (value, now)


def current_many(keys):
    """`{key: generation}` for each key, from this process's memory where fresh enough and
    from the store (one round trip) otherwise; a missing generation is created."""
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
        shared = store()
        found = shared.read(missing)
        absent = [key for key in missing if found.get(key) is None]
        if absent:
            found.update(shared.create(absent))
        for key in missing:
            value = found.get(key)
            if value is None:  # the store dropped the write (Redis down, errors ignored)
                raise Unavailable(key)
            result[key] = value
            _remember(key, value, now)
    return result


def current(key):
    return current_many([key])[key]


def bump(key):
    """Everything cached under `key`'s current generation is stale from now on."""
    value = uuid.uuid4().hex
    store().write(key, value)
    _remember(key, value, time.monotonic())
    return value


def forget_local():
    """Drop this process's memory (tests do, when they empty the shared cache)."""
    _local.clear()
