"""A form's registrations in the admin: one list for every language, filters, search,
event-time-zone times, and the Cancel / Resend email / Delete actions."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forms_app.models import EmailKind, OutgoingEmail, Registration, RegistrationStatus
from tests.helpers import list_url, moment, register

# Fixtures: registrar, editor, registrar_client, editor_client.
pytestmark = pytest.mark.django_db


def emails_in(html, *addresses):
    return {address for address in addresses if address in html}


ALL = ("alice@example.org", "ayse@example.org", "bilal@example.org", "cem@example.org")


@pytest.fixture
def four(form_in):
    """Three confirmed (capacity 3) in English, Turkish and Urdu, then one waitlisted."""
    return {
        "alice": register(form_in("en"), "Alice Brown", "alice@example.org", at=moment(2)),
        "ayse": register(form_in("tr"), "Ayşe Yılmaz", "ayse@example.org", at=moment(3)),
        "bilal": register(form_in("ur"), "Bilal Ahmed", "bilal@example.org", at=moment(4)),
        "cem": register(form_in("tr"), "Cem Öztürk", "cem@example.org", at=moment(5)),
    }


def test_one_list_holds_every_language_with_status_language_and_email(
    registrar_client, form_in, four
):
    assert four["cem"].status == RegistrationStatus.WAITLISTED
    response = registrar_client.get(list_url(form_in("en")))
    assert response.status_code == 200
    html = response.content.decode()
    assert emails_in(html, *ALL) == set(ALL)
    assert "Ayşe Yılmaz" in html
    for heading in ("Status", "Language", "Email", "Country of residence", "Area of work"):
        assert f">{heading}<" in html, heading
    # Questions are labelled in the source language, answers in canonical form.
    assert "İkamet edilen ülke" not in html
    assert "Social media" in html
    assert '<td lang="tr">Türkçe</td>' in html
    assert '<td lang="ur">اردو</td>' in html
    assert '<td lang="en">English</td>' in html
    assert "registrations-status--waitlisted" in html
    assert html.count("registrations-status--confirmed") == 3


def test_a_translations_list_address_leads_to_the_one_list(registrar_client, form_in):
    response = registrar_client.get(list_url(form_in("ur")), {"language": "ur"})
    assert response.status_code == 302
    assert response["Location"] == f"{list_url(form_in('en'))}?language=ur"


FILTERS = [
    ({"language": "tr"}, {"ayse@example.org", "cem@example.org"}),
    ({"language": "ur"}, {"bilal@example.org"}),
    ({"status": "waitlisted"}, {"cem@example.org"}),
    ({"status": "confirmed", "language": "tr"}, {"ayse@example.org"}),
    ({"q": "bilal@example"}, {"bilal@example.org"}),
    ({"q": "Öztürk"}, {"cem@example.org"}),
    (
        {"date_from": "2026-01-03", "date_to": "2026-01-04"},
        {"ayse@example.org", "bilal@example.org"},
    ),
]


def test_filters_and_search(registrar_client, form_in, four):
    url = list_url(form_in("en"))
    for query, expected in FILTERS:
        response = registrar_client.get(url, query)
        assert response.status_code == 200, query
        assert emails_in(response.content.decode(), *ALL) == expected, query
        # The results-only fragment (refreshed as filters change) filters the same way.
        results = reverse("wagtailforms:list_submissions_results", args=[form_in("en").pk])
        fragment = registrar_client.get(results, query).content.decode()
        assert emails_in(fragment, *ALL) == expected, query


def test_times_and_the_date_filter_follow_the_events_time_zone(registrar_client, form_in, event):
    event.time_zone = "Asia/Karachi"  # UTC+5, not the site's Europe/Istanbul
    event.save()
    register(form_in("tr"), "Late Evening", "late@example.org", at=moment(10, 21, 30))
    register(form_in("en"), "Next Night", "next@example.org", at=moment(11, 20, 0))
    url = list_url(form_in("en"))

    html = registrar_client.get(url).content.decode()
    assert "2026-01-11 02:30" in html  # 21:30 UTC on the 10th, in Karachi
    assert "Asia/Karachi" in html

    html = registrar_client.get(url, {"date_from": "2026-01-11", "date_to": "2026-01-11"})
    html = html.content.decode()
    assert "late@example.org" in html
    assert "next@example.org" not in html  # 01:00 on the 12th in Karachi


def test_cancel_asks_first_then_promotes_the_earliest_waitlisted_and_emails_them(
    registrar_client, form_in, django_capture_on_commit_callbacks, mailoutbox
):
    en, tr, ur = form_in("en"), form_in("tr"), form_in("ur")
    register(en, "One", "one@example.org", at=moment(1))
    two = register(tr, "Two", "two@example.org", at=moment(2))
    register(ur, "Three", "three@example.org", at=moment(3))
    # Registered first, but later in time: the earliest by time is promoted.
    later = register(ur, "Later Waiting", "later@example.org", at=moment(6))
    earlier = register(tr, "Earlier Waiting", "earlier@example.org", at=moment(5))
    assert {later.status, earlier.status} == {RegistrationStatus.WAITLISTED}
    cancel = reverse("forms_app_admin:cancel_registration", args=[two.pk])

    confirm = registrar_client.get(cancel)
    assert confirm.status_code == 200
    assert "Yes, cancel the registration" in confirm.content.decode()
    two.refresh_from_db()
    assert two.status == RegistrationStatus.CONFIRMED  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(cancel, {"next": list_url(en)})
    assert response.status_code == 302
    assert response["Location"] == list_url(en)
    for registration in (two, earlier, later):
        registration.refresh_from_db()
    assert two.status == RegistrationStatus.CANCELLED
    assert earlier.status == RegistrationStatus.CONFIRMED
    assert later.status == RegistrationStatus.WAITLISTED
    assert sorted(message.to[0] for message in mailoutbox) == [
        "earlier@example.org",
        "two@example.org",
    ]
    assert OutgoingEmail.objects.filter(registration=earlier, kind=EmailKind.PROMOTED).exists()

    listing = registrar_client.get(list_url(en)).content.decode()
    assert "Earlier Waiting has been given the place" in listing


def test_cancelling_twice_changes_nothing_more(
    registrar_client, form_in, four, django_capture_on_commit_callbacks, mailoutbox
):
    cancel = reverse("forms_app_admin:cancel_registration", args=[four["alice"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        registrar_client.post(cancel)
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(cancel, follow=True)
    assert "already cancelled" in response.content.decode()
    assert len(mailoutbox) == sent
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    assert Registration.objects.filter(status=RegistrationStatus.WAITLISTED).count() == 0
    # Cancelled rows offer no actions.
    listing = registrar_client.get(list_url(form_in("en"))).content.decode()
    assert cancel not in listing


def test_resend_sends_the_registrant_one_email(
    registrar_client, form_in, four, django_capture_on_commit_callbacks, mailoutbox
):
    ayse = four["ayse"]
    resend = reverse("forms_app_admin:resend_registration_email", args=[ayse.pk])
    listing = registrar_client.get(list_url(form_in("en"))).content.decode()
    assert f'action="{resend}"' in listing

    assert registrar_client.get(resend).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(resend, {"next": list_url(form_in("en"))})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ayse@example.org"]
    assert mailoutbox[0].extra_headers["Content-Language"] == "tr"
    email = OutgoingEmail.objects.get(kind=EmailKind.DETAILS_AGAIN)
    assert (email.registration, email.status) == (ayse, OutgoingEmail.Status.SENT)
    ayse.refresh_from_db()
    assert ayse.status == RegistrationStatus.CONFIRMED


def test_deleting_a_confirmed_registration_hands_its_place_on(
    registrar_client, form_in, four, django_capture_on_commit_callbacks, mailoutbox
):
    form_page = form_in("en")
    delete = reverse("wagtailforms:delete_submissions", args=[form_page.pk])
    selected = f"{delete}?selected-submissions={four['bilal'].pk}"
    confirm = registrar_client.get(selected)
    assert confirm.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(selected, {"next": list_url(form_page)})
    assert response.status_code == 302
    assert not Registration.objects.filter(pk=four["bilal"].pk).exists()
    four["cem"].refresh_from_db()
    assert four["cem"].status == RegistrationStatus.CONFIRMED
    # The deleted person is not written to; the promoted one is.
    assert [message.to for message in mailoutbox] == [["cem@example.org"]]


def test_the_list_costs_the_same_queries_for_5_or_25_registrations(
    registrar_client, form_in, django_assert_max_num_queries
):
    form_page = form_in("en")
    form_page.capacity = None
    form_page.save()
    url = list_url(form_page)

    def count():
        registrar_client.get(url)  # warm caches (sessions, content types, sites)
        with CaptureQueriesContext(connection) as queries:
            assert registrar_client.get(url).status_code == 200
        return len(queries)

    for number in range(5):
        register(form_in(("en", "tr", "ur")[number % 3]), f"P{number}", f"p{number}@x.org")
    few = count()
    for number in range(5, 25):
        register(form_in(("en", "tr", "ur")[number % 3]), f"P{number}", f"p{number}@x.org")
    many = count()
    assert many == few, (few, many)
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        registrar_client.get(url)


# Measured for a registration manager: 16 — the user, their permissions (2) and admin
# profile, Wagtail's page lookup (2) and page permissions, the source page, the manager
# check, the event, the summary (one grouped query, whose total is also the paginator's
# count), the questions, the rows, and Wagtail's locales, collection permissions and Forms
# menu item. One more (a COUNT) only when filtering or searching. Was 19 (the summary in
# two queries and a separate COUNT; the event in two). Plus one since the summary shows
# the live check-in counts per event day (one grouped query over the form's check-ins).
MAX_LIST_QUERIES = 17


def test_the_list_counts_its_registrations_once_across_languages_and_statuses(
    registrar_client, form_in, four, django_assert_max_num_queries
):
    """The summary's one grouped query gives the numbers above the list and the
    paginator's total: no separate COUNT, and no query per row, status or language."""
    from forms_app import services

    services.cancel(four["alice"], notify=False)  # cem (tr) takes her place
    register(form_in("ur"), "Dina Khan", "dina@example.org", at=moment(6))  # waitlisted
    url = list_url(form_in("en"))
    registrar_client.get(url)  # warm caches (sessions, content types, sites)

    with django_assert_max_num_queries(MAX_LIST_QUERIES) as queries:
        html = registrar_client.get(url).content.decode()
    registration_queries = [
        query["sql"]
        for query in queries
        if '"forms_app_registration"' in query["sql"] and '"forms_app_checkin"' not in query["sql"]
    ]
    assert len(registration_queries) == 2, registration_queries  # summary, rows
    assert not any("COUNT(*) AS" in sql and "__count" in sql for sql in registration_queries)

    assert "5 registrations" in html  # the paginator's total, from the summary
    numbers = dict(re.findall(r'<dd data-summary="([a-z-]+)">([^<]*)</dd>', html))
    assert (numbers["confirmed"], numbers["waitlisted"], numbers["cancelled"]) == ("3", "1", "1")
    by_language = {
        code: numbers
        for code, *numbers in re.findall(
            r'<tr data-language="(\w+)">\s*<th[^>]*>[^<]*</th>'
            r"\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>",
            html,
        )
    }
    assert by_language == {
        "en": ["0", "0", "1"],
        "tr": ["2", "0", "0"],
        "ur": ["1", "1", "0"],
    }
    assert html.count("registrations-status--cancelled") == 1
    assert html.count("registrations-status--waitlisted") == 1
    # Newest first.
    emails = re.findall(r"<td>([a-z]+@example\.org)</td>", html)
    assert emails == [
        "dina@example.org",
        "cem@example.org",
        "bilal@example.org",
        "ayse@example.org",
        "alice@example.org",
    ]

    # Filtered, the list counts what matches (one COUNT more), the summary still all.
    with django_assert_max_num_queries(MAX_LIST_QUERIES + 1):
        html = registrar_client.get(url, {"language": "ur"}).content.decode()
    assert "There are 2 matches" in html
    assert re.findall(r"<td>([a-z]+@example\.org)</td>", html) == [
        "dina@example.org",
        "bilal@example.org",
    ]
    assert dict(re.findall(r'<dd data-summary="([a-z-]+)">([^<]*)</dd>', html))["confirmed"] == "3"


def test_registrations_at_the_same_moment_keep_one_order_across_pages(registrar_client, form_in):
    """Ties in the sort column are broken by id, in the same direction, so that no row
    appears on two pages or on none."""
    form_page = form_in("en")
    form_page.capacity = None
    form_page.save()
    registered = [
        register(form_in("tr"), f"Same {n}", f"same{n}@example.org", at=moment(7)) for n in range(3)
    ]
    html = registrar_client.get(list_url(form_page)).content.decode()
    ids = re.findall(r'name="selected-submissions" class="select-submission" value="(\d+)"', html)
    assert ids == [str(r.pk) for r in reversed(registered)]
    html = registrar_client.get(list_url(form_page), {"order_by": "submit_time"}).content.decode()
    ids = re.findall(r'name="selected-submissions" class="select-submission" value="(\d+)"', html)
    assert ids == [str(r.pk) for r in registered]


def test_the_results_fragment_computes_no_summary(registrar_client, form_in, four):
    results = reverse("wagtailforms:list_submissions_results", args=[form_in("en").pk])
    registrar_client.get(results)
    with CaptureQueriesContext(connection) as queries:
        fragment = registrar_client.get(results).content.decode()
    assert "registrations-summary" not in fragment
    assert not any("GROUP BY" in query["sql"] for query in queries)
    assert "4 registrations" in fragment  # counted by the paginator itself
