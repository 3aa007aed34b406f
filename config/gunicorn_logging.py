"""gunicorn's logger, with the same redaction as ours (config/logging.py): the access log
line names the request path, and a manage link's path carries its secret token.

Static files served well (200, 304) are not logged: one line per stylesheet, script and
font of every page view says nothing an operator needs and costs every static hit a
formatted, written line. `ACCESS_LOG_STATIC=true` logs them too.

The line is gunicorn's, character for character (tests/test_access_log.py compares them),
but made for less: only the atoms the format shows are computed, and where the access log
is gunicorn's own handler (`accesslog` is `-` or a file, no `logconfig*`, no syslog, no
filters) the line is written to that handler's stream directly instead of through a
logging record. gunicorn's way cost a cached page about 35 µs a request in process, as
much as answering it (benchmarks/README.md); this one about 8. Anything else (a logging
configuration of your own, a format atom not computed here) goes gunicorn's way."""

import functools
import logging
import os
import re
import traceback

from gunicorn.glogging import Logger

from config.logging import redact
from config.settings.services import flag

STATIC_PREFIX = "/static/"  # STATIC_URL (config/settings/base.py)
LOG_STATIC = flag(os.environ.get("ACCESS_LOG_STATIC"))


@functools.cache
def _format_atoms(log_format):
    """The atoms `log_format` names, as gunicorn looks them up (`{header}i` lower-cased)."""
    return tuple(name for _written, name in _written_atoms(log_format))


@functools.cache
def _written_atoms(log_format):
    """(as written, as looked up) for each atom `log_format` names."""
    return tuple(
        (name, name.lower() if name.startswith("{") else name)
        for name in dict.fromkeys(re.findall(r"%\((.*?)\)", log_format))
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
    def setup(self, cfg):
        super().setup(cfg)
        self._direct = self._own_access_handler(cfg)

    def _own_access_handler(self, cfg):
        """gunicorn's access handler when it is the only way the line goes, else None."""
        if cfg.logconfig or cfg.logconfig_dict or cfg.logconfig_json or cfg.syslog:
            return None
        handlers = self.access_log.handlers
        if len(handlers) != 1:
            return None
        handler = handlers[0]
        if type(handler) not in (logging.StreamHandler, logging.FileHandler):
            return None
        # Writing the line ourselves is only the same when the handler writes the message
        # as it is (gunicorn's handler formats "%(message)s").
        probe = logging.makeLogRecord({"msg": "probe %s", "args": ("line",)})
        if handler.formatter is None or handler.format(probe) != "probe line":
            return None
        return handler

    def access(self, resp, req, environ, request_time):
        if (
            not LOG_STATIC
            and environ.get("PATH_INFO", "").startswith(STATIC_PREFIX)
            and resp.status_code in (200, 304)
        ):
            return
        handler = getattr(self, "_direct", None)
        log = self.access_log
        if (
            handler is None
            # Still gunicorn's alone: a logging configuration loaded since (Django's, say)
            # may have added handlers or filters.
            or log.handlers != [handler]
            or log.filters
            or handler.filters
            or log.propagate
            or not log.isEnabledFor(logging.INFO)
            or not self.access_log_enabled
        ):
            super().access(resp, req, environ, request_time)
            return
        message = self._message(resp, req, environ, request_time)
        if message is None:
            super().access(resp, req, environ, request_time)
            return
        handler.acquire()
        try:
            stream = handler.stream
            stream.write(message + handler.terminator)
            stream.flush()
        except Exception:
            self.error(traceback.format_exc())
        finally:
            handler.release()

    def _message(self, resp, req, environ, request_time):
        """The access line as gunicorn's `SafeAtoms` would fill the format (quotes in
        strings escaped, "-" for what is absent), or None for an atom not computed here."""
        log_format = self.cfg.access_log_format
        values = {}
        for written, name in _written_atoms(log_format):
            value = _atom(name, resp, req, environ, request_time)
            if value is _UNKNOWN:
                return None
            if value is _ABSENT:
                value = "-"
            elif isinstance(value, str):
                value = redact(value).replace('"', '\\"')
            values[written] = value
        return log_format % values

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
