"""The door, on a phone: a door staff member signs in, opens the check-in page in Urdu
(right to left) and points the camera at a registrant's ticket.

Chromium gets a fake camera (`--use-fake-device-for-media-stream` and
`--use-file-for-fake-video-capture`) whose picture is the QR code from the registrant's
Urdu confirmation email (the inline image its HTML shows by `cid:`), written as a Y4M
video. The page decodes it (Chromium on Linux has no `BarcodeDetector`, so this runs
the vendored jsQR; on a phone with `BarcodeDetector` the same code path sends the same
POST), and the person is checked in once; after "Next", the same ticket in front of the
camera says "already checked in", and there is still one check-in; "Undo" takes it back.
axe-core finds no serious or critical problem on the page. The page keeps the
site's strict Content-Security-Policy: a violation (an inline script or style, a script
from elsewhere) would be reported and fail the test."""

import email
import email.policy
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from playwright.sync_api import expect

from forms_app.models import CheckIn
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from tests.browser.registration_helpers import blocking_violations
from tests.helpers import make_user, register

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTH, HEIGHT = 640, 480
NAME = "بلال احمد"


def emailed_qr_code(message):
    """The PNG the confirmation's HTML shows by `cid:` (its one inline image)."""
    mime = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    html = next(p.get_content() for p in mime.walk() if p.get_content_type() == "text/html")
    (cid,) = re.findall(r'src="cid:([^"]+)"', html)
    (image,) = [
        part
        for part in mime.walk()
        if part.get_content_maintype() == "image" and part["Content-ID"] == f"<{cid}>"
    ]
    return image.get_content()


def ticket_video(png, path, frames=10):
    """A Y4M video (4:2:0) of the QR code image `png`, black on white, centred: what
    Chromium's fake camera plays, in a loop."""
    qr = Image.open(io.BytesIO(png)).convert("L")
    side = min(WIDTH, HEIGHT) - 40
    qr = qr.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(qr, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (WIDTH * HEIGHT // 4)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)
    return path


def urdu(message):
    with translation.override("ur"):
        return gettext(message)


def test_door_staff_check_in_an_urdu_registrant_by_camera_once(
    browser, live_server, form_in, tmp_path, artifacts_dir, mailoutbox
):
    ticket = register(form_in("ur"), NAME, "bilal@example.org")  # committed: emails sent
    assert ticket.status == "confirmed" and ticket.ticket_code
    (confirmation,) = [m for m in mail.outbox if m.to == ["bilal@example.org"]]
    make_user("door", "Check-in staff", first_name="Deniz", last_name="Kapı")
    video = ticket_video(emailed_qr_code(confirmation), tmp_path / "ticket.y4m")

    camera_browser = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(
            base_url=live_server.url,
            locale="en-GB",
            viewport={"width": 390, "height": 844},  # a phone
            is_mobile=True,
            has_touch=True,
            permissions=["camera"],
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        problems = []
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda error: problems.append(str(error)))

        # Signed out: the admin's login page, then back to the Urdu check-in page.
        door_path = f"/ur/check-in/{ticket.page_id}/"
        page.goto(door_path)
        expect(page).to_have_url(re.compile(r"/admin/login/"))
        page.get_by_label("Username").fill("door")
        page.get_by_label("Password").fill("pw")
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(re.escape(door_path) + "$"))
        html = page.locator("html")
        expect(html).to_have_attribute("lang", "ur")
        expect(html).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("heading", level=1)).to_have_text("تیسری کانفرنس")

        result = page.locator("#checkin-result")
        page.get_by_role("button", name=urdu("Scan with the camera")).click()
        expect(result).to_have_class(re.compile(r"checkin-result--checked_in"))
        expect(result.locator("[data-result=label]")).to_have_text(urdu("Checked in"))
        expect(result.locator("[data-result=name]")).to_have_text(NAME)
        expect(result.get_by_role("button", name=urdu("Undo"))).to_be_visible()
        assert CheckIn.objects.filter(registration=ticket).count() == 1
        used_jsqr = page.evaluate("() => typeof window.jsQR === 'function'")
        has_detector = page.evaluate("() => 'BarcodeDetector' in window")
        assert used_jsqr or has_detector
        page.screenshot(path=artifacts_dir / "check-in-phone-ur-checked-in.png")

        # The same ticket again, after "Next": already checked in, by whom; still one.
        result.locator("[data-next]").click()
        expect(result).to_have_class(re.compile(r"checkin-result--already_checked_in"))
        expect(result.locator("[data-result=message]")).to_contain_text("Deniz Kapı")
        expect(result.locator("[data-result=name]")).to_have_text(NAME)
        assert CheckIn.objects.filter(registration=ticket).count() == 1
        page.screenshot(path=artifacts_dir / "check-in-phone-ur-already.png")
        # axe-core finds no serious or critical problem on the page with a result shown.
        assert blocking_violations(Axe(), page, "check-in page (ur)") == []

        # A mistaken check-in undone: the row is gone (and the undo logged, see
        # tests/forms/test_check_in.py).
        result.get_by_role("button", name=urdu("Undo")).click()
        expect(result.locator("[data-result=message]")).to_have_text(urdu("Check-in undone."))
        assert CheckIn.objects.filter(registration=ticket).count() == 0
        # No CSP violation, no script error on the way.
        assert problems == [], problems
        context.close()
    finally:
        camera_browser.close()
