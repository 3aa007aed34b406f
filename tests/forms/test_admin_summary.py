"""The registrations summary: numbers per status and language, places left, a per-day
SVG chart without inline styles or scripts, on the form's list and on the dashboard of
registration managers, in a bounded number of queries."""

import datetime as dt
import re

import pytest

from forms_app import services
from forms_app.models import RegistrationFormPage
from forms_app.summary import CHART_HEIGHT, bar_chart, current_forms, summarise
from tests.helpers import list_url, moment, register

# Fixtures: registrar, editor, registrar_client, editor_client.
pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(form_in):
    """Capacity 3. Day 1: en, tr confirmed; day 3: ur confirmed, tr and ur waitlisted;
    then the English registration is cancelled and the Turkish waitlisted one promoted."""
    en, tr, ur = form_in("en"), form_in("tr"), form_in("ur")
    first = register(en, "A", "a@example.org", at=moment(1, 9))
    register(tr, "B", "b@example.org", at=moment(1, 10))
    register(ur, "C", "c@example.org", at=moment(3, 9))
    register(tr, "D", "d@example.org", at=moment(3, 10))
    register(ur, "E", "e@example.org", at=moment(3, 11))
    promoted = services.cancel(first)
    assert promoted.email == "d@example.org"
    return en


def test_summary_numbers(mixed, form_in, django_assert_max_num_queries):
    fresh = RegistrationFormPage.objects.get(pk=mixed.pk)
    event = mixed.event
    # Finding the source page, then one grouped query (per status, language and day), and
    # one for the check-in counts per event day.
    with django_assert_max_num_queries(3):
        summary = summarise(fresh, event=event)
    assert (summary.capacity, summary.confirmed, summary.waitlisted, summary.cancelled) == (
        3,
        3,
        1,
        1,
    )
    assert summary.seats_left == 0
    assert summary.total == 5
    languages = {lc.code: (lc.confirmed, lc.waitlisted, lc.cancelled) for lc in summary.languages}
    assert languages == {"en": (0, 0, 1), "tr": (2, 0, 0), "ur": (1, 1, 0)}
    assert summary.per_day == [(dt.date(2026, 1, 1), 2), (dt.date(2026, 1, 3), 3)]
    # Any language version summarises the one pool.
    assert summarise(form_in("ur")).confirmed == 3


def test_the_chart_has_a_bar_per_day_scaled_to_the_busiest(mixed):
    chart = summarise(mixed).chart
    assert [(bar.day.day, bar.count) for bar in chart.bars] == [(1, 2), (2, 0), (3, 3)]
    heights = [bar.height for bar in chart.bars]
    assert heights == [round(CHART_HEIGHT * 2 / 3, 2), 0, CHART_HEIGHT]
    assert [bar.y + bar.height for bar in chart.bars] == [CHART_HEIGHT] * 3
    assert chart.bars[0].x < chart.bars[1].x < chart.bars[2].x
    assert chart.maximum == 3


def test_the_chart_keeps_the_last_60_days():
    start = dt.date(2026, 1, 1)
    per_day = [(start + dt.timedelta(days=n), n + 1) for n in range(0, 100, 3)]
    chart = bar_chart(per_day)
    assert len(chart.bars) == 60
    assert chart.last_day == per_day[-1][0]
    assert chart.first_day == chart.last_day - dt.timedelta(days=59)
    assert bar_chart([]) is None


def test_days_are_counted_in_the_events_time_zone(form_in, event):
    # 22:30 UTC is already the next day in Istanbul (UTC+3), not in New York.
    register(form_in("en"), "Night", "night@example.org", at=moment(5, 22, 30))

    def fresh_form():
        return RegistrationFormPage.objects.get(pk=form_in("en").pk)

    assert summarise(fresh_form()).per_day == [(dt.date(2026, 1, 6), 1)]
    event.time_zone = "America/New_York"
    event.save()
    assert summarise(fresh_form()).per_day == [(dt.date(2026, 1, 5), 1)]


def svg_of(html):
    match = re.search(r"<svg class=\"registrations-chart__svg\".*?</svg>", html, re.S)
    assert match, "no chart"
    return match.group(0)


def test_the_list_shows_the_summary_and_chart_without_inline_style_or_script(
    registrar_client, mixed
):
    html = registrar_client.get(list_url(mixed)).content.decode()
    numbers = dict(re.findall(r'<dd data-summary="([a-z-]+)">([^<]*)</dd>', html))
    assert numbers == {
        "capacity": "3",
        "confirmed": "3",
        "waitlisted": "1",
        "cancelled": "1",
        "seats-left": "0",
    }
    assert re.search(r'<tr data-language="tr">.*?<td>2</td>\s*<td>0</td>\s*<td>0</td>', html, re.S)
    svg = svg_of(html)
    assert 'role="img"' in svg
    assert len(re.findall(r"<rect class=\"registrations-chart__bar\"", svg)) == 3
    assert 'data-day="2026-01-03" data-count="3"' in svg
    summary = html[html.index('<section class="nice-padding registrations-summary-section"') :]
    summary = summary[: summary.index("</section>")]
    assert " style=" not in summary
    assert "<script" not in summary
    assert "<style" not in summary
    assert "/static/forms_app/admin/registrations.css" in html


def test_the_dashboard_shows_managers_the_current_forms_only(
    registrar_client, editor_client, mixed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        forms = current_forms()
    assert [page.pk for page, _event in forms] == [mixed.pk]  # not its translations
    html = registrar_client.get("/admin/").content.decode()
    assert 'id="registrations-summary-section"' in html
    assert f'href="{list_url(mixed)}"' in html
    assert "Third Conference" in html
    svg_of(html)
    editors_dashboard = editor_client.get("/admin/").content.decode()
    assert 'id="registrations-summary-section"' not in editors_dashboard


def test_the_dashboard_panel_costs_the_same_queries_for_more_registrations(
    registrar_client, form_in
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        registrar_client.get("/admin/")
        with CaptureQueriesContext(connection) as queries:
            registrar_client.get("/admin/")
        return len(queries)

    register(form_in("en"), "P0", "p0@example.org", at=moment(1))
    few = count()
    for number in range(1, 12):
        register(form_in("tr"), f"P{number}", f"p{number}@example.org", at=moment(number))
    many = count()
    assert many == few
    assert many <= 22  # measured: 19 for the whole dashboard, panel included
