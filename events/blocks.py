"""The programme: days made of sessions. Editors enter it in the event page's editor; each
block has an icon, a template and a preview value, like the content blocks in `home`."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from home.blocks import VideoEmbedBlock
from home.embeds import video_for

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
    # What a session looks like after the event (a preview shows it, see _materials_shown).
    "recording": "https://vimeo.com/76979871",
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
    # After the event: shown on the programme once the event has ended (`is_past`).
    slides = DocumentChooserBlock(
        required=False,
        label=_("Slides"),
        help_text=_("Shown on the programme once the event is over."),
    )
    recording = VideoEmbedBlock(
        required=False,
        label=_("Recording"),
        help_text=_(
            "The address of the recording on YouTube, Vimeo or PeerTube; shown on the "
            "programme once the event is over."
        ),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        page = parent_context.get("page")
        zone_name = getattr(page, "time_zone", None) or DEFAULT_TIME_ZONE
        day = {"date": dt.date.today(), "title": "", "sessions": [value]}
        context["zone_name"] = zone_name
        context["materials"] = _materials_shown(page)
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
        context["materials"] = _materials_shown(page)
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


def _materials_shown(page):
    """Slides and recordings are shown once the event is over; a preview (no event page)
    shows them."""
    is_past = getattr(page, "is_past", None)
    return True if is_past is None else bool(is_past)


def _documents(value):
    """The slides of a day's sessions by primary key: block values are documents already,
    raw data holds primary keys (one query for those)."""
    chosen = [session.get("slides") for session in value["sessions"]]
    pks = [pk for pk in chosen if pk is not None and not hasattr(pk, "pk")]
    found = get_document_model().objects.in_bulk(pks) if pks else {}
    found.update({doc.pk: doc for doc in chosen if hasattr(doc, "pk")})
    return found


def _recording(value):
    url = getattr(value, "url", value)
    return video_for(url) if url else None


def day_view(value, zone_name, localised=None):
    """A day's data ready for a template: aware datetimes in the event's zone, speakers
    swapped for their version in the visitor's language, and each session's slides (a
    document) and recording (a `home.embeds.Video`), which the template shows only once
    the event is over."""
    localised = localised or {}
    tz = zone(zone_name)
    documents = _documents(value)
    sessions = []
    for session in value["sessions"]:
        start = dt.datetime.combine(value["date"], session["start"], tzinfo=tz)
        end = (
            dt.datetime.combine(value["date"], session["end"], tzinfo=tz)
            if session.get("end")
            else None
        )
        # Speakers are model instances (block values) or primary keys (raw data). A block
        # preview's value holds only the fields its `preview_value` gives.
        speakers = []
        for speaker in session.get("speakers") or ():
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
                "kind": session.get("kind") or "talk",
                "kind_label": KIND_LABELS.get(session.get("kind") or "talk", ""),
                "description": session.get("description") or "",
                "room": session.get("room") or "",
                "speakers": speakers,
                "slides": documents.get(
                    getattr(session.get("slides"), "pk", session.get("slides"))
                ),
                "recording": _recording(session.get("recording")),
            }
        )
    first = (
        sessions[0]["start"]
        if sessions
        else dt.datetime.combine(value["date"], dt.time(12), tzinfo=tz)
    )
    return {
        "date": value["date"],
        "title": value.get("title") or "",
        "first": first,
        "sessions": sessions,
    }
