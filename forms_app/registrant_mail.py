"""Putting together an email to a registrant: one place for what every such email has.

Confirmations, reminders, "the event changed", organisers' messages, certificates and
visa letters differ in their texts and attachments, but each goes from the registration
managers' sender to the registrant alone, says its language in `Content-Language`, has a
plain-text and an HTML part, and keeps its subject on one line. Those that carry a ticket
show its QR code inside the HTML part (`multipart/related`, `cid:`): mail clients strip
`data:` images and many hide attachments they are not told are inline.

Below `emails` and `visa_letters` (both use it; it uses neither)."""

from email.mime.image import MIMEImage

from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.template.loader import render_to_string

from . import tickets


class MessageWithInlineImages(EmailMultiAlternatives):
    """An email whose HTML part shows images sent with it: the HTML alternative and the
    images go in a `multipart/related` part, each image with its `Content-ID`, so that
    `<img src="cid:…">` finds it.

    `inline_images`: (content id, PNG bytes, file name) triples."""

    def __init__(self, *args, inline_images=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.inline_images = list(inline_images)

    def message(self):
        message = super().message()
        if self.inline_images:
            self.relate_images(message)
        return message

    def relate_images(self, message):
        for part in message.walk():
            if not part.is_multipart():
                continue
            children = part.get_payload()
            for index, child in enumerate(children):
                if child.get_content_type() == "text/html":
                    children[index] = self.related(child)
                    return

    def related(self, html_part):
        related = SafeMIMEMultipart(_subtype="related", encoding=self.encoding)
        related.attach(html_part)
        for content_id, data, filename in self.inline_images:
            image = MIMEImage(data, "png")
            image["Content-ID"] = f"<{content_id}>"
            image.add_header("Content-Disposition", "inline", filename=filename)
            related.attach(image)
        return related


def ticket_content_id(registration):
    return f"ticket-qr-{registration.pk}@tickets"


def ticket_context(registration, with_ticket):
    """The template values of the ticket: its code and its image's content id, or empty
    strings for an email without one."""
    if not with_ticket:
        return {"ticket_code": "", "ticket_cid": ""}
    return {
        "ticket_code": registration.ticket_code,
        "ticket_cid": ticket_content_id(registration),
    }


def attach_calendar(message, calendar):
    """Attach an event's calendar file. The MIME type alone: Django adds the charset of
    a text attachment itself (given here too, the header would say it twice)."""
    message.attach("event.ics", calendar, "text/calendar")


def registrant_email(
    registration,
    *,
    subject,
    sender,
    template=None,
    context=None,
    text=None,
    html=None,
    with_ticket=False,
    calendar=None,
    attachments=(),
):
    """The email to `registration`'s address: its parts rendered from `template`.txt and
    `template`.html with `context` (or given as `text` and `html`), the ticket's QR code
    inline when `with_ticket` (the templates show it through `ticket_context`), the
    calendar file when given, and (file name, content, MIME type) `attachments`. Call it
    with the registrant's language active."""
    if template is not None:
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    images = []
    if with_ticket:
        png = tickets.qr_png(registration.ticket_code)
        images.append((ticket_content_id(registration), png, "ticket.png"))
    message = MessageWithInlineImages(
        subject=" ".join(subject.split()),
        body=text,
        from_email=sender,
        to=[registration.email],
        headers={"Content-Language": registration.language},
        inline_images=images,
    )
    message.attach_alternative(html, "text/html")
    if calendar is not None:
        attach_calendar(message, calendar)
    for attachment in attachments:
        message.attach(*attachment)
    return message
