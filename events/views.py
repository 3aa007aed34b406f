from home.page_cache import serve


def calendar_file(request, page_path, name):
    """`<page>/event.ics` and `<index>/calendar.ics`, served by Wagtail's page routing
    (Wagtail's page pattern allows no dot in an address, see `events.urls`)."""
    return serve(request, f"{page_path}{name}.ics/")
