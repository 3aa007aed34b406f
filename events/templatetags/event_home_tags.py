"""The home page's feature on the next event: hero with its call to action, key facts,
the programme at a glance, speakers and partners. In the events app because the home app
must not import event models (DESIGN.md); the registration form is found and asked about
its availability through `events.registration` (duck-typed, no forms_app import)."""

from django import template
from django.utils import translation

from events import registration
from events.choices import EventStatus
from events.registration import Availability

register = template.Library()


def _next_event(language):
    from events.models import EventPage

    return EventPage.next_in_language(language)


def call_to_action(event, form_page):
    """What the hero's call to action says: {"state", "opens_at", "waiting_list"}. The
    form's opening date and waiting list are read duck-typed (`source_page()`,
    `opens_at`, `waiting_list`, `seats_left()`), as `events.registration` does."""
    if form_page is None or event.is_past or event.status == EventStatus.CANCELLED:
        return None
    state = registration.availability(form_page)
    source_of = getattr(form_page, "source_page", None)
    source = source_of() if callable(source_of) else form_page
    cta = {"state": state, "opens_at": None, "waiting_list": False}
    if state == Availability.NOT_YET_OPEN:
        cta["opens_at"] = registration.opening(form_page)
    elif state == Availability.OPEN and getattr(source, "waiting_list", False):
        seats_left = getattr(source, "seats_left", None)
        if callable(seats_left):
            try:
                cta["waiting_list"] = seats_left() == 0
            except TypeError:
                cta["waiting_list"] = False
    return cta


@register.simple_tag
def next_event_feature():
    """The next upcoming event in the visitor's language (else the latest past one), with
    what the home page shows of it: `{% next_event_feature as feature %}`, then the
    includes `events/includes/home_hero_event.html` and `home_feature.html`."""
    language = translation.get_language()
    event, is_upcoming, index = _next_event(language)
    result = {
        "event": event,
        "is_upcoming": is_upcoming,
        "index": index,
    }
    if event is None:
        return result
    from events.models import EventPeople

    people = EventPeople(event)
    form_page = event.registration_page()
    days = event.programme_days(people.by_key)
    result.update(
        {
            "registration_page": form_page,
            "cta": call_to_action(event, form_page) if is_upcoming else None,
            "availability_states": Availability,
            "days": days,
            "session_count": sum(
                1 for day in days for session in day["sessions"] if session["kind"] != "break"
            ),
            "speakers": people.speakers,
            "partners": people.partners,
        }
    )
    return result


DISC_COLOURS = 6


@register.filter
def initials(name):
    """'Bilal Example' → 'BE', 'Speaker A. Placeholder' → 'SA': the first letters of the
    first and last words, or of a middle initial (one letter for a single word, or for
    Arabic-script names, whose letters change shape when set apart)."""
    words = [w for w in (name or "").replace(".", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    first = words[0][0]
    if "\u0600" <= first <= "\u06ff" or len(words) == 1:
        return first.upper()
    # A middle initial ("Speaker A. Placeholder") tells people apart better than the
    # family name they may share.
    middle = [w for w in words[1:-1] if len(w) == 1]
    return (first + (middle[0] if middle else words[-1][0])).upper()


@register.filter
def disc_colour(value):
    """A stable colour class (0–5) for a person's initials disc, from their key."""
    text = str(value or "")
    return sum(text.encode()) % DISC_COLOURS
