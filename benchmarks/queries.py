"""Counts the database queries of one uncached page view (run by benchmarks/run.py with
the bench's settings and PAGE_CACHE_SECONDS=0). Usage: queries.py URL..."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

if __name__ == "__main__":
    client = Client(SERVER_NAME="127.0.0.1")
    for url in sys.argv[1:]:
        client.get(url)  # warm the navigation cache, as a running site has it
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        print(f"{url} {status} {len(queries)}")
