"""Simultaneous scans of one ticket, with real threads on PostgreSQL (SQLite serialises
all writers and cannot show a race): one check-in is recorded, every scanner is told
about that one (the winner's time and name), and nobody gets an error. A negative control
drops the (registration, day) unique constraint and shows the same scans then record two
check-ins: the constraint is what makes check-in idempotent."""

import pytest
from django.db import connection

from forms_app import checkin
from forms_app.checkin import CheckInOutcome
from forms_app.models import CheckIn
from tests.helpers import make_user, register, run_at_once

CHECK_IN_GROUP = "Check-in staff"

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL row locks; run with DATABASE_URL=postgres://…",
    ),
]


def days_of(form_page):
    return checkin.event_days(form_page.event)


def _concurrent_scans(form_page, code, day, users, threads):
    results = []

    def scan(n):
        result = checkin.check_in(form_page, day=day, user=users[n % len(users)], code=code)
        results.append((result.outcome, result.check_in.pk, result.check_in.checked_in_by_id))

    errors = run_at_once(threads, scan)
    return results, errors


@pytest.mark.parametrize("threads", [2, 8])
def test_simultaneous_scans_of_one_ticket_record_one_check_in(form_page, threads):
    users = [make_user(f"door{n}", CHECK_IN_GROUP) for n in range(2)]
    ticket = register(form_page, "Ayşe Nur Yılmaz", "ayse@example.org")
    day = days_of(form_page)[0]
    results, errors = _concurrent_scans(form_page, ticket.ticket_code, day, users, threads)
    assert errors == []
    assert CheckIn.objects.count() == 1
    row = CheckIn.objects.get()
    assert sorted(outcome for outcome, _pk, _by in results) == sorted(
        [CheckInOutcome.CHECKED_IN] + [CheckInOutcome.ALREADY_CHECKED_IN] * (threads - 1)
    )
    # Everyone is told about the same check-in: the winner's time and name.
    assert {(pk, by) for _outcome, pk, by in results} == {(row.pk, row.checked_in_by_id)}


def test_without_the_unique_constraint_the_same_test_catches_two_check_ins(form_page):
    """Negative control: with the (registration, day) constraint dropped, the same two
    simultaneous scans record two check-ins, so the test above would fail."""
    from forms_app.models import CheckIn as Model

    constraint = next(c for c in Model._meta.constraints if c.name == "one_check_in_per_day")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Model, constraint)
    try:
        users = [make_user(f"door{n}", CHECK_IN_GROUP) for n in range(2)]
        ticket = register(form_page, "Ayşe Nur Yılmaz", "ayse@example.org")
        day = days_of(form_page)[0]
        results, errors = _concurrent_scans(form_page, ticket.ticket_code, day, users, 2)
        assert errors == []
        assert CheckIn.objects.count() == 2
        assert [outcome for outcome, _pk, _by in results] == [CheckInOutcome.CHECKED_IN] * 2
    finally:
        CheckIn.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Model, constraint)
