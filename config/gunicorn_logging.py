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


_UNKNOWN = object()
_ABSENT = object()
_ENVIRON_ATOMS = {
    "m": "REQUEST_METHOD",
    "U": "PATH_INFO",
    "q": "QUERY_STRING",
    "H": "SERVER_PROTOCOL",
}


def _header(headers, name):
    if hasattr(headers, "items"):
        headers = headers.items()
    for key, value in headers:
        if key.lower() == name:
            return value
    return _ABSENT


def _atom(name, resp, req, environ, request_time):
    """One of gunicorn's access-log atoms, as `Logger.atoms` computes it; _ABSENT for a
    header that was not sent, _UNKNOWN for an atom this does not compute."""
    if name in _ENVIRON_ATOMS:
        return environ.get(_ENVIRON_ATOMS[name])
    if name == "s":
        status = resp.status
        return status.split(None, 1)[0] if isinstance(status, str) else status
    if name == "B":
        return getattr(resp, "sent", None)
    if name == "b":
        sent = getattr(resp, "sent", None)
        return "-" if sent is None else str(sent)
    if name == "M":
        return request_time.seconds * 1000 + int(request_time.microseconds / 1000)
    if name == "D":
        return request_time.seconds * 1000000 + request_time.microseconds
    if name == "L":
        return f"{request_time.seconds}.{request_time.microseconds:06d}"
    if name.startswith("{") and name.endswith("}o"):
        return _header(resp.headers, name[1:-2])
    if name.startswith("{") and name.endswith("}i"):
        return _header(getattr(req, "headers", req), name[1:-2])
    return _UNKNOWN


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
        # Only the atoms the line shows, each redacted: gunicorn builds every request and
        # response header and every environ variable as an atom, then copies and escapes
        # them all (`SafeAtoms`), for a line that shows six. That cost a cached page a
        # fifth of its time (benchmarks/README.md). An atom we do not compute here is
        # taken from gunicorn's full set.
        names = _format_atoms(self.cfg.access_log_format)
        atoms = {}
        for name in names:
            value = _atom(name, resp, req, environ, request_time)
            if value is _UNKNOWN:
                return self._all_atoms(resp, req, environ, request_time, names)
            if value is _ABSENT:
                continue  # gunicorn shows "-" for a header that was not sent
            atoms[name] = redact(value) if isinstance(value, str) else value
        return atoms

    def _all_atoms(self, resp, req, environ, request_time, names):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in names:
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
