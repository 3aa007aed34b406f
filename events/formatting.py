"""Dates and times in the event's own time zone, written the way each language writes them.

Month and weekday names come from Django's catalogues (Turkish "Ocak", Urdu "جنوری"); the
patterns are ours, because Django has no Urdu formats and its English one is American.
Times and UTC offsets are wrapped in `<time dir="ltr">` / `<span dir="ltr">` so that
"10:00" and "UTC+3" are not reordered inside right-to-left Urdu text; dates are isolated
but keep the text direction, so an Urdu reader reads "2–4 جنوری 2020" in the right order.
"""

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_TIME_ZONE = "Europe/Istanbul"

# Patterns in Django's date-format syntax, per language. `F` and `l` are translated names.
DATE_PATTERNS = {
    "en": {"day_month_year": "j F Y", "day_month": "j F", "day": "j", "weekday": "l j F Y"},
    "tr": {"day_month_year": "j F Y", "day_month": "j F", "day": "j", "weekday": "j F Y, l"},
    "ur": {"day_month_year": "j F Y", "day_month": "j F", "day": "j", "weekday": "l، j F Y"},
}
TIME_PATTERN = "H:i"
# Between the parts of a date and time, or of a list: Urdu has its own comma.
LIST_SEPARATORS = {"ur": "، "}

# Readable names for the zones events are likely to use. A zone not listed is named after
# the city in its identifier ("America/New_York" -> "New York").
ZONE_NAMES = {
    "Europe/Istanbul": _("Istanbul"),
    "Europe/London": _("London"),
    "Asia/Karachi": _("Karachi"),
    "Asia/Kolkata": _("India"),
    "Europe/Berlin": _("Berlin"),
    "America/New_York": _("New York"),
    "UTC": _("UTC"),
}


def zone(name):
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def is_valid_zone(name):
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _patterns():
    language = (translation.get_language() or "en").split("-")[0]
    return DATE_PATTERNS.get(language, DATE_PATTERNS["en"])


def zone_city(name):
    label = ZONE_NAMES.get(name)
    if label is not None:
        return str(label)
    return name.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset(moment):
    """'UTC+3', 'UTC+5:30', 'UTC-4', 'UTC' for an aware datetime."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def local(moment, zone_name):
    return moment.astimezone(zone(zone_name))


def format_date(value):
    return date_format(value, _patterns()["day_month_year"])


def format_weekday_date(value):
    return date_format(value, _patterns()["weekday"])


def format_time(moment):
    return date_format(moment, TIME_PATTERN)


def date_range_text(start, end):
    """'2–4 January 2020', '30 January – 2 February 2020', '2 January 2020' (local dates)."""
    patterns = _patterns()
    start_date, end_date = start.date(), end.date()
    if start_date == end_date:
        return date_format(start_date, patterns["day_month_year"])
    if (start_date.year, start_date.month) == (end_date.year, end_date.month):
        return (
            f"{date_format(start_date, patterns['day'])}–"
            f"{date_format(end_date, patterns['day_month_year'])}"
        )
    if start_date.year == end_date.year:
        return (
            f"{date_format(start_date, patterns['day_month'])} – "
            f"{date_format(end_date, patterns['day_month_year'])}"
        )
    return (
        f"{date_format(start_date, patterns['day_month_year'])} – "
        f"{date_format(end_date, patterns['day_month_year'])}"
    )


def time_html(moment):
    """`<time dir="ltr">10:00</time>` with the full instant in `datetime`."""
    return format_html(
        '<time datetime="{}" dir="ltr">{}</time>', moment.isoformat(), format_time(moment)
    )


def list_separator():
    """', ', or the Urdu comma '، ' in Urdu."""
    return LIST_SEPARATORS.get((translation.get_language() or "en").split("-")[0], ", ")


def zone_html(moment, zone_name):
    """'(Istanbul, UTC+3)' with the offset kept left to right ('(استنبول، UTC+3)')."""
    return format_html(
        '<span class="event-zone">({}{}<span dir="ltr">{}</span>)</span>',
        zone_city(zone_name),
        list_separator(),
        utc_offset(moment),
    )


def moment_html(moment, zone_name):
    """'4 December 2026, 10:15 (Istanbul, UTC+3)' for one instant, in the zone named (an
    event's), as registration openings and closings are shown."""
    zone_name = zone_name or DEFAULT_TIME_ZONE
    local_moment = local(moment, zone_name)
    return format_html(
        '<time datetime="{}">{}</time>{}{} {}',
        local_moment.date().isoformat(),
        format_date(local_moment),
        list_separator(),
        time_html(local_moment),
        zone_html(local_moment, zone_name),
    )


def zone_sentence_html(moment, zone_name):
    """'All times are Istanbul time (UTC+3).' as a sentence in each language."""
    text = conditional_escape(gettext("All times are %(city)s time (%(offset)s)."))
    return mark_safe(
        text
        % {
            "city": conditional_escape(zone_city(zone_name)),
            "offset": format_html('<span dir="ltr">{}</span>', utc_offset(moment)),
        }
    )


def date_range_html(start, end):
    return format_html(
        '<time datetime="{}">{}</time>', start.date().isoformat(), date_range_text(start, end)
    )


def time_range_html(start, end, zone_name, *, with_zone=True):
    """'10:00–17:30 (Istanbul, UTC+3)'; each time isolated left to right."""
    parts = [time_html(start)]
    if end is not None:
        parts.append(mark_safe("–"))
        parts.append(time_html(end))
    if with_zone:
        parts.append(mark_safe(" "))
        parts.append(zone_html(start, zone_name))
    return mark_safe("".join(str(part) for part in parts))


def when_text(start, end, zone_name):
    """Plain text for emails, calendar descriptions and alt text: '2 January 2020,
    09:00–17:00 (Istanbul, UTC+3)' for one day; over several days each end with its own
    date, '2 January 2020, 09:00 – 4 January 2020, 14:00 (Istanbul, UTC+3)', which does not
    read as a daily schedule."""
    if start.date() != end.date():
        return gettext(
            "%(start_date)s, %(start)s – %(end_date)s, %(end)s (%(zone)s, %(offset)s)"
        ) % {
            "start_date": format_date(start),
            "start": format_time(start),
            "end_date": format_date(end),
            "end": format_time(end),
            "zone": zone_city(zone_name),
            "offset": utc_offset(start),
        }
    return gettext("%(dates)s, %(start)s–%(end)s (%(zone)s, %(offset)s)") % {
        "dates": date_range_text(start, end),
        "start": format_time(start),
        "end": format_time(end),
        "zone": zone_city(zone_name),
        "offset": utc_offset(start),
    }
