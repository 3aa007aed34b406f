"""Logging helpers: every record carries the id of the request it was logged in, each
record is one line (tracebacks included), and neither e-mail addresses nor the secret
tokens of manage links reach the logs (gunicorn's access log goes through `redact` too,
see config/gunicorn_logging.py).

The request id is set by `config.middleware.RequestIDMiddleware` (from the proxy's
`X-Request-ID` or generated) and kept in a context variable, so any logger, including
Django's and Wagtail's, picks it up without being handed the request.

Names and other personal data cannot be recognised in free text; our code does not log
them (log ids, not people), and the e-mail filter is the safety net for the one kind of
personal data that libraries do put in messages (integrity errors, SMTP failures).
"""

import logging
import re
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

# Deliberately broad: anything shaped like local@domain.tld is replaced.
EMAIL_PATTERN = re.compile(r"[\w.+%'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
EMAIL_REPLACEMENT = "[email]"
# Addresses that carry a bearer secret in their path: a registrant's manage link
# (`…/register/manage/<token>/`, its calendar file below it). Whoever reads the token can
# cancel the registration, so it never reaches a log line, ours or gunicorn's. Percent-
# encoded slashes are caught too, as a path may be logged before or after unquoting.
SECRET_PATH_PATTERN = re.compile(r"(/manage(?:/|%2[fF]))[^/?#\s\"']+")
SECRET_REPLACEMENT = r"\1[token]"


def redact(text):
    if "@" not in text and "/manage" not in text:  # neither pattern can match: most lines
        return text
    return SECRET_PATH_PATTERN.sub(SECRET_REPLACEMENT, EMAIL_PATTERN.sub(EMAIL_REPLACEMENT, text))


class RequestIDFilter(logging.Filter):
    """Adds `record.request_id` ("-" outside a request)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class RedactPersonalDataFilter(logging.Filter):
    """Replaces e-mail addresses in the message (after its arguments are merged in)."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it for the handler to report
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


class OneLineFormatter(logging.Formatter):
    """One line per record: a traceback is kept, with its line breaks written as `\\n`,
    so a log collector never splits one error into many entries. The whole line,
    traceback included, is redacted (exception messages can quote e-mail addresses)."""

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return redact(super().format(record)).replace("\r", "").replace("\n", "\\n")
