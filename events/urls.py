"""Calendar file addresses. Wagtail's page URL pattern allows no dot, so `…/event.ics` and
`…/calendar.ics` never reach it; these patterns hand them to Wagtail's own `serve` view
(site routing, privacy and serve hooks included), which routes them to the pages'
`event.ics/` and `calendar.ics/` sub-routes.

Include inside `i18n_patterns`, before `wagtail.urls`:

    path("", include("events.urls")),
"""

from django.urls import re_path

from . import views

urlpatterns = [
    re_path(
        r"^(?P<page_path>(?:[\w\-]+/)*)(?P<name>event|calendar)\.ics$",
        views.calendar_file,
        name="events_calendar_file",
    ),
]
