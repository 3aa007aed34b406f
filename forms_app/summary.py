"""Registration summaries for managers: places, statuses, languages and registrations per
day, for one form (top of its registrations list) or several (the dashboard panel).

The numbers come from one grouped query (`values().annotate()`) per distinct event time
zone (usually one), whatever the number of registrations or forms: it counts registrations
per form, status, language and day (in the event's time zone), and the status, language
and day totals are summed from its rows here. Its total is also the length of the
unfiltered registrations list (its paginator does not count again). On PostgreSQL it can
be answered from the `registration_list_order` index alone (migration 0003). The chart is
a small SVG computed here and drawn by a template, styled by classes from
`forms_app/static/forms_app/admin/registrations.css` (no inline styles or scripts).

Check-in counts (who is in, per event day, against the confirmed registrations) come
from one more grouped query over all the forms, so the dashboard's panel and the list's
summary stay a fixed number of queries; they are live (never cached)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from events import formatting
from events.models import EventPage

from .checkin import event_days
from .models import CheckIn, Registration, RegistrationFormPage, RegistrationStatus
from .permissions import can_check_in, can_manage_registrations

CHART_DAYS = 60
CHART_WIDTH = 600
CHART_HEIGHT = 120
CHART_LABEL_SPACE = 18  # below the bars, for the first and last dates
DASHBOARD_FORMS = 5


def event_time_zone(event):
    return formatting.zone(event.time_zone if event is not None else formatting.DEFAULT_TIME_ZONE)


@dataclass
class LanguageCount:
    code: str
    name: str
    confirmed: int = 0
    waitlisted: int = 0
    cancelled: int = 0

    @property
    def total(self):
        return self.confirmed + self.waitlisted + self.cancelled


@dataclass
class Bar:
    day: datetime.date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Chart:
    bars: list
    maximum: int
    first_day: datetime.date
    last_day: datetime.date
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT + CHART_LABEL_SPACE
    plot_height: int = CHART_HEIGHT

    @property
    def label_y(self):
        return self.plot_height + CHART_LABEL_SPACE - 4

    @property
    def description(self):
        return _("Registrations per day, %(first)s to %(last)s; at most %(maximum)s a day.") % {
            "first": self.first_day.isoformat(),
            "last": self.last_day.isoformat(),
            "maximum": self.maximum,
        }


@dataclass
class CheckInDay:
    """Check-ins of one event day: how many of the confirmed registrants are in."""

    day: datetime.date
    checked_in: int
    confirmed: int
    is_today: bool = False


@dataclass
class PoolCount:
    """One pool of a form with online places: in person or online."""

    attendance: str
    label: str
    capacity: int | None
    confirmed: int = 0
    waitlisted: int = 0

    @property
    def seats_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)


@dataclass
class Summary:
    form_page: object
    event: object
    time_zone: object
    capacity: int | None
    confirmed: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    languages: list = field(default_factory=list)
    per_day: list = field(default_factory=list)  # [(date, count)], days with registrations
    # Every registration of the form, whatever its status: the unfiltered list's length,
    # so that its paginator need not count them again.
    count: int = 0
    check_in_days: list = field(default_factory=list)  # [CheckInDay], every event day
    check_in_url: str = ""
    door_list_url: str = ""
    pools: list = field(default_factory=list)  # [PoolCount], forms with online places only

    @property
    def check_in_today(self):
        """Today's CheckInDay while the event is on, else None."""
        return next((day for day in self.check_in_days if day.is_today), None)

    @property
    def total(self):
        return self.confirmed + self.waitlisted + self.cancelled

    @property
    def seats_left(self):
        if self.pools:
            lefts = [pool.seats_left for pool in self.pools]
            return None if None in lefts else sum(lefts)
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)

    @property
    def title(self):
        return self.event.title if self.event is not None else self.form_page.title

    @property
    def chart(self):
        return bar_chart(self.per_day)


def bar_chart(per_day, days=CHART_DAYS):
    """Bars for each day from the first registration (at most `days` before the last)
    to the last, days without registrations included. None when there is nothing."""
    if not per_day:
        return None
    counts = dict(per_day)
    last_day = max(counts)
    first_day = max(min(counts), last_day - datetime.timedelta(days=days - 1))
    span = (last_day - first_day).days + 1
    maximum = max(count for day, count in per_day if day >= first_day)
    slot = CHART_WIDTH / span
    gap = min(2.0, slot * 0.2)
    bars = []
    for offset in range(span):
        day = first_day + datetime.timedelta(days=offset)
        count = counts.get(day, 0)
        height = round(CHART_HEIGHT * count / maximum, 2) if maximum else 0
        bars.append(
            Bar(
                day=day,
                count=count,
                x=round(offset * slot + gap / 2, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(slot - gap, 2),
                height=height,
            )
        )
    return Chart(bars=bars, maximum=maximum, first_day=first_day, last_day=last_day)


def summarise(form_page, *, event=None, time_zone=None):
    """The summary of one form (any language version; counts are the source page's)."""
    source = form_page.source_page()
    if event is None:
        event = source.event
    return summarise_many([(source, event)], time_zone=time_zone)[0]


def total_capacity(source):
    """Places in all of a form's pools together; None when one has no limit."""
    capacities = [capacity for _option, capacity in source.attendance_options()]
    return None if None in capacities else sum(capacities)


def summarise_many(forms_and_events, *, time_zone=None):
    """Summaries of several source form pages, given as [(source_page, event or None)]."""
    statuses = set(RegistrationStatus.values)
    summaries = []
    for source, event in forms_and_events:
        zone = time_zone or event_time_zone(event)
        summaries.append(
            Summary(
                form_page=source,
                event=event,
                time_zone=zone,
                capacity=total_capacity(source),
                languages=[LanguageCount(code, str(name)) for code, name in settings.LANGUAGES],
            )
        )
    if not summaries:
        return summaries
    by_page = {summary.form_page.pk: summary for summary in summaries}

    # One query per time zone: the rows per form, status, language and day. COUNT(*), not
    # COUNT(id), so that PostgreSQL can answer from the index alone.
    pages_by_zone = defaultdict(list)
    for summary in summaries:
        pages_by_zone[summary.time_zone].append(summary.form_page.pk)
    for zone, page_ids in pages_by_zone.items():
        rows = (
            Registration.objects.filter(page_id__in=page_ids)
            .annotate(day=TruncDate("submit_time", tzinfo=zone))
            .values_list("page_id", "status", "language", "day")
            .annotate(count=Count("*"))
            .order_by()
        )
        per_day = defaultdict(lambda: defaultdict(int))
        for page_id, status, code, day, count in rows:
            summary = by_page[page_id]
            summary.count += count
            per_day[page_id][day] += count
            language = next((lc for lc in summary.languages if lc.code == code), None)
            if language is None:
                language = LanguageCount(code, code)
                summary.languages.append(language)
            if status in statuses:
                setattr(summary, status, getattr(summary, status) + count)
                setattr(language, status, getattr(language, status) + count)
        for page_id, days in per_day.items():
            by_page[page_id].per_day = sorted(days.items())
    add_pool_counts([summary for summary in summaries if summary.form_page.offers_online])
    add_check_in_counts(summaries)
    return summaries


def add_pool_counts(summaries):
    """Fill the in-person and online pools of forms with online places: one query."""
    if not summaries:
        return
    by_page = {summary.form_page.pk: summary for summary in summaries}
    for summary in summaries:
        summary.pools = [
            PoolCount(option.value, str(option.label), capacity)
            for option, capacity in summary.form_page.attendance_options()
        ]
    rows = (
        Registration.objects.filter(
            page_id__in=list(by_page),
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
        )
        .values_list("page_id", "attendance", "status")
        .annotate(count=Count("*"))
        .order_by()
    )
    for page_id, attendance, status, count in rows:
        pool = next((p for p in by_page[page_id].pools if p.attendance == attendance), None)
        if pool is not None:
            setattr(pool, status, getattr(pool, status) + count)


def staff_url(name, *args):
    """The check-in page's address (under a language prefix) in the language the admin
    speaks to the user now, if the site has it, else the site's default language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        return reverse(name, args=args)


def add_check_in_counts(summaries, now=None):
    """Fill each summary's `check_in_days` (after its confirmed count): one query."""
    counts = defaultdict(int)
    rows = (
        CheckIn.objects.filter(registration__page_id__in=[s.form_page.pk for s in summaries])
        .values_list("registration__page_id", "day")
        .annotate(count=Count("*"))
        .order_by()
    )
    for page_id, day, count in rows:
        counts[page_id, day] = count
    for summary in summaries:
        days = event_days(summary.event, now)
        today = timezone.localdate(now or timezone.now(), summary.time_zone)
        summary.check_in_url = staff_url("checkin:scan", summary.form_page.pk)
        summary.door_list_url = staff_url("checkin:door_list", summary.form_page.pk)
        summary.check_in_days = [
            CheckInDay(
                day=day,
                checked_in=counts[summary.form_page.pk, day],
                confirmed=summary.confirmed,
                is_today=day == today,
            )
            for day in days
        ]


def current_forms(limit=DASHBOARD_FORMS, now=None):
    """Live source registration forms whose event has not ended (or that have no event),
    soonest event first, with their events: a fixed number of queries."""
    now = now or timezone.now()
    forms = list(
        RegistrationFormPage.source_pages()
        .live()
        .specific()
        .order_by("-first_published_at", "-pk")[:50]
    )
    parent_paths = {page.path[: -page.steplen] for page in forms}
    events = {event.path: event for event in EventPage.objects.filter(path__in=parent_paths)}
    result = []
    for page in forms:
        event = events.get(page.path[: -page.steplen])
        if event is not None and event.end < now:
            continue
        result.append((page, event))
    far_future = timezone.now() + datetime.timedelta(days=365 * 100)
    result.sort(key=lambda pair: pair[1].start if pair[1] is not None else far_future)
    return result[:limit]


class RegistrationsDashboardPanel(Component):
    """Registration summaries of the current forms, on the Wagtail dashboard, for
    registration managers only (the hook adds it only for them)."""

    name = "registrations_summary"
    template_name = "forms_app/admin/dashboard_panel.html"
    order = 90  # above Wagtail's own panels

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        summaries = []
        if can_manage_registrations(request.user):
            summaries = summarise_many(current_forms())
        return {"summaries": summaries, "request": request}


class CheckInDashboardPanel(Component):
    """For door staff (who see no registrations panel): the current forms, how many are
    in today, and links to the check-in page and the printable door list, in the staff
    member's admin language where the site has it."""

    name = "check_in_summary"
    template_name = "forms_app/checkin/dashboard_panel.html"
    order = 80

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        summaries = []
        if can_check_in(request.user):
            summaries = summarise_many(current_forms())
        return {"summaries": summaries, "request": request}
