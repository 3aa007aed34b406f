"""Certificates emailed by two workers at the same moment, with real threads on PostgreSQL
(SQLite serialises all writers and cannot show a race): each attendee gets one email,
the second insert of a certificate's outbox row being refused by the unique constraint
`one_certificate_email_per_registration`. A negative control drops the constraint and
shows the same two workers then email everyone twice. The rest is in
test_certificates.py."""

import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from forms_app.management.commands import send_certificates
from forms_app.models import EmailKind, OutgoingEmail
from tests.forms.test_certificates import build_people, certificate_emails
from tests.helpers import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL row locks; run with DATABASE_URL=postgres://…",
    ),
]


@pytest.fixture
def slow_due(monkeypatch):
    """Widen the gap between finding who is owed a certificate and writing the outbox
    row, so that a missing guard shows up every time rather than by luck."""
    real = send_certificates.due

    def slowed(form):
        found = list(real(form))
        threading.Event().wait(0.3)
        return found

    monkeypatch.setattr(send_certificates, "due", slowed)


def two_workers_at_once():
    errors = run_at_once(2, lambda n: call_command("send_certificates", stdout=io.StringIO()))
    assert errors == []


def test_two_workers_at_once_send_each_certificate_once(form_page, slow_due):
    build_people()
    mail.outbox.clear()
    two_workers_at_once()
    assert sorted(m.to[0] for m in certificate_emails()) == ["ali@example.org", "isil@example.org"]
    rows = OutgoingEmail.objects.filter(kind=EmailKind.CERTIFICATE)
    assert rows.count() == 2
    assert set(rows.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}


def test_without_the_unique_constraint_the_same_test_catches_a_second_email(form_page, slow_due):
    name = "one_certificate_email_per_registration"
    constraint = next(c for c in OutgoingEmail._meta.constraints if c.name == name)
    with connection.schema_editor() as editor:
        editor.remove_constraint(OutgoingEmail, constraint)
    try:
        build_people()
        mail.outbox.clear()
        two_workers_at_once()
        sent = sorted(m.to[0] for m in certificate_emails())
        assert sent == ["ali@example.org"] * 2 + ["isil@example.org"] * 2
    finally:
        OutgoingEmail.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(OutgoingEmail, constraint)
