import json

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from events import formatting

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """`<script type="application/ld+json">` with `<`, `>` and `&` escaped, so text typed by
    editors can never close the script element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def event_dates(event):
    """The event's dates in its own zone: '2–4 January 2020'."""
    return formatting.date_range_html(event.local_start, event.local_end)


@register.simple_tag
def event_moment(moment, zone_name):
    """'Thursday 2 January 2020, 10:00 (Istanbul, UTC+3)' for one instant."""
    local = formatting.local(moment, zone_name)
    return format_html(
        '<time datetime="{}">{}</time>{}{} {}',
        local.date().isoformat(),
        formatting.format_weekday_date(local),
        formatting.list_separator(),
        formatting.time_html(local),
        formatting.zone_html(local, zone_name),
    )


@register.simple_tag
def local_moment(moment, zone_name):
    """'4 December 2026, 10:15 (Istanbul, UTC+3)': an instant in an event's zone."""
    return formatting.moment_html(moment, zone_name)


@register.simple_tag
def session_times(session, zone_name, with_zone=False):
    return formatting.time_range_html(
        session["start"], session["end"], zone_name, with_zone=with_zone
    )


@register.simple_tag
def zone_label(moment, zone_name):
    return formatting.zone_html(formatting.local(moment, zone_name), zone_name)


@register.simple_tag
def zone_sentence(moment, zone_name):
    """'All times are Istanbul time (UTC+3).'"""
    return formatting.zone_sentence_html(formatting.local(moment, zone_name), zone_name)


@register.simple_tag
def weekday_date(value):
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), formatting.format_weekday_date(value)
    )


@register.inclusion_tag("events/includes/next_event.html", takes_context=True)
def next_event(context):
    """The next upcoming event in the visitor's language, else the latest past one, and the
    events index it belongs to: for the home page, which must not import event models."""
    from events.models import EventPage

    event, is_upcoming, index = EventPage.next_in_language(translation.get_language())
    return {
        "request": context.get("request"),
        "event": event,
        "is_upcoming": is_upcoming,
        "index": index,
    }
