"""Requests no browser of ours sends: a form body that is not valid UTF-8 or declares
another charset (answered 400, not 500), query strings that are not ours (they must not
each create a page-cache entry)."""

import pytest

from forms_app.models import Registration
from tests.app_processes import cookie_header, csrf
from tests.faults.site import FORM_PATH


@pytest.fixture(scope="module")
def app(plain_apps):
    """gunicorn with the production settings and the page cache on (tests/faults/conftest.py)."""
    return plain_apps[0]


BAD_BODIES = {
    "invalid UTF-8": (
        "application/x-www-form-urlencoded",
        b"name=Bad%FF%FEname&email=bad.bytes%40example.org&consent=on&csrfmiddlewaretoken=",
    ),
    "raw invalid bytes": (
        "application/x-www-form-urlencoded",
        b"name=Bad\xff\xfe&email=bad.raw%40example.org&consent=on&csrfmiddlewaretoken=",
    ),
    "another charset": (
        "application/x-www-form-urlencoded; charset=iso-8859-9",
        b"name=T\xfcrk&email=bad.charset%40example.org&consent=on&csrfmiddlewaretoken=",
    ),
    "invalid UTF-8 in multipart": (
        "multipart/form-data; boundary=XyZ",
        None,
    ),
}


def multipart(token):
    parts = [
        (b"csrfmiddlewaretoken", token.encode()),
        (b"name", b"Bad \xff\xfe multipart"),
        (b"email", b"bad.multipart@example.org"),
        (b"consent", b"on"),
    ]
    body = b""
    for name, value in parts:
        body += b'--XyZ\r\nContent-Disposition: form-data; name="' + name + b'"\r\n\r\n'
        body += value + b"\r\n"
    return body + b"--XyZ--\r\n"


@pytest.mark.parametrize("kind", BAD_BODIES)
def test_a_body_that_is_not_utf8_is_a_bad_request_not_a_server_error(app, site_db, kind):
    jar, token = csrf(app, FORM_PATH)
    content_type, body = BAD_BODIES[kind]
    body = multipart(token) if body is None else body + token.encode()
    response, content = app.request(
        "POST", FORM_PATH, body=body, headers={"Content-Type": content_type, **cookie_header(jar)}
    )
    assert response.status == 400, (response.status, content[-1500:])
    assert b"<html" in content  # our error page, not a bare traceback
    assert not Registration.objects.using(site_db).filter(email__startswith="bad.").exists()
    assert "Internal Server Error" not in app.log()
