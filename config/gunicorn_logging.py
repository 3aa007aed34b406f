"""gunicorn's logger, with the same redaction as ours (config/logging.py): the access log
line names the request path, and a manage link's path carries its secret token."""

from gunicorn.glogging import Logger

from config.logging import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }

    def error(self, msg, *args, **kwargs):
        super().error(redact(str(msg)), *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(redact(str(msg)), *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(redact(str(msg)), *args, **kwargs)
