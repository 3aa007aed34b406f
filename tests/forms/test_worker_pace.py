"""A worker hands the mail server at most OUTBOX_EMAILS_PER_MINUTE emails a minute, evenly
spaced, confirmations included, and holds them while the machine's CPUs are busy, within a
limit (forms_app/pace.py); an email sent at the end of a visitor's request (the immediate
task backend) never waits for either."""

import time

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


class FakeCPUs:
    """The machine's CPU times on the fake clock (two CPUs, 100 ticks a second each): 5%
    idle until `busy_until`, then all idle."""

    def __init__(self, fake_time, busy_until=0.0):
        self.time, self.start, self.busy_until = fake_time, fake_time.now, busy_until

    def __call__(self):
        now = self.time.now
        busy = max(min(now, self.busy_until) - self.start, 0.0)
        idle = (now - self.start) - busy
        return int((busy * 0.05 + idle) * 200), int((now - self.start) * 200)


@pytest.fixture
def fake_time():
    return FakeTime()


def paced(fake_time, busy_until=0.0):
    return pace.Pace(
        clock=fake_time.clock, sleep=fake_time.sleep, cpu_times=FakeCPUs(fake_time, busy_until)
    )


@pytest.fixture
def worker_pace(fake_time, monkeypatch):
    """The worker's pace on the fake clock, on a machine whose CPUs are idle."""
    monkeypatch.setattr(pace, "_worker_pace", paced(fake_time))
    return fake_time


def test_emails_are_spaced_evenly_at_the_configured_rate(fake_time):
    pacer = paced(fake_time)
    turns = []
    for _ in range(4):
        pacer.wait(600)
        turns.append(fake_time.now)
    assert turns == pytest.approx([1000.0, 1000.1, 1000.2, 1000.3])


def test_after_a_quiet_spell_the_next_email_goes_at_once(fake_time):
    pacer = paced(fake_time)
    pacer.wait(60)
    fake_time.now += 0.25
    assert pacer.wait(60) == pytest.approx(0.75)  # the rest of its second
    fake_time.now += 5
    assert pacer.wait(60) == 0
    assert fake_time.slept == [pytest.approx(0.75)]


def test_no_limit_never_waits(fake_time):
    pacer = paced(fake_time)
    assert [pacer.wait(0) for _ in range(3)] == [0, 0, 0]
    assert fake_time.slept == []


def test_a_busy_machine_holds_the_next_email_until_its_cpus_are_free(fake_time):
    pacer = paced(fake_time, busy_until=1003.0)
    waited = pacer.wait(600, busy_percent=75, busy_wait_seconds=120)
    # Held while 95% busy, looking again every window; sent in the first idle window.
    assert 3.0 <= waited <= 3.0 + 2 * pace.WINDOW_SECONDS
    # Idle now: the next goes at its turn, a tenth of a second later.
    assert pacer.wait(600, busy_percent=75, busy_wait_seconds=120) == pytest.approx(0.1)


def test_an_idle_machine_never_holds_an_email(fake_time):
    pacer = paced(fake_time)
    # The first look measures one window; after it, none is waited for.
    first = pacer.wait(600, busy_percent=75, busy_wait_seconds=120)
    assert first == pytest.approx(pace.WINDOW_SECONDS)
    turns = []
    for _ in range(5):
        pacer.wait(600, busy_percent=75, busy_wait_seconds=120)
        turns.append(fake_time.now)
    assert [b - a for a, b in zip(turns, turns[1:], strict=False)] == pytest.approx([0.1] * 4)


def test_a_long_busy_spell_holds_emails_no_longer_than_the_limit(fake_time):
    pacer = paced(fake_time, busy_until=10_000.0)  # busy for hours: its normal load
    assert 10.0 <= pacer.wait(600, busy_percent=75, busy_wait_seconds=10) <= 10.5
    # The spell has had its wait: the rest go at their pace, busy or not.
    for _ in range(3):
        assert pacer.wait(600, busy_percent=75, busy_wait_seconds=10) == pytest.approx(0.1)


def test_a_new_busy_spell_after_an_idle_one_holds_emails_again(fake_time):
    cpus = FakeCPUs(fake_time, busy_until=1002.0)
    pacer = pace.Pace(clock=fake_time.clock, sleep=fake_time.sleep, cpu_times=cpus)
    assert pacer.wait(600, busy_percent=75, busy_wait_seconds=60) >= 2.0
    fake_time.now += 30  # quiet; then a second rush
    cpus.start, cpus.busy_until = fake_time.now, fake_time.now + 5
    assert 5.0 <= pacer.wait(600, busy_percent=75, busy_wait_seconds=60) <= 5.6


def test_at_100_percent_the_machine_is_never_looked_at(fake_time):
    def no_reading():
        raise AssertionError("the CPU times were read")

    pacer = pace.Pace(clock=fake_time.clock, sleep=fake_time.sleep, cpu_times=no_reading)
    assert pacer.wait(600, busy_percent=100, busy_wait_seconds=120) == 0


def test_without_cpu_times_an_email_is_never_held(fake_time):
    pacer = pace.Pace(clock=fake_time.clock, sleep=fake_time.sleep, cpu_times=lambda: None)
    assert pacer.wait(600, busy_percent=10, busy_wait_seconds=120) == 0


def test_the_machines_cpu_times_are_read_from_the_kernel(tmp_path):
    idle, total = pace.cpu_times()
    deadline = time.process_time() + 0.05
    while time.process_time() < deadline:  # some CPU time passes
        pass
    idle_after, total_after = pace.cpu_times()
    assert 0 <= idle <= total and idle_after >= idle and total_after > total
    # user nice system idle iowait irq softirq steal guest guest_nice
    stat = tmp_path / "stat"
    stat.write_text("cpu  10 1 5 70 4 0 2 3 9 0\ncpu0 10 1 5 70 4 0 2 3 9 0\n")
    assert pace.cpu_times(stat) == (74, 95)
    assert pace.cpu_times(tmp_path / "missing") is None


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
    settings.OUTBOX_BUSY_CPU_PERCENT = 75
    mail.outbox = []
    sent_at = []
    for email in confirmations:
        assert emails.deliver(email.pk)
        sent_at.append(worker_pace.now)

    assert sorted(m.to[0] for m in mail.outbox) == [f"paced{n}@example.org" for n in range(3)]
    # The first measured the machine's CPUs over one window (idle: none held).
    start = 1000.0 + pace.WINDOW_SECONDS
    assert sent_at == pytest.approx([start, start + 0.5, start + 1.0])


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


def queued_confirmation(form_page, settings, name, email):
    """A registration's confirmation, written to the outbox and left unsent, with the
    worker's task backend in place to deliver it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    task_backends["default"].clear()
    register(form_page, name, email)
    confirmation = OutgoingEmail.objects.get(kind=EmailKind.CONFIRMATION)
    settings.TASKS = {"default": {"BACKEND": DATABASE_TASKS, "QUEUES": ["default"]}}
    return confirmation


def test_a_worker_holds_a_confirmation_while_the_machine_is_busy(
    form_page, settings, monkeypatch, fake_time
):
    confirmation = queued_confirmation(form_page, settings, "Held", "held@example.org")
    settings.OUTBOX_BUSY_CPU_PERCENT = 80
    settings.OUTBOX_BUSY_WAIT_SECONDS = 30
    # While held, the email is not claimed: its lease (60 s) cannot run out during a hold
    # (up to OUTBOX_BUSY_WAIT_SECONDS) and let another worker send it a second time.
    statuses_while_held = []

    def sleep_and_look(seconds):
        statuses_while_held.append(OutgoingEmail.objects.get(pk=confirmation.pk).status)
        fake_time.sleep(seconds)

    held = pace.Pace(
        clock=fake_time.clock,
        sleep=sleep_and_look,
        cpu_times=FakeCPUs(fake_time, busy_until=1007.0),
    )
    monkeypatch.setattr(pace, "_worker_pace", held)
    mail.outbox = []
    assert emails.deliver(confirmation.pk)
    assert [m.to for m in mail.outbox] == [["held@example.org"]]
    assert 7.0 <= fake_time.now - 1000.0 <= 7.0 + 2 * pace.WINDOW_SECONDS
    assert len(statuses_while_held) >= 28
    assert set(statuses_while_held) == {OutgoingEmail.Status.PENDING}


def test_a_held_email_is_let_go_unclaimed_when_the_worker_is_asked_to_stop(
    form_page, settings, monkeypatch, fake_time
):
    """A worker asked to stop does not wait out a hold (up to OUTBOX_BUSY_WAIT_SECONDS)
    or the queue's pace: the email it held stays pending and unclaimed, for the next
    worker (tests/faults/test_worker_stop.py runs the real process)."""
    confirmation = queued_confirmation(form_page, settings, "Stopped", "stopped@example.org")
    settings.OUTBOX_BUSY_CPU_PERCENT = 80
    settings.OUTBOX_BUSY_WAIT_SECONDS = 120
    stop_after = 1005.0  # five seconds into a hold that would last a minute

    held = pace.Pace(
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        cpu_times=FakeCPUs(fake_time, busy_until=1060.0),
        stopping=lambda: fake_time.now >= stop_after,
    )
    monkeypatch.setattr(pace, "_worker_pace", held)
    mail.outbox = []
    assert not emails.deliver(confirmation.pk)
    assert fake_time.now <= stop_after + pace.WINDOW_SECONDS
    assert mail.outbox == []
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.attempts) == (OutgoingEmail.Status.PENDING, 0)


def test_the_worker_stop_request_ends_a_pace_wait_at_once():
    from config import shutdown

    pacer = pace.Pace()
    pacer.wait(1)  # the first email goes at once; the next is a minute away
    shutdown.requested.set()
    try:
        started = time.monotonic()
        with pytest.raises(pace.Stopping):
            pacer.wait(1)
        assert time.monotonic() - started < 1
    finally:
        shutdown.requested.clear()
