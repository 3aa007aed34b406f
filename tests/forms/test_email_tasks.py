"""The emails one registration causes go to the worker as one task, and an email queued
in a part of a transaction that rolls back is never sent."""

import pytest
from django.db import transaction
from django_tasks import task_backends

from forms_app import emails
from forms_app.models import EmailKind, OutgoingEmail
from tests.helpers import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    return backend.results


def test_a_registration_and_its_organiser_notice_are_one_task(
    form_page, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(form_page, "Ayşe", "ayse@example.org")

    queued = OutgoingEmail.objects.order_by("pk")
    assert [e.kind for e in queued] == [EmailKind.CONFIRMATION, EmailKind.ORGANISER]
    assert len(queued_tasks) == 1
    assert queued_tasks[0].task.name == "send_outgoing_emails"
    assert queued_tasks[0].args == [[e.pk for e in queued]]


def test_an_email_queued_in_a_rolled_back_savepoint_is_not_sent_and_stops_no_other(
    form_page, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = register(form_page, "Kept", "kept@example.org")
    queued_tasks.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        emails.queue(kept, EmailKind.DETAILS_AGAIN)
        try:
            with transaction.atomic():
                emails.queue(kept, EmailKind.CANCELLED)
                raise RuntimeError("roll this part back")
        except RuntimeError:
            pass

    survivor = OutgoingEmail.objects.get(kind=EmailKind.DETAILS_AGAIN)
    assert not OutgoingEmail.objects.filter(kind=EmailKind.CANCELLED).exists()
    assert [result.args for result in queued_tasks] == [[[survivor.pk]]]


def test_claiming_an_email_locks_its_row_by_key_alone(form_page, queued_tasks):
    """The sender locks the outbox row by its primary key, without joining the
    registrations: with the join, PostgreSQL planned a merge join that walked every
    registration in the table (25 ms a claim at 50,000), and the worker's claims slowed
    every registration POST beside it (benchmarks/README.md, row 5)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        register(form_page, "Ayşe", "ayse@example.org")
    email = OutgoingEmail.objects.filter(kind=EmailKind.CONFIRMATION).get()
    with CaptureQueriesContext(connection) as queries:
        assert emails.deliver(email.pk)
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    if connection.features.has_select_for_update:
        assert len(locking) == 1
        assert "JOIN" not in locking[0] and "forms_app_outgoingemail" in locking[0]
    claims = [q["sql"] for q in queries.captured_queries if "forms_app_outgoingemail" in q["sql"]]
    assert all("JOIN" not in sql for sql in claims if sql.startswith("SELECT"))
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
