"""Reminders sent by two workers at the same moment, with real threads on PostgreSQL
(SQLite serialises all writers and cannot show a race): each registrant owed the "7d"
reminder gets one email, the second worker's outbox rows being refused by the unique
constraint `one_email_per_occasion`. A negative control drops the constraint and shows
the same two workers then remind everyone twice. The rest is in test_reminders.py."""

import contextlib
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from forms_app import reminders
from forms_app.models import EmailKind, OutgoingEmail
from tests.forms.test_reminders import build_people
from tests.helpers import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL; run with DATABASE_URL=postgres://…",
    ),
]

OWED = ["ali@example.org", "ann@example.org", "isil@example.org", "pat@example.org"]


@pytest.fixture
def slow_due(monkeypatch):
    """Hold each worker between finding who is owed a reminder and writing the outbox rows
    until the other has found them too, so that a missing guard shows up every time
    rather than by luck (a fixed pause loses on a busy machine)."""
    real = reminders.due
    both_listed = threading.Barrier(2)

    def slowed(form, key, moment):
        found = list(real(form, key, moment))
        with contextlib.suppress(threading.BrokenBarrierError):
            both_listed.wait(timeout=10)
        return found

    monkeypatch.setattr(reminders, "due", slowed)


def two_workers_at_once():
    errors = run_at_once(2, lambda n: call_command("send_reminders", stdout=io.StringIO()))
    assert errors == []


def reminder_addresses():
    return sorted(
        m.to[0] for m in mail.outbox if m.subject.startswith(("Reminder", "Hatırlatma", "یاد"))
    )


def test_two_workers_at_once_send_each_reminder_once(form_page, slow_due):
    build_people()
    mail.outbox.clear()
    two_workers_at_once()
    assert reminder_addresses() == OWED
    rows = OutgoingEmail.objects.filter(kind=EmailKind.REMINDER)
    assert rows.count() == 4
    assert set(rows.values_list("occasion", "status")) == {("7d", "sent")}


def test_without_the_unique_constraint_the_same_test_catches_a_second_email(form_page, slow_due):
    name = "one_email_per_occasion"
    constraint = next(c for c in OutgoingEmail._meta.constraints if c.name == name)
    with connection.schema_editor() as editor:
        editor.remove_constraint(OutgoingEmail, constraint)
    try:
        build_people()
        mail.outbox.clear()
        two_workers_at_once()
        assert reminder_addresses() == sorted(OWED * 2)
    finally:
        OutgoingEmail.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(OutgoingEmail, constraint)
