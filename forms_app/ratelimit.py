"""A per-address limit on registration POSTs, counted in the cache (shared by every app
process when the cache is Redis; per process with local memory, so then the limit is per
worker).

When the cache cannot count (Redis down), the limit fails open: a registrant is never
turned away because of our outage. That is logged once per outage, not per request."""

import logging
import time

from django.conf import settings
from django.core.cache import cache


def parse_rate(text):
    """'10/600' -> (10, 600): at most 10 requests in 600 seconds."""
    count, _, seconds = str(text).partition("/")
    return max(int(count), 1), max(int(seconds or 60), 1)


def client_address(request):
    if settings.RATE_LIMIT_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


logger = logging.getLogger(__name__)
_failing = False


def _count(key, window):
    # One round trip for all but an address's first request in a window.
    try:
        return cache.incr(key)
    except ValueError:  # the first in this window (or the counter expired); when another
        # request created it meanwhile, count on it
        added = cache.add(key, 1, window + 5)
        if added is None:  # the cache ignored the write (it is down)
            return None
        return 1 if added else cache.incr(key)


def allow(request, scope="registration"):
    """Count this request; False once the address is over its limit for the window."""
    global _failing
    limit, window = parse_rate(settings.REGISTRATION_RATE_LIMIT)
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{client_address(request)}:{bucket}"
    try:
        count = _count(key, window)
    except Exception as error:
        count = None
        reason = type(error).__name__
    else:
        reason = "no answer"
    if count is None:
        if not _failing:
            _failing = True
            logger.warning(
                "Rate limit off: the cache cannot count (%s); letting requests in", reason
            )
        return True
    if _failing:
        _failing = False
        logger.warning("Rate limit on again: the cache counts")
    return count <= limit
