"""The pace at which a worker hands emails to the mail server: at most
`OUTBOX_EMAILS_PER_MINUTE` a minute, evenly spaced, for every outbox email. A bulk send's
emails are also booked ahead at that rate (`messaging.throttle_slots`), so that a message
to thousands is spread over minutes; this pace holds for the rest too (confirmations,
promotions, reminders, certificates).

Why: a mail server's limit counts every email, and a worker sending flat out takes the
CPU the registrations need where it shares the machine with the web server. On the
bench's two vCPUs, registration POSTs went from 169/s alone to 102/s with a worker sending
as fast as it could, even at idle CPU priority, and to 150/s with one paced at 600 a
minute (`benchmarks/README.md`). A rush's confirmations then go out over the following
minutes, in the order they were queued; at any other time an email goes at once.

Only where a worker sends (`TASKS_BACKEND=database`): with the immediate task backend the
email is sent at the end of the visitor's request, which must never wait for it. The pace
is kept per worker process."""

import time

from django.conf import settings

from config.settings.services import DATABASE_TASKS


def emails_per_minute():
    """`OUTBOX_EMAILS_PER_MINUTE`; 0 means no limit."""
    return max(settings.OUTBOX_EMAILS_PER_MINUTE or 0, 0)


class Pace:
    """Even spacing between sends: `wait()` returns (after sleeping, if need be) when the
    next email may go, one `60 / per_minute` seconds after the previous one's turn; after
    a quiet spell the next goes at once."""

    def __init__(self, clock=time.monotonic, sleep=time.sleep):
        self._clock, self._sleep = clock, sleep
        self._next_turn = None

    def wait(self, per_minute):
        """Seconds waited before this email's turn."""
        if not per_minute:
            return 0.0
        now = self._clock()
        turn = now if self._next_turn is None else max(now, self._next_turn)
        self._next_turn = turn + 60.0 / per_minute
        if turn > now:
            self._sleep(turn - now)
        return turn - now


_worker_pace = Pace()


def before_sending():
    """Wait for this email's turn where a worker sends; at once in a request."""
    if settings.TASKS["default"]["BACKEND"] != DATABASE_TASKS:
        return 0.0
    return _worker_pace.wait(emails_per_minute())
