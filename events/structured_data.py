"""schema.org `Event` JSON-LD for an event page, in the page's language."""

from django.utils.translation import get_language

from home.addresses import absolute, page_url

from .choices import AttendanceMode, EventStatus
from .formatting import local
from .registration import SCHEMA_AVAILABILITY, opening

STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.RESCHEDULED: "https://schema.org/EventRescheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.MOVED_ONLINE: "https://schema.org/EventMovedOnline",
}

ATTENDANCE = {
    AttendanceMode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "https://schema.org/MixedEventAttendanceMode",
}


def _image_url(image, spec="fill-1200x630"):
    if image is None:
        return None
    return absolute(image.get_rendition(spec).url)


def _place(event):
    address = {
        "@type": "PostalAddress",
        "streetAddress": event.street_address,
        "postalCode": event.postal_code,
        "addressLocality": event.city,
        # The ISO 3166 code schema.org and Google ask for; the name where none was given.
        "addressCountry": str(event.country_code) if event.country_code else event.country,
    }
    place = {
        "@type": "Place",
        "name": event.venue_name or event.city,
        "address": {key: value for key, value in address.items() if value},
    }
    if event.map_url:
        place["hasMap"] = event.map_url
    return place


def _location(event, url):
    """The place, the online part, or both. The online part's `url` (which Google requires
    for online events) is the event's public page, where registrants are told how to join:
    the join address itself is for confirmed registrants only."""
    mode = event.effective_attendance_mode
    virtual = {"@type": "VirtualLocation", "url": url}
    if mode == AttendanceMode.ONLINE:
        return virtual
    if mode == AttendanceMode.MIXED:
        return [_place(event), virtual]
    return _place(event)


def _person(speaker):
    data = {"@type": "Person", "name": speaker.name}
    if speaker.role:
        data["jobTitle"] = speaker.role
    if speaker.link:
        data["url"] = speaker.link
    if speaker.photo_id:
        data["image"] = _image_url(speaker.photo, "fill-160x160")
    return data


def _organisation(organiser, site_url=None):
    data = {"@type": "Organization", "name": organiser.name}
    if organiser.link or site_url:
        data["url"] = organiser.link or site_url
    if organiser.logo_id:
        data["logo"] = _image_url(organiser.logo, "max-240x120")
    return data


def event_json_ld(event, request, *, performers, organisers, form_page, availability, sponsors=()):
    url = page_url(event, request)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.search_description
        or event.introduction
        or event.listing_summary
        or event.strapline,
        "startDate": local(event.start, event.time_zone).isoformat(),
        "endDate": local(event.end, event.time_zone).isoformat(),
        "eventStatus": STATUS.get(event.status, STATUS[EventStatus.SCHEDULED]),
        "eventAttendanceMode": ATTENDANCE[event.effective_attendance_mode],
        "inLanguage": get_language(),
        "url": url,
    }
    location = _location(event, url)
    if location:
        data["location"] = location
    image = event.hero_image or event.share_image
    if image is not None:
        data["image"] = [_image_url(image)]
    if organisers:
        # An organiser without a website of its own is reached through this one, the
        # conference's site, which the organisers run (Google recommends a `url`).
        site_url = absolute(f"/{event.locale.language_code}/")
        data["organizer"] = [_organisation(o, site_url) for o in organisers]
    if sponsors:
        # Every credited partner supports the event; schema.org has `sponsor` for that
        # (an organiser-tier partner is a sponsor too: it is not in `organizer` twice).
        data["sponsor"] = [_organisation(p) for p in sponsors]
    if performers:
        data["performer"] = [_person(p) for p in performers]
    if event.status == EventStatus.RESCHEDULED and event.previous_start:
        data["previousStartDate"] = local(event.previous_start, event.time_zone).isoformat()
    # A past event offers nothing to book (Google: leave `offers` out rather than keep an
    # offer that can no longer be taken up).
    if form_page is not None and not event.is_past:
        data["offers"] = _offer(event, request, form_page, availability)
    return data


def _offer(event, request, form_page, availability):
    offer = {
        "@type": "Offer",
        "url": page_url(form_page, request),
        "availability": SCHEMA_AVAILABILITY[availability],
        # A decimal string ("0" for a free event), as schema.org and Google expect.
        "price": format(event.price.normalize(), "f"),
        "priceCurrency": event.price_currency,
    }
    opens_at = opening(form_page)
    if opens_at is not None:
        offer["validFrom"] = local(opens_at, event.time_zone).isoformat()
    return offer
