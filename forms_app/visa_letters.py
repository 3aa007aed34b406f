"""The visa invitation letter (PDF) and the emails that carry a decision.

The letter is in English, for the consulate; when the letterhead's Turkish costs
statement is set (`VisaLetterhead.costs_statement_tr`), a second page says the same in
Turkish (one document, so the registrant cannot hand in one page without the other).
It is on the letterhead (logo, organisation, address, contact), dated, with the
reference, addressed to the consulate in the city the registrant gave, and names the
registrant as in their passport, their nationality, passport number and date of birth,
the event's name, dates and venue, who pays, and the signatory with their signature.

Rendered with WeasyPrint through `forms_app.pdf`, as the ticket and the certificate: text
is set by `pdf.script_text()`; images (logo, signature) are inlined as `data:` URLs (the
renderer fetches nothing).

The emails (`EmailKind.VISA_LETTER`, `VISA_DECLINED`) are built here for
`emails.build_message`, which imports this module (never the other way round), in the
registrant's language: the letter goes as an attachment; the body carries no passport
detail."""

import base64
import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext

from events.formatting import date_range_text, format_date
from home.languages import live_translation

from . import pdf, registrant_mail, visa
from .models import EmailKind, RegistrationFormPage, VisaLetterhead, VisaLetterRequest

EMAIL_KINDS = (EmailKind.VISA_LETTER, EmailKind.VISA_DECLINED)
LETTER_LANGUAGE = "en"


def event_info(source, language=LETTER_LANGUAGE):
    """(title, dates) of the form's event in `language` (the form's title and "" for a
    form not under an event); dates from the source event."""
    event = source.event
    with translation.override(language):
        if event is None:
            return live_translation(source, language).title, ""
        shown = live_translation(event, language)
        return shown.title, date_range_text(event.local_start, event.local_end)


def _image_data_url(image, spec):
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as file:
            data = file.read()
    except Exception:  # a missing file prints the letter without it
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode()


def _page_context(language, *, details, source, letter_request, letterhead, costs):
    """The texts of one page of the letter, in `language` (English or Turkish)."""
    event = source.event
    shown = live_translation(event, language) if event is not None else None

    def text(value):
        return pdf.script_text(value, language=language) if value else ""

    with translation.override(language):
        title = shown.title if shown is not None else live_translation(source, language).title
        dates = date_range_text(event.local_start, event.local_end) if event is not None else ""
        venue = shown.full_address if shown is not None else ""
        city = details["consulate_city"]
        country = shown.country if shown is not None else ""
        if country:
            to = gettext("To the Embassy or Consulate of %(country)s in %(city)s") % {
                "country": country,
                "city": city,
            }
        else:
            to = gettext("To the Embassy or Consulate in %(city)s") % {"city": city}
        birth = format_date(_date(details["date_of_birth"]))
        return {
            "language": language,
            "date": text(format_date(timezone.localdate())),
            "reference_label": text(gettext("Reference")),
            "to": text(to),
            "subject": text(
                gettext("Invitation to %(event)s: letter in support of a visa application")
                % {"event": title}
            ),
            "salutation": text(gettext("Dear Sir or Madam,")),
            "invitation": text(
                gettext(
                    "We are pleased to invite %(name)s (nationality: %(nationality)s), "
                    "born on %(birth)s, holder of passport number %(passport)s, to attend "
                    "%(event)s."
                )
                % {
                    "name": details["passport_name"],
                    "nationality": details["nationality"],
                    "birth": birth,
                    "passport": details["passport_number"],
                    "event": title,
                }
            ),
            "facts": [
                (text(gettext("Participant")), text(details["passport_name"])),
                (text(gettext("Nationality")), text(details["nationality"])),
                (text(gettext("Passport number")), text(details["passport_number"])),
                (text(gettext("Date of birth")), text(birth)),
                (text(gettext("Event")), text(title)),
                (text(gettext("Dates")), text(dates)),
                (text(gettext("Venue")), text(venue)),
            ],
            "registered": text(
                gettext("%(name)s is registered for the event and their place is confirmed.")
                % {"name": details["passport_name"]}
            ),
            "costs": text(costs),
            "purpose": text(
                gettext(
                    "This letter is issued only to support a visa application for the "
                    "event. The organisers can confirm it by its reference."
                )
            ),
            "closing": text(gettext("Yours faithfully,")),
        }


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def context_for(letter_request, *, details=None):
    """Everything the letter template needs, both pages."""
    registration = letter_request.registration
    details = details if details is not None else visa.details_of(letter_request)
    if details is None:
        raise ValueError("The request's details were erased")
    source = RegistrationFormPage.objects.select_related("locale").get(pk=registration.page_id)
    letterhead = VisaLetterhead.load()
    common = {"details": details, "source": source, "letter_request": letter_request}
    pages = [
        _page_context(
            LETTER_LANGUAGE, letterhead=letterhead, costs=letterhead.costs_statement, **common
        )
    ]
    if letterhead.costs_statement_tr.strip():
        pages.append(
            _page_context(
                "tr", letterhead=letterhead, costs=letterhead.costs_statement_tr, **common
            )
        )

    def text(value):
        return pdf.script_text(value, language=LETTER_LANGUAGE) if value else ""

    return {
        "title": gettext("Visa invitation letter"),
        "pages": pages,
        "reference": letter_request.reference or "",
        "organisation": text(letterhead.organisation),
        "address_lines": [text(line) for line in letterhead.address.splitlines() if line.strip()],
        "contact": text(letterhead.contact),
        "logo": _image_data_url(letterhead.logo, "max-600x200|format-png"),
        "signature": _image_data_url(letterhead.signature, "max-500x160|format-png"),
        "signatory_name": text(letterhead.signatory_name),
        "signatory_title": text(letterhead.signatory_title),
    }


def render(letter_request, *, details=None):
    """PDF bytes of an approved request's letter (ValueError otherwise)."""
    if not letter_request.reference:
        raise ValueError("Only an approved request has a letter")
    context = context_for(letter_request, details=details)
    return pdf.render("forms_app/pdf/visa_letter.html", context, stylesheet="visa_letter.css")


def filename(letter_request):
    return f"visa-letter-{letter_request.reference}.pdf"


# Emails -----------------------------------------------------------------------------------


def message(email, registration, *, page, manage_url, sender):
    """The registrant's email of a decision on their request (call it with the
    registrant's language active). The letter email is refused (ValueError, left failed
    for the outbox) when the letter is no longer valid: declined since, registration
    cancelled, details erased."""
    letter_request = VisaLetterRequest.objects.get(registration_id=registration.pk)
    event = page.event
    context = {
        "registration": registration,
        "event_title": event.title if event is not None else page.title,
        "manage_url": manage_url,
        "reference": letter_request.reference or "",
        "reason": letter_request.decline_reason,
        "kind": email.kind,
    }
    if email.kind == EmailKind.VISA_LETTER:
        if not visa.has_letter(letter_request, registration):
            raise ValueError("The visa letter is no longer valid")
        subject = gettext("Your visa invitation letter: %(event)s")
        template = "forms_app/emails/visa_letter"
    else:
        subject = gettext("Your visa invitation letter request: %(event)s")
        template = "forms_app/emails/visa_declined"
    attachments = []
    if email.kind == EmailKind.VISA_LETTER:
        attachments.append((filename(letter_request), render(letter_request), "application/pdf"))
    return registrant_mail.registrant_email(
        registration,
        subject=subject % {"event": context["event_title"]},
        sender=sender,
        template=template,
        context=context,
        attachments=attachments,
    )
