"""When registration opens and closes, entered in the event's own time zone.

An organiser in London setting "registration opens at 10:15" for an Istanbul event means
10:15 in Istanbul, which is what visitors are shown (named: "Istanbul, UTC+3"). Django's
date-time fields read and show values in the *current* zone, which in the Wagtail admin is
the editor's own; here the two fields of a registration form page use the zone of the
event the form belongs to (its parent page), whatever the editor's. Values are stored in
UTC as before."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm

from events import formatting

WINDOW_FIELDS = ("opens_at", "closes_at")


class EventZoneDateTimeField(forms.DateTimeField):
    """A date-time field shown and parsed in `zone_name` rather than the current zone. A
    local time the zone skips or repeats (a clock change) is refused by Django's own check
    with its message, as in any date-time field."""

    def __init__(self, *, zone_name, **kwargs):
        self.zone_name = zone_name
        super().__init__(**kwargs)

    def prepare_value(self, value):
        with timezone.override(formatting.zone(self.zone_name)):
            return super().prepare_value(value)

    def to_python(self, value):
        with timezone.override(formatting.zone(self.zone_name)):
            return super().to_python(value)


def event_zone_of(form):
    """The time zone of the event the form page belongs to: its parent page's, for a new
    page as for an existing one (Wagtail gives the form its parent page)."""
    parent = form.parent_page
    if parent is None and form.instance.pk:
        parent = form.instance.get_parent()
    zone_name = getattr(parent.specific if parent is not None else None, "time_zone", None)
    return zone_name or formatting.DEFAULT_TIME_ZONE


class RegistrationFormPageForm(WagtailAdminFormPageForm):
    """The form page's admin form, with the registration window in the event's zone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone_name = event_zone_of(self)
        moment = timezone.now().astimezone(formatting.zone(zone_name))
        zone_label = _("%(city)s time, %(offset)s") % {
            "city": formatting.zone_city(zone_name),
            "offset": formatting.utc_offset(moment),
        }
        for name in WINDOW_FIELDS:
            field = self.fields.get(name)
            if field is None:
                continue
            self.fields[name] = EventZoneDateTimeField(
                zone_name=zone_name,
                required=field.required,
                label=field.label,
                widget=field.widget,
                help_text=f"{zone_label}. {field.help_text}",
            )
