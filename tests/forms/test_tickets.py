"""Tickets: a confirmed registrant's emails carry the ticket's QR code as an inline image
(`cid:`, in the HTML part's multipart/related) that a scanner reads back as the ticket
code, and the code in the text part, in their language; the waiting list gets no ticket
until the promotion email brings it; the manage page shows the ticket and offers it as a
one-page PDF, and a cancelled registration has none.

The QR codes are decoded with Debian's `zbarimg` (zbar-tools), PDFs read with
`pdftotext` and `pdftoppm` (poppler-utils): CI installs both (.ci/run)."""

import email
import email.policy
import re
import subprocess

import pytest

from forms_app import services
from forms_app.models import EmailKind, Registration, RegistrationStatus
from tests.helpers import answers, debian_tool, register

pytestmark = pytest.mark.django_db

URDU_NAME = "محمد علی خان"
CID = re.compile(r'<img src="cid:([^"]+)"')


def decode_qr(png_bytes, tmp_path):
    """The text of the one QR code in a PNG, read by zbarimg."""
    zbarimg = debian_tool("zbarimg", "zbar-tools")
    image = tmp_path / "qr.png"
    image.write_bytes(png_bytes)
    result = subprocess.run(
        [zbarimg, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def parsed(message):
    """The message as a mail client receives it (MIME bytes, parsed)."""
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def ticket_parts(message):
    """(HTML, text, [inline images by Content-ID]) of a registrant's email."""
    mime = parsed(message)
    html = text = None
    related = [part for part in mime.walk() if part.get_content_type() == "multipart/related"]
    for part in mime.walk():
        if part.get_content_type() == "text/html":
            html = part.get_content()
        elif part.get_content_type() == "text/plain" and part.get_filename() is None:
            text = part.get_content()
    images = {}
    for container in related:
        for part in container.iter_parts():
            if part.get_content_maintype() == "image":
                images[part["Content-ID"].strip("<>")] = part
    return html, text, images, related


def post_registration(client, language, capture, **extra):
    with capture(execute=True):
        response = client.post(f"/{language}/third-conference/register/", answers(**extra))
    assert response.status_code == 303
    return Registration.objects.latest("pk")


def test_an_urdu_confirmation_carries_a_scannable_qr_code_inline_and_the_code_in_text(
    client, form_page, mailoutbox, django_capture_on_commit_callbacks, tmp_path
):
    registration = post_registration(
        client, "ur", django_capture_on_commit_callbacks, name=URDU_NAME
    )
    assert registration.status == RegistrationStatus.CONFIRMED
    code = registration.ticket_code
    assert code
    confirmation = mailoutbox[0]
    html, text, images, related = ticket_parts(confirmation)
    # The HTML part and its image travel together in one multipart/related part.
    assert len(related) == 1
    assert [part.get_content_type() for part in related[0].iter_parts()] == [
        "text/html",
        "image/png",
    ]
    cids = CID.findall(html)
    assert len(cids) == 1 and cids[0] in images
    assert "data:image" not in html
    image = images[cids[0]]
    assert image.get_content_disposition() == "inline"
    assert decode_qr(image.get_content(), tmp_path) == [code]
    # In the registrant's language, right to left, with the code written out too.
    assert 'dir="rtl"' in html
    assert "آپ کا ٹکٹ" in html and code in html
    assert "آپ کا ٹکٹ کوڈ" in text and code in text
    # The calendar file is still attached, beside the related part.
    assert [name for name, *_ in confirmation.attachments] == ["event.ics"]


def test_the_waiting_list_gets_no_ticket_and_the_promotion_email_brings_it(
    form_in, mailoutbox, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = [register(form_in("en"), f"Person {n}", f"p{n}@example.org") for n in range(3)]
        waiting = register(form_in("tr"), "Işıl Doğan", "isil@example.org")
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert waiting.ticket_code is None
    notice = next(m for m in mailoutbox if m.to == ["isil@example.org"])
    html, text, images, related = ticket_parts(notice)
    assert "bekleme listesindesiniz" in notice.subject
    assert related == [] and images == {}
    assert "cid:" not in html and "Bilet kodunuz" not in text

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(confirmed[0])
    assert promoted.pk == waiting.pk
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED and waiting.ticket_code
    promotion = next(m for m in mailoutbox if m.to == ["isil@example.org"])
    assert waiting.emails.filter(kind=EmailKind.PROMOTED, status="sent").exists()
    html, text, images, related = ticket_parts(promotion)
    (cid,) = CID.findall(html)
    assert decode_qr(images[cid].get_content(), tmp_path) == [waiting.ticket_code]
    assert "Bilet kodunuz" in text and waiting.ticket_code in text
    # The cancelled registrant's notice carries no ticket.
    cancelled = next(m for m in mailoutbox if m.to == ["p0@example.org"])
    assert ticket_parts(cancelled)[3] == []


def manage_url(registration, language="tr"):
    return f"/{language}/third-conference/register/manage/{registration.manage_token}/"


def test_the_manage_page_shows_the_ticket_and_a_cancelled_one_has_none(form_in, client):
    registration = register(form_in("tr"), "Işıl Doğan", "isil@example.org")
    response = client.get(manage_url(registration))
    html = response.content.decode()
    assert registration.ticket_code in html
    assert re.search(r'<svg viewBox="0 0 \d+ \d+" class="segno">', html)
    assert "Biletiniz" in html
    pdf_url = manage_url(registration) + "ticket/"
    assert f'href="{pdf_url}"' in html
    assert 'style="' not in html  # the strict CSP: the QR code is drawn without inline styles
    assert client.get(pdf_url).status_code == 200

    services.cancel(registration)
    html = client.get(manage_url(registration)).content.decode()
    assert registration.ticket_code not in html
    assert 'class="segno"' not in html and "/ticket/" not in html
    assert client.get(pdf_url).status_code == 404


def test_a_waitlisted_registration_has_no_ticket_on_its_manage_page(form_in, client):
    for n in range(3):
        register(form_in("en"), f"Person {n}", f"p{n}@example.org")
    waiting = register(form_in("tr"), "Işıl Doğan", "isil@example.org")
    assert waiting.status == RegistrationStatus.WAITLISTED
    html = client.get(manage_url(waiting)).content.decode()
    assert 'class="segno"' not in html and "/ticket/" not in html
    assert client.get(manage_url(waiting) + "ticket/").status_code == 404
    # Nor does a made-up token.
    assert client.get("/tr/third-conference/register/manage/x/ticket/").status_code == 404


def pdf_text(data, tmp_path):
    pdftotext = debian_tool("pdftotext", "poppler-utils")
    path = tmp_path / "ticket.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    # pdftotext marks right-to-left runs with embedding controls: read the letters.
    return "".join(c for c in result.stdout.decode() if c not in "\u202a\u202b\u202c")


def test_the_ticket_pdf_holds_the_name_event_and_a_scannable_code(form_in, client, tmp_path):
    registration = register(form_in("ur"), URDU_NAME, "ali@example.org")
    response = client.get(manage_url(registration, "ur") + "ticket/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    data = response.content
    text = pdf_text(data, tmp_path)
    lines = [line.strip() for line in text.splitlines()]
    assert URDU_NAME in lines  # whole, in logical order
    assert "تیسری کانفرنس" in lines  # the event, in the registrant's language
    assert registration.ticket_code in text
    # One page, and its QR code reads back as the ticket code.
    pdftoppm = debian_tool("pdftoppm", "poppler-utils")
    (tmp_path / "ticket.pdf").write_bytes(data)
    subprocess.run(
        [pdftoppm, "-r", "150", "-png", str(tmp_path / "ticket.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    assert decode_qr(pages[0].read_bytes(), tmp_path) == [registration.ticket_code]


def test_a_turkish_ticket_keeps_its_letters(form_in, client, tmp_path):
    registration = register(form_in("tr"), "Işıl İnce Şahin Doğan", "isil@example.org")
    text = pdf_text(client.get(manage_url(registration) + "ticket/").content, tmp_path)
    assert "Işıl İnce Şahin Doğan" in text
    assert "Üçüncü Konferans" in text
    assert "Bilet" in text
