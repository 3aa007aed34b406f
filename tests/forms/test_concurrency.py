"""Seats under real concurrency: threads registering at the same moment through the real
form view, on PostgreSQL (SQLite serialises all writers and cannot show a race)."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from forms_app import services
from forms_app.models import Registration, RegistrationFormPage
from tests.helpers import answers, run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL row locks; run with DATABASE_URL=postgres://…",
    ),
]

CAPACITY = 5
THREADS = 4 * CAPACITY


@pytest.fixture
def slow_count(monkeypatch):
    """Widen the gap between counting seats and taking one, so that a missing lock shows
    up every time rather than by luck."""
    real = RegistrationFormPage.confirmed_count

    def slowed(source_page, *args, **kwargs):
        count = real(source_page, *args, **kwargs)
        threading.Event().wait(0.05)
        return count

    monkeypatch.setattr(RegistrationFormPage, "confirmed_count", slowed)


def post_registrations(form_page, statuses):
    languages = ["en", "tr", "ur"]

    def register(n):
        language = languages[n % 3]
        response = Client().post(
            f"/{language}/third-conference/register/",
            answers(email=f"person{n}@example.org", submission_token=str(uuid.uuid4())),
            REMOTE_ADDR=f"10.0.0.{n + 1}",
        )
        statuses.append(response.status_code)

    return register


def test_capacity_never_overbooks(form_page, slow_count):
    form_page.capacity = CAPACITY
    form_page.save_revision().publish()
    statuses = []
    assert run_at_once(THREADS, post_registrations(form_page, statuses)) == []
    assert statuses == [303] * THREADS
    assert Registration.objects.filter(status="confirmed").count() == CAPACITY
    assert Registration.objects.filter(status="waitlisted").count() == THREADS - CAPACITY
    assert set(Registration.objects.values_list("language", flat=True)) == {"en", "tr", "ur"}


def test_in_person_and_online_places_never_overbook(form_page, slow_count):
    """Each pool keeps its own capacity under the same lock: 3 in person and 2 online."""
    form_page.capacity = 3
    form_page.offers_online = True
    form_page.online_capacity = 2
    form_page.save_revision().publish()
    statuses = []

    def register(n):
        # Half choose online: post through the view with the choice.
        language = ["en", "tr", "ur"][n % 3]
        attendance = "online" if n % 2 else "in_person"
        response = Client().post(
            f"/{language}/third-conference/register/",
            answers(
                email=f"person{n}@example.org",
                submission_token=str(uuid.uuid4()),
                attendance=attendance,
            ),
            REMOTE_ADDR=f"10.0.1.{n + 1}",
        )
        statuses.append(response.status_code)

    assert run_at_once(12, register) == []
    assert statuses == [303] * 12
    confirmed = Registration.objects.filter(status="confirmed")
    assert confirmed.filter(attendance="in_person").count() == 3
    assert confirmed.filter(attendance="online").count() == 2
    waiting = Registration.objects.filter(status="waitlisted")
    assert waiting.filter(attendance="in_person").count() == 3
    assert waiting.filter(attendance="online").count() == 4


def test_without_the_lock_the_same_test_catches_overbooking(form_page, slow_count, monkeypatch):
    """Negative control: with the pool lock removed, the test above would fail."""
    from forms_app.models import RegistrationPool

    monkeypatch.setattr(
        services,
        "lock_pool",
        lambda source: RegistrationPool.objects.get_or_create(page_id=source.pk)[0],
    )
    form_page.capacity = CAPACITY
    form_page.save_revision().publish()
    statuses = []
    assert run_at_once(THREADS, post_registrations(form_page, statuses)) == []
    assert Registration.objects.filter(status="confirmed").count() > CAPACITY


def test_the_same_address_from_eight_threads_registers_once(form_in):
    pages = [form_in(code) for code in ("en", "tr", "ur")]
    outcomes = []

    def register(n):
        outcome = services.register(
            pages[n % 3],
            name="Same Person",
            email="Same.Person@example.org" if n % 2 else " same.person@EXAMPLE.org ",
            answers={},
            language="en",
            submission_token=uuid.uuid4(),
        )
        outcomes.append(outcome.result)

    assert run_at_once(8, register) == []
    assert Registration.objects.filter(status__in=["confirmed", "waitlisted"]).count() == 1
    Outcome = services.RegistrationOutcome
    assert sorted(outcomes) == [Outcome.ALREADY_REGISTERED] * 7 + [Outcome.REGISTERED]
