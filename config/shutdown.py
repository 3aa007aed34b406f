"""A worker process's request to stop (`manage.py run_worker` sets it on SIGTERM or SIGINT).

A task waiting inside the worker (an email held for its turn, `forms_app.pace`) waits on
this instead of sleeping, so that a worker asked to stop leaves at once rather than after
its queue is empty: a process manager would otherwise kill it mid-send, and an email the
mail server had taken but the outbox not yet marked would be sent again after its lease."""

import threading

requested = threading.Event()


def wait(seconds):
    """Sleep `seconds`, or less when a stop is requested; True if it was."""
    return requested.wait(seconds) if seconds > 0 else requested.is_set()
