"""gunicorn's access log line (config/gunicorn_logging.py) never shows a manage link's
token or an email address, whichever atoms the configured format names."""

import datetime
import types

import pytest
from gunicorn.config import Config

from config.gunicorn_logging import RedactingLogger

TOKEN = "s3cr3t-Token_value"


@pytest.fixture(autouse=True)
def gunicorn_access_logger():
    """gunicorn's access logger is a process-wide `logging` logger: each test starts it
    bare (as in a gunicorn worker) and leaves it as it found it."""
    import logging

    log = logging.getLogger("gunicorn.access")
    saved = log.handlers[:], log.filters[:], log.propagate
    log.handlers[:], log.filters[:] = [], []
    yield log
    log.handlers[:], log.filters[:] = saved[0], saved[1]
    log.propagate = saved[2]


PATH = f"/en/event/register/manage/{TOKEN}/"


def access_line(log_format, capsys):
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", log_format)
    logger = RedactingLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": PATH + "?email=ayse@example.org",
        "PATH_INFO": PATH,
        "QUERY_STRING": "email=ayse@example.org",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://example.org{PATH}",
    }
    request = types.SimpleNamespace(headers=[("REFERER", f"https://example.org{PATH}")])
    response = types.SimpleNamespace(
        status="200 OK", sent=10, headers=[("X-Request-ID", "req-1"), ("X-Who", "a@b.example")]
    )
    logger.access(response, request, environ, datetime.timedelta(milliseconds=3))
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "log_format",
    [
        '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s',
        "%(r)s %(f)s %({Referer}i)s %({x-who}o)s %(q)s",
    ],
    ids=["ours", "a format with the raw request, referer, headers and query"],
)
def test_the_access_line_shows_no_token_or_address(log_format, capsys):
    line = access_line(log_format, capsys)
    assert line.strip()
    assert TOKEN not in line
    assert "@" not in line
    assert "/manage/[token]/" in line


def test_our_format_still_shows_the_request(capsys):
    line = access_line(
        '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s', capsys
    )
    assert '"GET /en/event/register/manage/[token]/ HTTP/1.1" 200 10 3ms request_id=req-1' in line


def gunicorn_and_our_lines(log_format, capsys, *, path="/en/about/", sent=10, configure=None):
    from gunicorn.glogging import Logger

    lines = []
    for logger_class in (RedactingLogger, Logger):
        config = Config()
        config.set("accesslog", "-")
        config.set("access_log_format", log_format)
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "RAW_URI": f"{path}?page=2",
            "QUERY_STRING": "page=2",
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        request = types.SimpleNamespace(headers=[("REFERER", "https://example.org/en/")])
        response = types.SimpleNamespace(status="200 OK", headers=[("X-Request-ID", "req-1")])
        if sent is not None:
            response.sent = sent
        logger = logger_class(config)
        if configure is not None:
            configure(logger)
        logger.access(response, request, environ, datetime.timedelta(seconds=1, microseconds=2500))
        lines.append(capsys.readouterr().out)
    return lines


@pytest.mark.parametrize(
    "log_format",
    [
        '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s',
        "%(q)s %(b)s %(D)s %(L)s %({X-Request-ID}o)s %({referer}i)s %({missing}o)s",
    ],
)
@pytest.mark.parametrize(
    "path, sent",
    [("/en/about/", 10), ('/en/"quoted"/', 10), ("/en/about/", None)],
    ids=["plain", "a quote in the path", "nothing sent"],
)
def test_our_line_is_gunicorns_own(log_format, path, sent, capsys):
    """Only the atoms a line shows are computed and the line is written straight to
    gunicorn's handler (together a cached page's access line cost 35 µs, now 10): for a
    path with nothing to redact, the line is gunicorn's, escaping and "-"/"None" included."""
    ours, gunicorns = gunicorn_and_our_lines(log_format, capsys, path=path, sent=sent)
    assert ours.strip() and ours == gunicorns


def test_the_line_goes_to_gunicorns_handler_without_a_log_record(capsys, monkeypatch):
    def no_record(*args, **kwargs):
        raise AssertionError("the access line went through a log record")

    ours, _gunicorns = gunicorn_and_our_lines(
        '"%(m)s %(U)s" %(s)s',
        capsys,
        configure=lambda logger: monkeypatch.setattr(logger.access_log, "handle", no_record),
    )
    assert ours == '"GET /en/about/" 200\n'


def test_a_logging_configuration_of_ones_own_still_gets_every_line(capsys, gunicorn_access_logger):
    """A filter (or handler) added to gunicorn's access logger, e.g. by a logging
    configuration loaded after gunicorn's, sees each line as a record, as with gunicorn."""
    import logging

    seen = []

    class Keep(logging.Filter):
        def filter(self, record):
            seen.append(record.getMessage())
            return True

    gunicorn_access_logger.addFilter(Keep())
    ours, gunicorns = gunicorn_and_our_lines('"%(m)s %(U)s" %(s)s', capsys)
    assert seen == ['"GET /en/about/" 200', '"GET /en/about/" 200']
    assert ours == gunicorns == '"GET /en/about/" 200\n'


def test_a_format_atom_we_do_not_compute_is_gunicorns(capsys):
    ours, gunicorns = gunicorn_and_our_lines("%(m)s %(U)s %(p)s", capsys)
    assert ours.startswith("GET /en/about/ <") and ours == gunicorns
