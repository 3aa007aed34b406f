from home.routing import serve


def calendar_file(request, page_path, name):
    """`<page>/event.ics` and `<index>/calendar.ics`, served by Wagtail's page routing
    (through `home.routing`, which remembers where the address leads)."""
    return serve(request, f"{page_path}{name}.ics/")
