"""A worker hands the mail server at most OUTBOX_EMAILS_PER_MINUTE emails a minute, evenly
spaced, confirmations included (forms_app/pace.py); an email sent at the end of a
visitor's request (the immediate task backend) never waits for that pace."""

import pytest
from django.core import mail
from django_tasks import task_backends

from config.settings.services import DATABASE_TASKS
from forms_app import emails, pace
from forms_app.models import EmailKind, OutgoingEmail
from tests.helpers import register

pytestmark = pytest.mark.django_db


class FakeTime:
    """A monotonic clock that moves only when slept on."""

    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time():
    return FakeTime()


@pytest.fixture
def worker_pace(fake_time, monkeypatch):
    monkeypatch.setattr(
        pace, "_worker_pace", pace.Pace(clock=fake_time.clock, sleep=fake_time.sleep)
    )
    return fake_time


def test_emails_are_spaced_evenly_at_the_configured_rate(fake_time):
    paced = pace.Pace(clock=fake_time.clock, sleep=fake_time.sleep)
    turns = []
    for _ in range(4):
        paced.wait(600)
        turns.append(fake_time.now)
    assert turns == pytest.approx([1000.0, 1000.1, 1000.2, 1000.3])


def test_after_a_quiet_spell_the_next_email_goes_at_once(fake_time):
    paced = pace.Pace(clock=fake_time.clock, sleep=fake_time.sleep)
    paced.wait(60)
    fake_time.now += 0.25
    assert paced.wait(60) == pytest.approx(0.75)  # the rest of its second
    fake_time.now += 5
    assert paced.wait(60) == 0
    assert fake_time.slept == [pytest.approx(0.75)]


def test_no_limit_never_waits(fake_time):
    paced = pace.Pace(clock=fake_time.clock, sleep=fake_time.sleep)
    assert [paced.wait(0) for _ in range(3)] == [0, 0, 0]
    assert fake_time.slept == []


def test_a_worker_sends_confirmations_at_most_at_the_configured_rate(
    form_page, settings, worker_pace
):
    # Queued as a registration queues them, for a worker (nothing is sent yet).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    task_backends["default"].clear()
    for n in range(3):
        register(form_page, f"Paced {n}", f"paced{n}@example.org")
    confirmations = OutgoingEmail.objects.filter(kind=EmailKind.CONFIRMATION).order_by("pk")

    # The worker's settings: database tasks, 120 a minute.
    settings.TASKS = {"default": {"BACKEND": DATABASE_TASKS, "QUEUES": ["default"]}}
    settings.OUTBOX_EMAILS_PER_MINUTE = 120
    mail.outbox = []
    sent_at = []
    for email in confirmations:
        assert emails.deliver(email.pk)
        sent_at.append(worker_pace.now)

    assert sorted(m.to[0] for m in mail.outbox) == [f"paced{n}@example.org" for n in range(3)]
    assert sent_at == pytest.approx([1000.0, 1000.5, 1001.0])
    assert worker_pace.slept == [pytest.approx(0.5), pytest.approx(0.5)]


def test_an_email_sent_at_the_end_of_a_request_never_waits(
    form_page, settings, worker_pace, django_capture_on_commit_callbacks
):
    settings.OUTBOX_EMAILS_PER_MINUTE = 1  # one a minute, were it paced
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        register(form_page, "First", "first@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        register(form_page, "Second", "second@example.org")
    recipients = {m.to[0] for m in mail.outbox}
    assert {"first@example.org", "second@example.org"} <= recipients
    assert worker_pace.slept == []
