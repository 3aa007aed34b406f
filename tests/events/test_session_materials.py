"""After the event (issue #12): a programme session's slides (a document) and recording (a
click-to-load video) appear once the event is over, not before, also when the programme
comes from its cached fragment; the recording widens `frame-src` only then."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.test import Client
from django.test.signals import template_rendered
from django.utils import timezone, translation
from wagtail.documents import get_document_model
from wagtail_localize.segments import OverridableSegmentValue, StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from events.blocks import DayBlock, SessionBlock, day_view
from events.models import EventPage
from home.models import HomePage
from tests.factories.events import EventPageFactory, day, session
from tests.test_security_headers import csp_directives, inline_code

VIMEO = "https://vimeo.com/76979871"
TITLE = "Plenary: drafting the action plan"
SIZE = 2 * 1024 * 1024


def programme(slides_pk):
    talk = session(TITLE, "14:30", "17:00", kind="plenary")
    talk["value"].update({"slides": slides_pk, "recording": VIMEO})
    plain = session("Tea", "17:00", "17:30", kind="break")
    return [day("2020-12-18", [talk, plain])]


def make_events(home_pk):
    home = HomePage.objects.get(pk=home_pk)
    slides = get_document_model().objects.create(
        title="Action plan slides",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="action-plan.pdf"),
        file_size=SIZE,  # as an upload through the admin records it
    )
    past = EventPageFactory(parent=home, slug="past", programme=programme(slides.pk))
    soon = timezone.now() + dt.timedelta(days=30)
    upcoming = EventPageFactory(
        parent=home,
        slug="upcoming",
        start=soon,
        end=soon + dt.timedelta(days=2),
        programme=programme(slides.pk),
    )
    return {"slides": slides.pk, "past": past.pk, "upcoming": upcoming.pk}


@pytest.fixture(scope="module")
def pks(module_data, site_data):
    return module_data(lambda: make_events(site_data["homes"]["en"]))


@pytest.fixture
def events(pks, home):
    return pks if pks is not None else make_events(home.pk)


def test_after_the_event_the_session_shows_its_slides_and_recording(events, client):
    response = client.get("/en/past/")
    html = response.content.decode()
    slides = get_document_model().objects.get(pk=events["slides"])
    assert f'<a href="{slides.url}">Slides (PDF, 2.0\xa0MB)</a>' in html
    assert f"Recording: {TITLE}" in html
    assert 'data-embed-src="https://player.vimeo.com/video/76979871?dnt=1"' in html
    assert "Load the video from Vimeo — this shares data with Vimeo" in html
    assert "<iframe" not in html
    assert inline_code(html) == []
    assert csp_directives(response)["frame-src"] == ["'self'", "https://player.vimeo.com"]
    # Only the session that has them.
    assert html.count('class="session__materials"') == 1


def test_before_the_event_ends_neither_is_shown_nor_framed(events, client):
    response = client.get("/en/upcoming/")
    html = response.content.decode()
    assert TITLE in html
    assert "session__materials" not in html
    assert "action-plan" not in html
    assert "data-embed-src" not in html
    assert csp_directives(response)["frame-src"] == ["'self'"]


def test_the_cached_programme_does_not_outlive_the_event_ending(events, settings, monkeypatch):
    """The programme is a `{% wagtailpagecache %}` fragment: once the event is over, the
    fragment cached before must not be served (its key includes whether it is over)."""
    settings.PAGE_CACHE_SECONDS = 0  # the fragment alone, not the whole page
    visitor = Client()
    sessions_rendered = []

    def count_sessions(sender, template, **kwargs):
        if template.name == "events/includes/session.html":
            sessions_rendered.append(template.name)

    template_rendered.connect(count_sessions)
    try:
        assert "session__materials" not in visitor.get("/en/upcoming/").content.decode()
        assert len(sessions_rendered) == 2
        # The fragment really is cached: the sessions are not rendered again ...
        sessions_rendered.clear()
        assert "session__materials" not in visitor.get("/en/upcoming/").content.decode()
        assert sessions_rendered == []

        # ... until the clock passes the event's end.
        end = EventPage.objects.get(pk=events["upcoming"]).end
        monkeypatch.setattr(timezone, "now", lambda: end + dt.timedelta(hours=1))
        response = visitor.get("/en/upcoming/")
    finally:
        template_rendered.disconnect(count_sessions)
    assert len(sessions_rendered) == 2
    html = response.content.decode()
    assert 'class="session__materials"' in html
    assert f"Recording: {TITLE}" in html
    assert csp_directives(response)["frame-src"] == ["'self'", "https://player.vimeo.com"]


def test_the_whole_page_cache_keeps_the_recordings_policy(events, settings):
    settings.PAGE_CACHE_SECONDS = 300
    visitor = Client()
    first, second = visitor.get("/en/past/"), visitor.get("/en/past/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert csp_directives(second)["frame-src"] == ["'self'", "https://player.vimeo.com"]
    upcoming = [visitor.get("/en/upcoming/") for _ in range(2)]
    assert upcoming[1]["X-Page-Cache"] == "hit"
    assert [csp_directives(r)["frame-src"] for r in upcoming] == [["'self'"], ["'self'"]]


@pytest.mark.parametrize(
    ("language", "slides", "recording"),
    [
        ("tr", "Slaytlar (PDF, {size})", f"Kayıt: {TITLE}"),
        ("ur", "سلائیڈز (PDF، {size})", f"ریکارڈنگ: {TITLE}"),
    ],
)
def test_the_materials_are_labelled_in_the_visitors_language(events, language, slides, recording):
    page = EventPage.objects.get(pk=events["past"])
    with translation.override(language):
        (day_data,) = page.programme_days({})
        html = render_to_string(
            "events/blocks/day.html",
            {"day": day_data, "zone_name": page.time_zone, "materials": True},
        )
        size = filesizeformat(SIZE)  # Django's own words for it ("2,0 MB" in Turkish)
    assert slides.format(size=size) in html
    assert recording in html


def test_session_block_preview_and_raw_data_give_the_same_materials(events):
    """The editor's preview (block values: a document, an `EmbedValue`) and the page
    (raw data: a primary key, a URL) describe a session's materials alike."""
    page = EventPage.objects.get(pk=events["past"])
    (from_raw,) = page.programme_days({})
    block = page.programme[0].value
    from_blocks = day_view(block, page.time_zone)
    for days in (from_raw, from_blocks):
        talk = days["sessions"][0]
        assert talk["slides"].pk == events["slides"]
        assert talk["recording"].embed_url == "https://player.vimeo.com/video/76979871?dnt=1"
        assert days["sessions"][1]["slides"] is None
        assert days["sessions"][1]["recording"] is None
    child = SessionBlock()
    assert child.child_blocks["slides"].meta.icon
    html = child.render(block["sessions"][0], context={"page": page})
    assert "data-embed-src" in html


def test_translators_get_the_session_title_not_the_recording_address(
    events, home_in_all_languages, translated
):
    """wagtail-localize: the recording's address is kept from the source page (an embed
    yields no text to translate), the slides may be overridden per language (a translated
    deck), like any non-translatable chosen object; a session without a recording does
    not break the extraction (wagtail/wagtail-localize#875, see home.blocks)."""
    page = EventPage.objects.get(pk=events["past"])
    segments = extract_segments(page)
    texts = [s.string.data for s in segments if isinstance(s, StringSegmentValue)]
    assert any(TITLE in str(text) for text in texts)
    assert not any("vimeo" in str(text) for text in texts)
    overridable = [s.data for s in segments if isinstance(s, OverridableSegmentValue)]
    assert events["slides"] in overridable

    turkish = translated(page, "tr", {TITLE: "Genel oturum: eylem planının taslağı"})
    talk = turkish.programme.raw_data[0]["value"]["sessions"][0]["value"]
    assert talk["title"] == "Genel oturum: eylem planının taslağı"
    assert (talk["recording"], talk["slides"]) == (VIMEO, events["slides"])
    html = Client().get(turkish.url).content.decode()
    assert "Kayıt: Genel oturum: eylem planının taslağı" in html
    assert "Videoyu Vimeo üzerinden yükle" in html


@pytest.mark.parametrize("block", [SessionBlock(), DayBlock()], ids=["session", "day"])
def test_the_programme_blocks_preview_a_session_after_the_event(block):
    """DESIGN.md: every block has an icon, a template and a preview value, and the preview
    (which holds only the fields it gives) renders, recording placeholder included."""
    block.set_name("preview")
    assert block.meta.icon and block.meta.template and block.meta.preview_value
    html = block.render(block.get_preview_value())
    assert "Working group: documenting human-rights violations" in html
    assert 'data-embed-src="https://player.vimeo.com/video/76979871?dnt=1"' in html
    assert "<iframe" not in html
