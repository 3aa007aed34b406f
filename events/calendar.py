"""Calendar files (RFC 5545, built with `icalendar`) and "add to calendar" links.

Every VEVENT carries the event's stored UID (shared by its translations and kept across
slug changes) and SEQUENCE (bumped when the dates change), its start and end with TZID in
the event's zone, and the matching VTIMEZONE, so calendars show the right local times
across daylight-saving changes.

An event's online join address (`online_url`) is never public: the public `event.ics`,
the events index's `calendar.ics` and the Google and Outlook links leave it out (an
online event's LOCATION says "Online"). Only the personal calendar file of a confirmed
registrant (their manage page, their emails) asks for it with `include_join_url=True`."""

import copy
import datetime as dt
import functools
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vText

from home.addresses import page_url

from .choices import AttendanceMode, EventStatus
from .formatting import local, zone

PRODID = "-//World Kashmir Diaspora Conference//Conference site//EN"


def _status(event):
    if event.status == EventStatus.CANCELLED:
        return "CANCELLED"
    if event.status == EventStatus.POSTPONED:
        return "TENTATIVE"
    return "CONFIRMED"


def join_url(event):
    """Where online participants join, or "": for confirmed registrants only."""
    return event.online_url if event.has_online_part else ""


def event_description(event, url, *, include_join_url=False):
    parts = [event.strapline, event.introduction or event.listing_summary]
    if include_join_url and join_url(event):
        parts.append(f"{_('Join online:')} {join_url(event)}")
    parts.append(url)
    return "\n\n".join(part for part in parts if part)


def event_location(event, *, include_join_url=False):
    private = join_url(event) if include_join_url else ""
    if event.is_online:
        return private or str(AttendanceMode.ONLINE.label)
    return event.full_address or private


def vevent(event, request, *, include_join_url=False):
    url = page_url(event, request)
    component = Event()
    component.add("uid", str(event.uid))
    component.add("sequence", event.sequence)
    component.add("dtstamp", timezone.now().astimezone(dt.UTC))
    component.add("last-modified", (event.last_published_at or timezone.now()).astimezone(dt.UTC))
    component.add("dtstart", local(event.start, event.time_zone))
    component.add("dtend", local(event.end, event.time_zone))
    component.add("summary", event.title)
    component.add("description", event_description(event, url, include_join_url=include_join_url))
    location = event_location(event, include_join_url=include_join_url)
    if location:
        component.add("location", location)
    component.add("url", url)
    component.add("status", _status(event))
    return component


def calendar_for(events, request, *, name, include_join_url=False):
    """An iCalendar file (bytes) with one VEVENT per event and the VTIMEZONEs they use.
    `include_join_url`: a confirmed registrant's own file, with the online join address
    (never for a public file)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(name))
    for event in events:
        cal.add_component(vevent(event, request, include_join_url=include_join_url))
    if events:
        first = min(e.start for e in events).date() - dt.timedelta(days=366)
        last = max(e.end for e in events).date() + dt.timedelta(days=366)
        add_timezones(cal, first.year, last.year)
    return cal.to_ical()


def calendar_response(events, request, *, name, filename, include_join_url=False):
    """The calendar file of `events` (`calendar_for()`) as a download named `filename`."""
    response = HttpResponse(
        calendar_for(events, request, name=name, include_join_url=include_join_url),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def add_timezones(cal, first_year, last_year):
    """Add the VTIMEZONE of every zone the calendar's events use, covering whole years
    (icalendar's `add_missing_timezones()`, with each zone built once per process)."""
    position = len(cal.timezones)
    for tzid in sorted(cal.get_missing_tzids()):
        try:
            component = _vtimezone(tzid, first_year, last_year)
        except ValueError:  # a zone icalendar does not know is left out, as it does
            continue
        cal.subcomponents.insert(position, copy.deepcopy(component))
        position += 1


@functools.lru_cache(maxsize=128)
def _vtimezone(tzid, first_year, last_year):
    # Building a VTIMEZONE walks the zone's transitions: about 15 ms for Europe/Istanbul,
    # paid on every calendar file and every confirmation email before this cache.
    return Timezone.from_tzid(
        tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 12, 31)
    )


def google_calendar_url(event, request):
    """A Google Calendar template link: local times with `ctz` naming the event's zone."""
    tz = zone(event.time_zone)
    fmt = "%Y%m%dT%H%M%S"
    start, end = event.start.astimezone(tz).strftime(fmt), event.end.astimezone(tz).strftime(fmt)
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{start}/{end}",
        "ctz": event.time_zone,
        "details": event_description(event, page_url(event, request)),
        "location": event_location(event) or "",
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(params)


def outlook_calendar_url(event, request):
    """An Outlook on the web compose link; start and end carry their UTC offset."""
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": local(event.start, event.time_zone).isoformat(),
        "enddt": local(event.end, event.time_zone).isoformat(),
        "body": event_description(event, page_url(event, request)),
        "location": event_location(event) or "",
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(params)
