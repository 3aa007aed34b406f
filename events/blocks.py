"""The programme: days made of sessions. Editors enter it in the event page's editor; each
block has an icon, a template and a preview value, like the content blocks in `home`."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from .formatting import DEFAULT_TIME_ZONE, zone


class SessionKind(blocks.ChoiceBlock):
    choices = [
        ("talk", _("Talk")),
        ("keynote", _("Keynote")),
        ("panel", _("Panel")),
        ("workshop", _("Workshop")),
        ("working_group", _("Working group")),
        ("plenary", _("Plenary")),
        ("break", _("Break")),
        ("social", _("Social")),
    ]


KIND_LABELS = dict(SessionKind.choices)


SESSION_PREVIEW = {
    "start": dt.time(10, 0),
    "end": dt.time(11, 30),
    "title": "Working group: documenting human-rights violations",
    "kind": "working_group",
    "room": "Hall B",
}


class SessionBlock(blocks.StructBlock):
    start = blocks.TimeBlock(label=_("Starts"), help_text=_("In the event's time zone."))
    end = blocks.TimeBlock(label=_("Ends"), required=False)
    title = blocks.CharBlock(max_length=200, label=_("Title"))
    kind = SessionKind(default="talk", label=_("Kind"))
    description = blocks.TextBlock(max_length=1500, required=False, label=_("Description"))
    room = blocks.CharBlock(max_length=120, required=False, label=_("Room"))
    speakers = blocks.ListBlock(
        SnippetChooserBlock("events.Speaker"),
        default=[],
        min_num=0,
        label=_("Speakers"),
        collapsed=True,
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        page = parent_context.get("page")
        zone_name = getattr(page, "time_zone", None) or DEFAULT_TIME_ZONE
        day = {"date": dt.date.today(), "title": "", "sessions": [value]}
        context["zone_name"] = zone_name
        context["session"] = day_view(day, zone_name, parent_context.get("speakers_in_language"))[
            "sessions"
        ][0]
        return context

    def clean(self, value):
        value = super().clean(value)
        if value.get("end") and value["end"] <= value["start"]:
            raise blocks.StructBlockValidationError(
                block_errors={"end": blocks.BlockValidationError(_("End after it starts."))}
            )
        return value

    class Meta:
        icon = "time"
        template = "events/blocks/session.html"
        label = _("Session")
        preview_value = SESSION_PREVIEW


class DayBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Date"))
    title = blocks.CharBlock(
        max_length=200,
        required=False,
        label=_("Title"),
        help_text=_("Optional, e.g. 'Opening day'."),
    )
    sessions = blocks.ListBlock(SessionBlock(), label=_("Sessions"))

    def get_context(self, value, parent_context=None):
        """The day's sessions with their start and end as aware datetimes in the event's
        zone, and their speakers in the visitor's language when the page has looked them up
        (the `speakers_in_language` map); a preview falls back to the chosen speakers."""
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        page = parent_context.get("page")
        zone_name = getattr(page, "time_zone", None) or DEFAULT_TIME_ZONE
        localised = parent_context.get("speakers_in_language") or {}
        context["zone_name"] = zone_name
        context["day"] = day_view(value, zone_name, localised)
        return context

    class Meta:
        icon = "date"
        template = "events/blocks/day.html"
        label = _("Day")
        preview_value = {
            "date": dt.date(2020, 12, 18),
            "title": "Opening day",
            "sessions": [SESSION_PREVIEW],
        }


class ProgrammeBlock(blocks.StreamBlock):
    day = DayBlock()


def day_view(value, zone_name, localised=None):
    """A day's data ready for a template: aware datetimes in the event's zone and speakers
    swapped for their version in the visitor's language."""
    localised = localised or {}
    tz = zone(zone_name)
    sessions = []
    for session in value["sessions"]:
        start = dt.datetime.combine(value["date"], session["start"], tzinfo=tz)
        end = (
            dt.datetime.combine(value["date"], session["end"], tzinfo=tz)
            if session.get("end")
            else None
        )
        # Speakers are model instances (block values) or primary keys (raw data).
        speakers = []
        for speaker in session["speakers"]:
            if speaker is None:
                continue
            pk = getattr(speaker, "pk", speaker)
            found = localised.get(pk, speaker if hasattr(speaker, "pk") else None)
            if found is not None:
                speakers.append(found)
        sessions.append(
            {
                "start": start,
                "end": end,
                "title": session["title"],
                "kind": session["kind"],
                "kind_label": KIND_LABELS.get(session["kind"], ""),
                "description": session["description"],
                "room": session["room"],
                "speakers": speakers,
            }
        )
    first = (
        sessions[0]["start"]
        if sessions
        else dt.datetime.combine(value["date"], dt.time(12), tzinfo=tz)
    )
    return {"date": value["date"], "title": value["title"], "first": first, "sessions": sessions}
