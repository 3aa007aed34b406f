"""One truth in every language: when the English event's dates, zone, status or other
synchronised facts are published, the Turkish and Urdu pages (translated with
wagtail-localize) state them at once, whatever the editor pressed, without publishing
untranslated English and without losing a translator's override or draft."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.test.utils.form_data import rich_text, streamfield
from wagtail_localize.models import (
    OverridableSegment,
    StringSegment,
    Translation,
    TranslationSource,
)

from events.models import EventPage
from home.models import HomePage
from tests.factories.events import EventIndexPageFactory, EventPageFactory
from tests.helpers import (
    edit_form_data,
    edit_url,
    json_ld,
    parse_ics,
    translate_with_localize,
    vevents,
)

pytestmark = pytest.mark.django_db

KARACHI = ZoneInfo("Asia/Karachi")
TITLES = {
    "tr": {"Third Conference": "Üçüncü Konferans", "Fourth Conference": "Dördüncü Konferans"},
    "ur": {"Third Conference": "تیسری کانفرنس", "Fourth Conference": "چوتھی کانفرنس"},
}
NEW_PARAGRAPH = "Travel grants will be announced in spring."


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")


@pytest.fixture
def admin_client(admin):
    client = Client()
    client.force_login(admin)
    return client


def make_events(home):
    """An index with two upcoming events (the third conference first), in three
    languages."""
    index = EventIndexPageFactory(parent=home)
    now = timezone.now().replace(second=0, microsecond=0)
    third = EventPageFactory(
        parent=index,
        title="Third Conference",
        slug="third-conference",
        start=now + dt.timedelta(days=60),
        end=now + dt.timedelta(days=62),
        map_url="https://maps.example.org/congress-centre",
    )
    fourth = EventPageFactory(
        parent=index,
        title="Fourth Conference",
        slug="fourth-conference",
        start=now + dt.timedelta(days=90),
        end=now + dt.timedelta(days=92),
    )
    third.save_revision().publish()  # a live revision, as pages made in the admin have
    for language in ("tr", "ur"):
        translate_with_localize(index, language)
        for page in (third, fourth):
            translate_with_localize(page, language, TITLES[language])
    return {"en": third, "fourth": fourth}


@pytest.fixture(scope="module")
def event_pks(module_data, site_data):
    """The events of `make_events`, made once for the module (tests/fixtures.py)."""

    def build():
        events = make_events(HomePage.objects.get(pk=site_data["homes"]["en"]))
        return {key: page.pk for key, page in events.items()}

    return module_data(build)


@pytest.fixture
def events(event_pks, home_in_all_languages, translated):
    if event_pks is None:
        return make_events(home_in_all_languages["en"])
    return {key: EventPage.objects.get(pk=pk) for key, pk in event_pks.items()}


def in_language(page, language):
    return EventPage.objects.get(
        translation_key=page.translation_key, locale__language_code=language
    )


def translation_of(page, language):
    return Translation.objects.get(
        source__object_id=page.translation_key, target_locale__language_code=language
    )


def wall_clock(moment):
    return moment.strftime("%Y-%m-%d %H:%M")


def test_english_event_postponed_in_the_admin_is_postponed_in_every_language_at_once(
    admin, admin_client, events, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300  # the translations' cached copies must go too
    english = events["en"]
    visitor = Client()
    assert "EventScheduled" in visitor.get("/tr/events/third-conference/").content.decode()

    # The Turkish translator points the map at a Turkish map service (an override of an
    # overridable synchronised field) and publishes, in wagtail-localize's editor.
    turkish_translation = translation_of(english, "tr")
    map_segment = OverridableSegment.objects.get(
        source=turkish_translation.source, context__path="map_url"
    )
    response = admin_client.put(
        f"/admin/localize/translate/{turkish_translation.pk}/overrides/{map_segment.pk}/edit/",
        "value=https://harita.example.org/kongre-merkezi",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 201, response.content
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(edit_url(in_language(english, "tr")), {"action": "publish"})
    assert in_language(english, "tr").map_url == "https://harita.example.org/kongre-merkezi"

    # The editor postpones the English event to after the fourth conference, in another
    # time zone, with a new map and a new paragraph nobody has translated yet; publishes.
    new_start = dt.datetime.combine(
        timezone.now().date() + dt.timedelta(days=120), dt.time(10, 0), tzinfo=KARACHI
    )
    new_end = new_start + dt.timedelta(days=2, hours=6)
    data = edit_form_data(
        english,
        admin,
        {
            "status": "postponed",
            "start": wall_clock(new_start),
            "end": wall_clock(new_end),
            "time_zone": "Asia/Karachi",
            "map_url": "https://maps.example.org/new-venue",
            "body": streamfield([("paragraph", rich_text(f"<p>{NEW_PARAGRAPH}</p>"))]),
        },
    )
    response = admin_client.post(edit_url(english), data)
    assert response.status_code == 302, response.context["form"].errors
    english = EventPage.objects.get(pk=english.pk)
    assert (english.start, english.status, english.sequence) == (new_start, "postponed", 1)

    for language in ("tr", "ur"):
        page = in_language(english, language)
        assert (page.start, page.end, page.time_zone, page.status, page.sequence, page.uid) == (
            new_start,
            new_end,
            "Asia/Karachi",
            "postponed",
            english.sequence,
            english.uid,
        ), language

        html = visitor.get(f"/{language}/events/third-conference/").content.decode()
        data = json_ld(html)
        assert data["name"] == TITLES[language]["Third Conference"]
        assert data["startDate"] == new_start.isoformat()
        assert data["eventStatus"] == "https://schema.org/EventPostponed"
        # Untranslated English is not published under /tr/ or /ur/.
        assert NEW_PARAGRAPH not in html

        (vevent,) = vevents(
            parse_ics(visitor.get(f"/{language}/events/third-conference/event.ics"))
        )
        assert vevent.decoded("dtstart") == new_start
        assert str(vevent["dtstart"].params["TZID"]) == "Asia/Karachi"
        assert (vevent["status"], vevent["sequence"]) == ("TENTATIVE", english.sequence)

        # The index (a query on the stored dates) now lists the fourth conference first.
        listing = visitor.get(f"/{language}/events/").content.decode()
        titles = TITLES[language]
        assert listing.index(titles["Fourth Conference"]) < listing.index(
            titles["Third Conference"]
        )

    # The translator's override survives; the Urdu page follows the English map.
    assert in_language(english, "tr").map_url == "https://harita.example.org/kongre-merkezi"
    assert in_language(english, "ur").map_url == "https://maps.example.org/new-venue"
    assert NEW_PARAGRAPH in visitor.get("/en/events/third-conference/").content.decode()

    # The translation source is current: the translator sees the new paragraph, and
    # publishing the translation later builds from the new facts, not the old ones.
    source = TranslationSource.objects.get(object_id=english.translation_key)
    assert source.as_instance().start == new_start
    paragraph = StringSegment.objects.get(source=source, string__data=NEW_PARAGRAPH)
    response = admin_client.put(
        f"/admin/localize/translate/{turkish_translation.pk}/strings/{paragraph.pk}/edit/",
        "value=Seyahat bursları baharda duyurulacak.",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 201), response.content
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(edit_url(in_language(english, "tr")), {"action": "publish"})
    turkish = in_language(english, "tr")
    assert (turkish.start, turkish.status, turkish.sequence) == (new_start, "postponed", 1)
    assert turkish.map_url == "https://harita.example.org/kongre-merkezi"
    html = visitor.get("/tr/events/third-conference/").content.decode()
    assert "Seyahat bursları baharda duyurulacak." in html
    assert json_ld(html)["startDate"] == new_start.isoformat()


def test_a_scheduled_cancellation_reaches_every_language_and_a_translators_draft(
    admin, admin_client, events
):
    english = events["en"]
    # The Turkish translator has an unpublished draft (made before the change).
    turkish = in_language(english, "tr")
    turkish.title = "Üçüncü Konferans (taslak)"
    draft = turkish.save_revision(user=admin)

    # The editor cancels the English event and moves it a day, to go live in an hour.
    new_start = english.start + dt.timedelta(days=1)
    go_live = timezone.now() + dt.timedelta(hours=1)
    data = edit_form_data(
        english,
        admin,
        {
            "status": "cancelled",
            "start": wall_clock(new_start.astimezone(ZoneInfo(english.time_zone))),
            "end": wall_clock(
                (english.end + dt.timedelta(days=1)).astimezone(ZoneInfo(english.time_zone))
            ),
            "go_live_at": wall_clock(timezone.localtime(go_live)),
        },
    )
    response = admin_client.post(edit_url(english), data)
    assert response.status_code == 302, response.context["form"].errors
    # Nothing has changed for visitors yet, in any language.
    for language in ("en", "tr", "ur"):
        assert in_language(english, language).status == "scheduled", language

    # An hour later the scheduler publishes it.
    later = timezone.now() + dt.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    english = EventPage.objects.get(pk=english.pk)
    assert (english.status, english.start, english.sequence) == ("cancelled", new_start, 1)
    for language in ("tr", "ur"):
        page = in_language(english, language)
        assert (page.status, page.start, page.sequence) == ("cancelled", new_start, 1), language
        html = Client().get(f"/{language}/events/third-conference/").content.decode()
        assert json_ld(html)["eventStatus"] == "https://schema.org/EventCancelled"

    # The translator's draft is still their draft …
    turkish = in_language(english, "tr")
    assert turkish.has_unpublished_changes
    assert turkish.latest_revision_id == draft.pk
    assert turkish.title == "Üçüncü Konferans"
    # … and publishing it later does not bring the old facts back.
    draft.publish(user=admin)
    turkish = in_language(english, "tr")
    assert turkish.title == "Üçüncü Konferans (taslak)"
    assert (turkish.status, turkish.start, turkish.sequence) == ("cancelled", new_start, 1)
    calendar = parse_ics(Client().get("/tr/events/third-conference/event.ics"))
    (vevent,) = vevents(calendar)
    assert (vevent["status"], vevent["sequence"]) == ("CANCELLED", 1)
    assert vevent.decoded("dtstart") == new_start
