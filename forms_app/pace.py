"""The pace at which a worker hands emails to the mail server.

1. At most `OUTBOX_EMAILS_PER_MINUTE` a minute, evenly spaced, for every outbox email. A
   bulk send's emails are also booked ahead at that rate (`messaging.throttle_slots`), so
   that a message to thousands is spread over minutes; this pace holds for the rest too
   (confirmations, promotions, reminders, certificates). A mail server's limit counts
   every email.
2. Not while the machine is busy: while more than `OUTBOX_BUSY_CPU_PERCENT` of its CPU
   time was busy over the last quarter second, the worker holds the next email, for up to
   `OUTBOX_BUSY_WAIT_SECONDS` of one busy spell; a longer spell is not a rush but the
   machine's normal load, and the emails go at their pace.

Why: a worker that shares the machine with the web server takes the CPU the registrations
need, even at idle CPU priority (`chrt --idle`, as `make serve` runs it), because the
database does its queries at normal priority. On the bench's two vCPUs, registration POSTs
went from 169/s alone to 102/s with a worker sending as fast as it could, and to 114/s
with one paced at 600 a minute (about 36 ms of CPU an email, a third of it PostgreSQL's:
`benchmarks/README.md`). Holding the emails while the CPUs are saturated leaves them to the
registrations; the rush's confirmations go out in the minutes after it, in the order they
were queued. A worker on a machine of its own sees its own CPUs, idle, and never waits.

Only where a worker sends (`TASKS_BACKEND=database`): with the immediate task backend the
email is sent at the end of the visitor's request, which must never wait. The pace and
the busy spell are kept per worker process. The CPU times are read from Linux's
`/proc/stat`; elsewhere the second rule does not apply."""

import time

from django.conf import settings

from config import shutdown
from config.settings.services import DATABASE_TASKS


def emails_per_minute():
    """`OUTBOX_EMAILS_PER_MINUTE`; 0 means no limit."""
    return max(settings.OUTBOX_EMAILS_PER_MINUTE or 0, 0)


# The window the machine's CPU use is measured over, and how often a held email looks again.
WINDOW_SECONDS = 0.25
# A measurement older than this says nothing about now: a fresh window is measured.
STALE_SECONDS = 2.0


def cpu_times(path="/proc/stat"):
    """`(idle, total)` CPU time of the machine so far, in clock ticks, all CPUs together;
    None where the kernel does not offer it."""
    try:
        with open(path) as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal (guest time is already in user's)
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return idle, sum(fields[:8])


class Stopping(Exception):  # noqa: N818 (not an error: the worker is leaving)
    """The worker was asked to stop while the email waited for its turn: it is left
    unclaimed (pending), for the next worker or `retry_emails`."""


class Pace:
    """`wait()` returns (after sleeping, if need be) when the next email may go: one
    `60 / per_minute` seconds after the previous one's turn (after a quiet spell the next
    goes at once), and then not while the machine is busy, within the busy spell's limit.
    It raises `Stopping` instead once the worker is asked to stop (`config.shutdown`)."""

    def __init__(
        self,
        clock=time.monotonic,
        sleep=shutdown.wait,
        cpu_times=cpu_times,
        stopping=shutdown.requested.is_set,
    ):
        self._clock, self._sleep, self._cpu_times = clock, sleep, cpu_times
        self._stopping = stopping
        self._next_turn = None
        self._measured = None  # (when, cpu_times()) at the end of the last window
        self._idle_share = 1.0
        self._busy_since = None

    def wait(self, per_minute, busy_percent=100, busy_wait_seconds=0):
        """Seconds waited before this email's turn."""
        started = self._clock()
        if per_minute and self._next_turn is not None and self._next_turn > started:
            self._sleep(self._next_turn - started)
        self._check_stopping()
        while self._busy(busy_percent):
            now = self._clock()
            if self._busy_since is None:
                self._busy_since = now
            if now - self._busy_since >= busy_wait_seconds:
                break  # a long busy spell: the machine's normal load, the emails go
            self._sleep(WINDOW_SECONDS)
            self._check_stopping()
        else:
            self._busy_since = None
        sent = self._clock()
        # The next one's turn counts from this one's sending, held or not.
        self._next_turn = sent + 60.0 / per_minute if per_minute else None
        return sent - started

    def _check_stopping(self):
        if self._stopping():
            raise Stopping

    def _busy(self, busy_percent):
        if busy_percent >= 100:
            return False
        idle_share = self._recent_idle_share()
        return idle_share is not None and (1 - idle_share) * 100 > busy_percent

    def _recent_idle_share(self):
        """The machine's idle share of CPU time over the last window (at least
        WINDOW_SECONDS; the last one's figure while it is younger)."""
        now = self._clock()
        if self._measured is not None and now - self._measured[0] < WINDOW_SECONDS:
            return self._idle_share
        latest = self._cpu_times()
        if latest is None:
            return None
        if self._measured is None or now - self._measured[0] > STALE_SECONDS:
            self._sleep(WINDOW_SECONDS)
            earlier, latest, now = latest, self._cpu_times(), self._clock()
        else:
            earlier = self._measured[1]
        (idle_before, total_before), (idle, total) = earlier, latest
        if total > total_before:
            self._idle_share = (idle - idle_before) / (total - total_before)
        self._measured = (now, latest)
        return self._idle_share


_worker_pace = Pace()


def before_sending():
    """Wait for this email's turn where a worker sends; at once in a request."""
    if settings.TASKS["default"]["BACKEND"] != DATABASE_TASKS:
        return 0.0
    return _worker_pace.wait(
        emails_per_minute(),
        busy_percent=settings.OUTBOX_BUSY_CPU_PERCENT,
        busy_wait_seconds=settings.OUTBOX_BUSY_WAIT_SECONDS,
    )
