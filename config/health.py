"""`/healthz`: whether this app process can reach what it needs to serve pages.

For load balancers and orchestrators. It is outside the language prefix, exempt from the
HTTPS redirect (probes often speak plain HTTP to the app port), never cached, and answers
quickly: one `SELECT 1` and one cache round trip, each failure reported by name, without
error details (those go to the log, with the request id)."""

import logging
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise RuntimeError("SELECT 1 did not return 1")


def check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return the value just stored")
    finally:
        cache.delete(key)


CHECKS = {"database": check_database, "cache": check_cache}


@never_cache
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.error("Health check %s failed: %s", name, type(error).__name__, exc_info=True)
            results[name] = ERROR
        else:
            results[name] = OK
    healthy = all(result == OK for result in results.values())
    body = {"status": OK if healthy else ERROR, **results}
    return JsonResponse(body, status=200 if healthy else 503)
