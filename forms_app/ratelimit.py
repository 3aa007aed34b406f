"""A per-address limit on registration POSTs, counted in the cache (shared by every app
process when the cache is Redis)."""

import time

from django.conf import settings
from django.core.cache import cache


def parse_rate(text):
    """'10/600' -> (10, 600): at most 10 requests in 600 seconds."""
    count, _, seconds = str(text).partition("/")
    return max(int(count), 1), max(int(seconds or 60), 1)


def client_address(request):
    if getattr(settings, "RATE_LIMIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(request, scope="registration"):
    """Count this request; False once the address is over its limit for the window."""
    limit, window = parse_rate(getattr(settings, "REGISTRATION_RATE_LIMIT", "10/600"))
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{client_address(request)}:{bucket}"
    # One round trip for all but an address's first request in a window.
    try:
        count = cache.incr(key)
    except ValueError:  # the first in this window (or the counter expired); when another
        # request created it meanwhile, count on it
        count = 1 if cache.add(key, 1, window + 5) else cache.incr(key)
    return count <= limit
