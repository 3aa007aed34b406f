"""Checking people in at the door (forms_app.checkin, forms_app.checkin_views).

- Every outcome of a scan: checked in now, already checked in (at what time, by whom),
  not confirmed (waiting list), cancelled, wrong event, unknown code; a typed code with
  spaces or in lower case is the same ticket.
- Per day: a three-day event's day 2 is not "already" because of day 1; the day defaults
  to today within the event's dates (its first day before it starts).
- Undo deletes the day's check-in and is logged with ids only.
- The page: in the staff member's language (Urdu right to left), behind the admin's login,
  strict CSP (no inline script or style), a scan is a JSON POST with the CSRF token, within
  a query budget; door staff see names and nothing else, and get 403 on the registrations
  list, its exports and its actions.
- The printed door list is sorted by family name (the last word), with ticket tails.
- Live counts: checked in / confirmed per day, on the summary and the dashboard.
- Two scans of the same ticket at the same moment: test_check_in_concurrency.py (its own
  module: transactional tests cannot share this module's site).
- The time a scan takes (median of 50 in process) is measured and printed."""

import datetime as dt
import json
import statistics
import time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageLogEntry

from forms_app import checkin, services
from forms_app.checkin import CheckInOutcome
from forms_app.models import CheckIn, Registration
from forms_app.summary import add_check_in_counts, summarise
from tests.factories.forms import RegistrationFormPageFactory
from tests.helpers import list_url, make_user, register

pytestmark = pytest.mark.django_db

CHECK_IN_GROUP = "Check-in staff"


@pytest.fixture
def door(db):
    return make_user("door", CHECK_IN_GROUP, first_name="Deniz", last_name="Kapı")


@pytest.fixture
def door_client(door):
    client = Client()
    client.force_login(door)
    return client


@pytest.fixture
def people(form_in):
    """Capacity 3: Ayşe, Bilal and Cemile confirmed, Dawood on the waiting list."""
    return {
        "ayse": register(form_in("tr"), "Ayşe Nur Yılmaz", "ayse@example.org"),
        "bilal": register(form_in("ur"), "بلال احمد", "bilal@example.org"),
        "cemile": register(form_in("en"), "Cemile Çakır", "cemile@example.org"),
        "dawood": register(form_in("en"), "Dawood Ahmed", "dawood@example.org"),
    }


def days_of(form_page):
    return checkin.event_days(form_page.event)


def scan_url(form_page, language="en"):
    with translation.override(language):
        return reverse("checkin:check_in", args=[form_page.pk])


def page_url(form_page, language="en", name="checkin:scan"):
    with translation.override(language):
        return reverse(name, args=[form_page.pk])


def post_scan(client, form_page, language="en", **data):
    response = client.post(scan_url(form_page, language), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    return response.json()


# The service -------------------------------------------------------------------------------


def test_every_outcome_of_a_scan(form_page, people, door):
    day = days_of(form_page)[0]
    ayse = people["ayse"]
    assert people["dawood"].status == "waitlisted" and people["dawood"].ticket_code is None

    first = checkin.check_in(form_page, day=day, user=door, code=ayse.ticket_code)
    assert first.outcome == CheckInOutcome.CHECKED_IN
    assert first.registration == ayse and first.check_in.checked_in_by == door

    # Typed by hand: lower case, spaces, a dash. The same ticket, already in.
    typed = f" {ayse.ticket_code[:5].lower()}-{ayse.ticket_code[5:]} "
    again = checkin.check_in(form_page, day=day, user=None, code=typed)
    assert again.outcome == CheckInOutcome.ALREADY_CHECKED_IN
    assert again.check_in.pk == first.check_in.pk
    assert checkin.checked_in_by_name(again.check_in) == "Deniz Kapı"

    waiting = checkin.check_in(form_page, day=day, registration_id=people["dawood"].pk)
    assert waiting.outcome == CheckInOutcome.NOT_CONFIRMED

    services.cancel(people["cemile"], notify=False)  # Dawood gets her place
    cancelled = checkin.check_in(form_page, day=day, code=people["cemile"].ticket_code)
    assert cancelled.outcome == CheckInOutcome.CANCELLED
    promoted = Registration.objects.get(pk=people["dawood"].pk)
    assert checkin.check_in(form_page, day=day, code=promoted.ticket_code).outcome == (
        CheckInOutcome.CHECKED_IN
    )

    for unknown in ("23456789ABCDEFGHJKMN", "not a code!", "", "0" * 20):
        assert checkin.check_in(form_page, day=day, code=unknown).outcome == CheckInOutcome.UNKNOWN
    assert CheckIn.objects.count() == 2


def test_a_ticket_of_another_form_is_the_wrong_event(form_page, people, event):
    workshop = RegistrationFormPageFactory(parent=event, slug="workshop", title="Workshop")
    other = register(workshop, "Ayşe Nur Yılmaz", "ayse@example.org", answers={})
    day = days_of(form_page)[0]
    result = checkin.check_in(form_page, day=day, code=other.ticket_code)
    assert result.outcome == CheckInOutcome.WRONG_EVENT
    # And the other way round.
    assert (
        checkin.check_in(workshop, day=day, code=people["ayse"].ticket_code).outcome
        == CheckInOutcome.WRONG_EVENT
    )
    assert not CheckIn.objects.exists()


def test_each_day_of_a_three_day_event_is_checked_in_separately(form_page, people, door):
    days = days_of(form_page)
    assert len(days) == 3  # the event runs two days after its start: three dates
    assert days[1] - days[0] == dt.timedelta(days=1)
    code = people["ayse"].ticket_code
    outcomes = [checkin.check_in(form_page, day=day, user=door, code=code).outcome for day in days]
    assert outcomes == [CheckInOutcome.CHECKED_IN] * 3
    assert checkin.check_in(form_page, day=days[1], code=code).outcome == (
        CheckInOutcome.ALREADY_CHECKED_IN
    )
    assert sorted(CheckIn.objects.values_list("day", flat=True)) == days


def test_the_day_defaults_to_today_within_the_event(form_page):
    event = form_page.event
    days = checkin.event_days(event)
    zone = checkin.time_zone_of(event)
    assert days[0] == timezone.localtime(event.start, zone).date()
    # Before the event: its first day; during it: today; after it: its last day.
    assert checkin.default_day(event) == days[0]
    during = event.start + dt.timedelta(days=1, hours=1)
    assert checkin.default_day(event, now=during) == timezone.localtime(during, zone).date()
    assert checkin.default_day(event, now=event.end + dt.timedelta(days=9)) == days[-1]
    assert checkin.parse_day(days[2].isoformat(), days) == days[2]
    assert checkin.parse_day((days[-1] + dt.timedelta(days=1)).isoformat(), days) is None
    assert checkin.parse_day("yesterday", days) is None
    # A form without an event (a volunteer sign-up) has one day: today.
    assert checkin.event_days(None) == [timezone.localdate(timezone.now(), zone)]


def test_undo_deletes_the_check_in_and_is_logged_with_ids_only(form_page, people, door):
    day = days_of(form_page)[0]
    ayse = people["ayse"]
    checkin.check_in(form_page, day=day, user=door, code=ayse.ticket_code)
    assert checkin.undo(form_page, registration_id=ayse.pk, day=day, user=door) is True
    assert not CheckIn.objects.exists()
    assert checkin.undo(form_page, registration_id=ayse.pk, day=day, user=door) is False
    (entry,) = PageLogEntry.objects.filter(page=form_page, action="forms_app.undo_check_in")
    assert entry.user == door
    assert entry.data == {"registration": ayse.pk, "day": day.isoformat()}
    logged = json.dumps(entry.data, ensure_ascii=False) + entry.label
    assert "Ayşe" not in logged and "ayse@" not in logged and ayse.ticket_code not in logged
    with translation.override("en"):
        assert entry.formatter.format_message(entry) == (
            f"Undid the check-in of registration {ayse.pk} on {day.isoformat()}"
        )
    # Checked in again after the undo: "now", not "already".
    assert checkin.check_in(form_page, day=day, code=ayse.ticket_code).outcome == (
        CheckInOutcome.CHECKED_IN
    )


def test_the_door_list_is_sorted_by_family_name(form_page, people):
    day = days_of(form_page)[0]
    form_page.capacity = None
    form_page.save()
    register(form_page, "zeynep ABAY", "zeynep@example.org")
    checkin.check_in(form_page, day=day, code=people["cemile"].ticket_code)
    rows = checkin.door_list(form_page, day)
    # ABAY, Çakır, Yılmaz (case and accents folded), then احمد: the last word of each
    # name. Dawood is on the waiting list: not on the door list.
    assert [row.name for row in rows] == [
        "zeynep ABAY",
        "Cemile Çakır",
        "Ayşe Nur Yılmaz",
        "بلال احمد",
    ]
    assert checkin.family_name("Ayşe Nur Yılmaz") == "Yılmaz"
    assert checkin.family_name("  ") == ""
    cemile = rows[1]
    assert cemile.checked_in_at is not None and rows[0].checked_in_at is None
    assert cemile.ticket_tail == people["cemile"].ticket_code[-4:]


def test_the_printed_door_list(door_client, form_page, people):
    day = days_of(form_page)[2]
    checkin.check_in(form_page, day=day, code=people["bilal"].ticket_code)
    response = door_client.get(page_url(form_page, "ur", "checkin:door_list"), {"day": day})
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="ur" dir="rtl">' in html
    assert 'class="checkin checkin--print"' in html  # the print stylesheet's hook
    assert html.count('class="door-list__box') == 3
    assert html.count("door-list__box--ticked") == 1
    assert f'<tr data-registration="{people["bilal"].pk}">' in html
    assert "Dawood" not in html


# The page -----------------------------------------------------------------------------------


def test_the_page_is_in_the_staff_members_language_right_to_left_in_urdu(
    door_client, form_page, people
):
    response = door_client.get(page_url(form_page, "ur"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    assert "تیسری کانفرنس" in html  # the event's Urdu title
    assert "ٹکٹ کوڈ" in html  # "Ticket code"
    assert (
        response["Cache-Control"].startswith("max-age=0")
        or "no-cache" in (response["Cache-Control"])
    )
    turkish = door_client.get(page_url(form_page, "tr")).content.decode()
    assert '<html lang="tr" dir="ltr">' in turkish and "Üçüncü Konferans" in turkish
    index = door_client.get("/ur/check-in/").content.decode()
    assert page_url(form_page, "ur") in index and "تیسری کانفرنس" in index


def test_the_page_keeps_the_strict_csp(door_client, form_page):
    response = door_client.get(page_url(form_page))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.content.decode()
    scripts = html.count("<script")
    assert scripts == html.count('<script src="/static/forms_app/checkin.js" defer>') == 1
    assert " style=" not in html and "<style" not in html
    # The vendored decoder is named with its pinned version, served from our origin.
    assert "/static/forms_app/checkin/vendor/jsqr-1.4.0/jsQR.js" in html


def test_a_scan_is_a_json_post_in_the_staff_members_language(door_client, form_page, people):
    code = people["ayse"].ticket_code
    first = post_scan(door_client, form_page, "en", code=code)
    assert first["outcome"] == "checked_in" and first["name"] == "Ayşe Nur Yılmaz"
    assert first["lets_in"] and first["can_undo"]
    assert set(first) == {
        "outcome",
        "label",
        "message",
        "name",
        "registration",
        "day",
        "time",
        "by",
        "can_undo",
        "lets_in",
    }  # a name, never an address, an answer or the ticket code
    second = post_scan(door_client, form_page, "ur", code=code)
    assert second["outcome"] == "already_checked_in"
    at = CheckIn.objects.get().checked_in_at
    local = timezone.localtime(at, checkin.time_zone_of(form_page.event)).strftime("%H:%M")
    assert second["time"] == local and second["by"] == "Deniz Kapı"
    assert "پہلے ہی" in second["message"] and local in second["message"]
    assert "Deniz Kapı" in second["message"]
    waiting = post_scan(door_client, form_page, "tr", registration=people["dawood"].pk)
    assert waiting["outcome"] == "not_confirmed" and "bekleme" in waiting["message"].lower()
    unknown = post_scan(door_client, form_page, "en", code="NOPE")
    assert unknown == {**unknown, "outcome": "unknown", "name": "", "registration": None}


def test_a_scan_needs_the_csrf_token(door, form_page, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(door)
    response = client.post(
        scan_url(form_page), {"code": people["ayse"].ticket_code}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403
    assert not CheckIn.objects.exists()
    page = client.get(page_url(form_page)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        scan_url(form_page),
        {"code": people["ayse"].ticket_code, "csrfmiddlewaretoken": token},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["outcome"] == "checked_in"


def test_without_javascript_the_forms_post_and_the_page_shows_the_result(
    door_client, form_page, people
):
    day = days_of(form_page)[1]
    response = door_client.post(
        scan_url(form_page), {"code": people["bilal"].ticket_code, "day": day.isoformat()}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "checkin-result--checked_in" in html and "بلال احمد" in html
    assert CheckIn.objects.get().day == day
    # A day the event does not have is refused, not moved to another day.
    after = (days_of(form_page)[-1] + dt.timedelta(days=1)).isoformat()
    refused = door_client.post(
        scan_url(form_page), {"code": people["ayse"].ticket_code, "day": after}
    )
    assert refused.status_code == 400 and CheckIn.objects.count() == 1
    response = door_client.post(
        page_url(form_page, name="checkin:undo"),
        {"registration": people["bilal"].pk, "day": day.isoformat()},
    )
    assert "Check-in undone." in response.content.decode()
    assert not CheckIn.objects.exists()


def test_undo_through_the_page(door_client, door, form_page, people):
    post_scan(door_client, form_page, code=people["ayse"].ticket_code)
    response = door_client.post(
        page_url(form_page, name="checkin:undo"),
        {"registration": people["ayse"].pk, "day": days_of(form_page)[0].isoformat()},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["undone"] is True
    assert not CheckIn.objects.exists()
    assert PageLogEntry.objects.filter(action="forms_app.undo_check_in", user=door).count() == 1


def test_search_by_name_or_email_answers_with_names_only(door_client, form_page, people):
    url = page_url(form_page, name="checkin:search")
    found = door_client.get(url, {"q": "bilal@example"}, HTTP_ACCEPT="application/json").json()
    assert [person["name"] for person in found["people"]] == ["بلال احمد"]
    assert "bilal@example.org" not in json.dumps(found)
    assert set(found["people"][0]) == {"id", "name", "status", "status_label", "checked_in_at"}
    for query in ("çakır", "CAKIR", "Cemile Ç", "cemile@"):
        found = door_client.get(url, {"q": query}).json()
        assert [person["name"] for person in found["people"]] == ["Cemile Çakır"], query
    found = door_client.get(url, {"q": "ahmed"}).json()  # waitlisted, and found
    assert [(p["name"], p["status"]) for p in found["people"]] == [("Dawood Ahmed", "waitlisted")]
    assert door_client.get(url, {"q": "a"}).json() == {"people": []}  # too short
    # Server-rendered (no JavaScript): names, no addresses.
    html = door_client.get(page_url(form_page), {"q": "example.org"}).content.decode()
    for person in people.values():
        assert person.name in html and person.email not in html


def test_door_staff_see_nothing_else_of_the_registrations(door_client, form_page, people):
    url = list_url(form_page)
    assert door_client.get(url).status_code == 403
    for export in ("csv", "xlsx"):
        assert door_client.get(url, {"export": export}).status_code == 403
    registration = people["ayse"]
    assert (
        door_client.post(
            reverse("forms_app_admin:cancel_registration", args=[registration.pk])
        ).status_code
        == 403
    )
    assert (
        door_client.post(
            reverse("forms_app_admin:resend_registration_email", args=[registration.pk])
        ).status_code
        == 403
    )
    assert door_client.get(f"/admin/forms/submissions/{form_page.pk}/delete/").status_code == 403
    assert door_client.get(
        reverse("forms_app_admin:email_settings", args=[form_page.pk])
    ).status_code in (
        302,
        403,
    )
    # Nor the registrars' tools of the check-in page.
    assert door_client.get(page_url(form_page, name="checkin:walk_in")).status_code == 403
    correct = reverse("checkin:correct", args=[form_page.pk, registration.pk])
    assert door_client.get(correct).status_code == 403
    html = door_client.get(page_url(form_page)).content.decode()
    assert "walk-in" not in html and "/correct/" not in html
    # The door list: names and ticket tails, no addresses, no full codes.
    door_list = door_client.get(page_url(form_page, name="checkin:door_list")).content.decode()
    assert "Ayşe Nur Yılmaz" in door_list and registration.email not in door_list
    assert registration.ticket_code[-4:] in door_list and registration.ticket_code not in door_list


def test_who_may_open_the_check_in_page(editor_client, registrar_client, form_page):
    client = Client()  # signed out
    url = page_url(form_page)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/en/check-in/")
    assert client.post(scan_url(form_page), HTTP_ACCEPT="application/json").status_code == 401
    assert editor_client.get(url).status_code == 403
    assert (
        editor_client.post(scan_url(form_page), {"code": "X"}, HTTP_ACCEPT="application/json")
    ).status_code == 403
    assert registrar_client.get(url).status_code == 200  # managers may check in too
    assert client.get("/en/check-in/999999/").status_code == 302
    assert registrar_client.get("/en/check-in/999999/").status_code == 404


def test_a_translation_is_not_a_check_in_page_of_its_own(registrar_client, form_in):
    # The pool is the source page's: its translations' ids are not doors.
    assert registrar_client.get(page_url(form_in("tr"))).status_code == 404


def test_a_scan_stays_within_its_query_budget(
    door_client, form_page, people, django_assert_max_num_queries
):
    post_scan(door_client, form_page, code=people["cemile"].ticket_code)  # warm caches
    # Measured: the session's user and its permissions (2), the form (one query, the
    # source check included), its event, the registration by its code, and the check-in's
    # savepoint, insert and release: 9, whatever the number of registrations.
    with django_assert_max_num_queries(9):
        assert post_scan(door_client, form_page, code=people["ayse"].ticket_code)["outcome"] == (
            "checked_in"
        )
    # "Already": the insert refused, rolled back to the savepoint, and the earlier
    # check-in read with its user.
    with django_assert_max_num_queries(11):
        assert post_scan(door_client, form_page, code=people["ayse"].ticket_code)["outcome"] == (
            "already_checked_in"
        )


def test_the_time_a_scan_takes(door_client, form_page):
    """Request latency of a scan, in process (Django's test client, the test database):
    the median over 50 first-time check-ins, printed for the record; a generous bound."""
    form_page.capacity = None
    form_page.save()
    codes = [
        register(form_page, f"Guest {n}", f"guest{n}@example.org", answers={}).ticket_code
        for n in range(51)
    ]
    post_scan(door_client, form_page, code=codes.pop())  # warm caches
    timings = []
    for code in codes:
        started = time.perf_counter()
        answer = post_scan(door_client, form_page, code=code)
        timings.append(time.perf_counter() - started)
        assert answer["outcome"] == "checked_in"
    median = statistics.median(timings) * 1000
    worst = max(timings) * 1000
    print(
        f"\ncheck-in scan latency ({connection.vendor}): median {median:.1f} ms, max {worst:.1f} ms"
    )
    assert median < 250


# Counts -------------------------------------------------------------------------------------


def test_live_counts_per_day_on_the_summary_and_the_dashboard(
    form_page, people, door, door_client, registrar_client
):
    days = days_of(form_page)
    for person in ("ayse", "bilal"):
        checkin.check_in(form_page, day=days[0], code=people[person].ticket_code)
    checkin.check_in(form_page, day=days[1], code=people["ayse"].ticket_code)
    summary = summarise(form_page)
    assert [(d.day, d.checked_in, d.confirmed) for d in summary.check_in_days] == [
        (days[0], 2, 3),
        (days[1], 1, 3),
        (days[2], 0, 3),
    ]
    assert summary.check_in_today is None  # the event has not started: no "today"
    # Noon of the second day in the event's zone (the start plus a day would be the third
    # day for an event that starts late in the evening, as the fixture's can).
    zone = ZoneInfo(form_page.event.time_zone)
    during = dt.datetime.combine(days[1], dt.time(12), tzinfo=zone)
    add_check_in_counts([summary], now=during)
    assert summary.check_in_today.day == days[1]
    assert [d.is_today for d in summary.check_in_days] == [False, True, False]

    html = registrar_client.get(list_url(form_page)).content.decode()
    table = html[html.index('data-summary="check-ins"') :]
    table = table[: table.index("</table>")]
    for day, count in ((days[0], 2), (days[1], 1), (days[2], 0)):
        assert f'data-day="{day.isoformat()}"' in table
        row = table[table.index(f'data-day="{day.isoformat()}"') :]
        assert f"<td data-checked-in>{count}</td>" in row[: row.index("</tr>")]
    assert page_url(form_page) in html  # the way to the check-in page

    dashboard = registrar_client.get("/admin/").content.decode()
    assert 'data-summary="check-ins"' in dashboard
    door_dashboard = door_client.get("/admin/").content.decode()
    assert 'id="check-in-summary' in door_dashboard
    assert "<td data-checked-in>2</td>" in door_dashboard
    assert "registrations-summary__languages" not in door_dashboard  # counts, no more
    assert page_url(form_page) in door_dashboard
    assert '"/en/check-in/"' in door_dashboard  # the admin menu's item
