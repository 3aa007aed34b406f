"""Error views that must not fail themselves.

Django's own 400 view is decorated with `requires_csrf_token`, which reads the POST data
again; when the request was bad *because* its body could not be decoded (a charset other
than UTF-8, invalid bytes), that second read raises again and the visitor gets a 500.
This one renders the page without touching the request body."""

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string


def bad_request(request, exception=None):
    return HttpResponseBadRequest(render_to_string("400.html"))
