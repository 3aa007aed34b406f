"""Request ids and what reaches the logs: one line per failed request carrying the
request id, and no e-mail addresses, through the handler configured in settings.LOGGING."""

import io
import logging
import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import path

from config.logging import OneLineFormatter, RedactPersonalDataFilter, RequestIDFilter, redact

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise ValueError("could not register ayse.yilmaz@example.com.tr twice")


def logging_view(request):
    logging.getLogger("conference.test").warning("confirmation sent to %s", "ali@example.org")
    from django.http import HttpResponse

    return HttpResponse("ok")


MANAGE_TOKEN = "Qx3v_9kLm2-Rz8PwT5yB7nHc4dFg6jKs1aZ0eUoYiW"


urlpatterns = [
    path("boom/", broken_view),
    path("log/", logging_view),
    path("en/event/register/manage/<str:token>/", broken_view),
]


@pytest.fixture
def log_output():
    """The console handler exactly as settings.LOGGING builds it, writing to a buffer and
    attached to the root logger (which django.request and our loggers reach)."""
    config = settings.LOGGING
    handler_config = config["handlers"]["console"]
    handler = logging.StreamHandler(io.StringIO())
    filters = {
        "request_id": RequestIDFilter(),
        "redact": RedactPersonalDataFilter(),
    }
    for name in handler_config["filters"]:
        handler.addFilter(filters[name])
    formatter_config = config["formatters"][handler_config["formatter"]]
    handler.setFormatter(OneLineFormatter(formatter_config["format"]))
    root = logging.getLogger()
    request_logger = logging.getLogger("django.request")
    old_level = request_logger.level
    request_logger.setLevel(logging.ERROR)  # test settings mute it; production's level
    root.addHandler(handler)
    try:
        yield handler.stream
    finally:
        root.removeHandler(handler)
        request_logger.setLevel(old_level)


def test_request_id_from_the_proxy_is_kept_and_returned(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert response["X-Request-ID"] == "lb-7f3a.42"


@pytest.mark.parametrize("bad", ["has space", "x" * 200, "line\\nbreak", "<script>"])
def test_request_id_that_could_forge_log_lines_is_replaced(client, bad):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=bad)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second


@override_settings(ROOT_URLCONF=__name__)
def test_failed_request_is_one_line_with_the_request_id_and_no_email(client, log_output):
    client.raise_request_exception = False
    response = client.get("/boom/", HTTP_X_REQUEST_ID="req-500-abc")
    assert response.status_code == 500
    lines = [line for line in log_output.getvalue().splitlines() if line]
    errors = [line for line in lines if "django.request" in line]
    assert len(errors) == 1, lines
    line = errors[0]
    assert "ERROR" in line
    assert "[request_id=req-500-abc]" in line
    assert "Internal Server Error: /boom/" in line
    assert "Traceback" in line and "ValueError" in line  # the traceback, on the same line
    assert "@" not in line
    assert "[email]" in line


@override_settings(ROOT_URLCONF=__name__)
def test_a_failed_manage_link_request_never_logs_its_token(client, log_output):
    """The manage link's token is a bearer secret: the error report names the path with
    the token replaced."""
    client.raise_request_exception = False
    response = client.get(f"/en/event/register/manage/{MANAGE_TOKEN}/")
    assert response.status_code == 500
    output = log_output.getvalue()
    assert "Internal Server Error: /en/event/register/manage/[token]/" in output
    assert MANAGE_TOKEN not in output


@pytest.mark.parametrize(
    "line",
    [
        f'"GET /en/e/register/manage/{MANAGE_TOKEN}/ HTTP/1.1" 200',
        f'"GET /en/e/register/manage/{MANAGE_TOKEN}/calendar/ HTTP/1.1" 200',
        f"/tr/e/kayit/manage%2F{MANAGE_TOKEN}%2F",
    ],
)
def test_redact_removes_manage_tokens(line):
    assert MANAGE_TOKEN not in redact(line)
    assert "[token]" in redact(line)


@override_settings(ROOT_URLCONF=__name__)
def test_our_own_log_lines_carry_the_request_id_and_no_email(client, log_output):
    client.get("/log/", HTTP_X_REQUEST_ID="req-log-1")
    output = log_output.getvalue()
    assert "[request_id=req-log-1] confirmation sent to [email]" in output
    assert "ali@example.org" not in output


def test_outside_a_request_the_id_is_a_dash(log_output):
    logging.getLogger("conference.test").warning("worker started")
    assert "[request_id=-] worker started" in log_output.getvalue()


@pytest.mark.parametrize(
    "text",
    [
        "ali@example.org",
        "Ayşe.Yılmaz+conf@üniversite.edu.tr",
        "o'brien@mail.example.co.uk",
        "Key (email)=(x_y@example.com) already exists.",
    ],
)
def test_redact_removes_email_addresses(text):
    redacted = redact(text)
    assert "@" not in redacted
    assert "[email]" in redacted


def test_redact_leaves_ordinary_text_alone():
    text = "Registration 42 confirmed for event 7 at 10:30 (status=ok)"
    assert redact(text) == text


def test_settings_wire_the_filters_and_formatter_into_the_console_handler():
    console = settings.LOGGING["handlers"]["console"]
    assert set(console["filters"]) == {"request_id", "redact"}
    formatter = settings.LOGGING["formatters"][console["formatter"]]
    assert formatter["()"] == "config.logging.OneLineFormatter"
    assert "%(request_id)s" in formatter["format"]
