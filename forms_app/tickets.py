"""A ticket is a confirmed registration's `ticket_code` (models.new_ticket_code), shown as
a QR code: in the confirmation and promotion emails, on the manage page, on the ticket
PDF and on the badge. The QR code holds the code alone (no address, no name), so that a
photo of a ticket tells nobody anything but lets door staff check the person in.

segno makes the codes: pure Python, no image library needed for SVG and PNG."""

import io

import segno

# Medium error correction survives a scuffed phone screen or a creased printout.
ERROR_CORRECTION = "m"


def qr(code):
    return segno.make(code, error=ERROR_CORRECTION, micro=False)


def qr_png(code, *, scale=8):
    """PNG bytes of the QR code for `code` (quiet zone included)."""
    buffer = io.BytesIO()
    qr(code).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(code, *, scale=4, title=""):
    """An inline `<svg>` element for `code`, for HTML pages and PDFs."""
    return qr(code).svg_inline(scale=scale, border=4, title=title or None)
