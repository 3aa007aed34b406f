"""gunicorn's logger, with the same redaction as ours (config/logging.py): the access log
line names the request path, and a manage link's path carries its secret token.

Static files served well (200, 304) are not logged: one line per stylesheet, script and
font of every page view says nothing an operator needs and costs every static hit a
formatted, written line. `ACCESS_LOG_STATIC=true` logs them too."""

import functools
import os
import re

from gunicorn.glogging import Logger

from config.logging import redact
from config.settings.services import flag

STATIC_PREFIX = "/static/"  # STATIC_URL (config/settings/base.py)
LOG_STATIC = flag(os.environ.get("ACCESS_LOG_STATIC"))


@functools.cache
def _format_atoms(log_format):
    """The atoms `log_format` names, as gunicorn looks them up (`{header}i` lower-cased)."""
    return tuple(
        name.lower() if name.startswith("{") else name
        for name in re.findall(r"%\((.*?)\)", log_format)
    )


class RedactingLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if (
            not LOG_STATIC
            and environ.get("PATH_INFO", "").startswith(STATIC_PREFIX)
            and resp.status_code in (200, 304)
        ):
            return
        super().access(resp, req, environ, request_time)

    def atoms(self, resp, req, environ, request_time):
        # Only what the line will show is redacted: gunicorn offers every request and
        # response header as an atom, and running the patterns over all of them cost a
        # cached page a tenth of its time (benchmarks/README.md).
        atoms = super().atoms(resp, req, environ, request_time)
        for key in _format_atoms(self.cfg.access_log_format):
            value = atoms.get(key)
            if isinstance(value, str):
                atoms[key] = redact(value)
        return atoms

    def error(self, msg, *args, **kwargs):
        super().error(redact(str(msg)), *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(redact(str(msg)), *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(redact(str(msg)), *args, **kwargs)
