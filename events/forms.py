"""The event page's admin form: start, end and a rescheduled event's previous start are
typed and shown as wall-clock times in the event's own time zone, whatever the server's or
the editor's zone is."""

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from .formatting import DEFAULT_TIME_ZONE, is_valid_zone, zone

DATE_FIELDS = ("start", "end", "previous_start")


class EventPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event_zone = zone(getattr(self.instance, "time_zone", None) or DEFAULT_TIME_ZONE)
        for name in DATE_FIELDS:
            value = self.initial.get(name)
            if value is not None and timezone.is_aware(value):
                # The widget shows values in the current zone: give it the event's wall
                # clock expressed in the current zone.
                self.initial[name] = timezone.make_aware(timezone.make_naive(value, event_zone))

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        if not zone_name or not is_valid_zone(zone_name):
            return cleaned
        event_zone = zone(zone_name)
        for name in DATE_FIELDS:
            value = cleaned.get(name)
            if value is not None:
                # The field read the input as the current zone's wall clock; keep the wall
                # clock and attach the event's zone instead.
                cleaned[name] = timezone.make_aware(timezone.make_naive(value), event_zone)
        return cleaned
