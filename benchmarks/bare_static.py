"""The bench's limit for static files: whitenoise serving STATIC_ROOT as a WSGI app of its
own, with no Django in front (`make bench` runs it in gunicorn like the site)."""

import os

from whitenoise import WhiteNoise


def not_found(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


application = WhiteNoise(
    not_found, root=os.environ["STATIC_ROOT"], prefix="static/", max_age=315360000
)
