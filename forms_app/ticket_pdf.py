"""A registrant's ticket as a one-page PDF (from the manage page): the event's name, dates
and place in the registrant's language, their name as they wrote it, the QR code door
staff scan and the code itself. Only a confirmed registration has a ticket; a waitlisted
one gets its ticket when promoted, a cancelled one's no longer admits anyone.

Rendered with WeasyPrint through `forms_app.pdf`, so Urdu is set joined, right to left,
in Nastaliq, and stays copyable."""

from django.utils import translation
from django.utils.translation import gettext

from events.formatting import when_text
from home.languages import live_translation

from . import pdf
from .badges import has_badge, qr_svg
from .models import RegistrationFormPage


def render(registration):
    """PDF bytes of the ticket of a confirmed registration."""
    if not has_badge(registration):
        raise ValueError("Only a confirmed registration with a ticket has a ticket")
    source = RegistrationFormPage.objects.select_related("locale").get(pk=registration.page_id)
    language = registration.language
    page = live_translation(source, language)
    event = page.event
    with translation.override(language):
        title = event.title if event is not None else page.title
        when = str(when_text(event.local_start, event.local_end, event.time_zone)) if event else ""
        where = event.location_line if event is not None else ""
        context = {
            "language": language,
            "bidi": translation.get_language_bidi(),
            "title": title,
            "event": pdf.script_text(title, language=language),
            "when": pdf.script_text(when, language=language) if when else "",
            "where": pdf.script_text(where, language=language) if where else "",
            "name": pdf.script_text(registration.name, language=language),
            "code": registration.ticket_code,
            "qr": qr_svg(registration.ticket_code),
            # Set like the rest, so that Urdu is in Nastaliq and copyable.
            "label": pdf.script_text(gettext("Ticket"), language=language),
            "note": pdf.script_text(
                gettext("Show this QR code at the entrance, on your phone or printed."),
                language=language,
            ),
        }
        return pdf.render("forms_app/pdf/ticket.html", context, stylesheet="ticket.css")
