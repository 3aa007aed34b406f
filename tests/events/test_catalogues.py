"""The events app's interface strings (templates, models, blocks, formatting, admin labels)
are translated in its Turkish and Urdu message catalogues, and visitors see them."""

import ast
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.utils import timezone, translation
from django.utils.translation.template import templatize

from events.models import EventStatus
from tests.factories.events import EventPageFactory, SpeakerFactory, session
from tests.factories.events import day as programme_day
from tests.helpers import translate_by_copy

EVENTS = Path(__file__).resolve().parents[2] / "events"
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}
ISTANBUL = ZoneInfo("Europe/Istanbul")


def source_msgids():
    """Every msgid the events app uses: `{% translate %}` and `{% blocktranslate %}` in
    templates (through Django's own `templatize`, as makemessages does) and gettext calls
    in Python, plurals included."""
    found = set()
    for path in EVENTS.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in GETTEXT_NAMES:
                strings = [a.value for a in node.args if isinstance(a, ast.Constant)]
                found.add(tuple(strings[:2]) if name.startswith("n") else strings[0])
    for path in EVENTS.rglob("*.html"):
        code = templatize(path.read_text(), origin=str(path))
        for name, args in re.findall(r"\b(n?gettext)\((.*?)\)\s", code, re.S):
            strings = ast.literal_eval(f"({args},)")
            found.add(tuple(strings[:2]) if name == "ngettext" else strings[0])
    return found


@pytest.mark.parametrize("language", ["tr", "ur"])
def test_catalogue_translates_every_msgid_of_the_events_app(language):
    po = polib.pofile(str(EVENTS / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert po.metadata["Language"] == language
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    translated = {}
    for entry in po:
        if entry.msgid_plural:
            if all(entry.msgstr_plural.values()):
                translated[(entry.msgid, entry.msgid_plural)] = True
        elif entry.msgstr:
            translated[entry.msgid] = True
    wanted = source_msgids()
    assert len(wanted) > 100  # the extraction found the app's strings
    assert "Add to Google Calendar" in wanted and "event index" in wanted
    missing = sorted(str(m) for m in wanted - set(translated))
    assert not missing, f"untranslated in {language}: {missing}"
    # Placeholders survive translation.
    for entry in po:
        assert re.findall(r"%\(\w+\)s", entry.msgid) == re.findall(r"%\(\w+\)s", entry.msgstr)


@pytest.fixture
def events_in_three_languages(home_in_all_languages, event_index):
    speaker = SpeakerFactory(name="Speaker A. Placeholder")
    now = timezone.now()
    start = (now + dt.timedelta(days=30)).astimezone(ISTANBUL).replace(hour=10, minute=0)
    upcoming = EventPageFactory(
        parent=event_index,
        title="Upcoming conference",
        start=start,
        end=start + dt.timedelta(days=2),
        programme=[
            programme_day(
                start.date().isoformat(),
                [session("Opening plenary", "10:00", "11:30", kind="plenary", speakers=[speaker])],
            )
        ],
    )
    past = EventPageFactory(parent=event_index, title="Past conference", status="postponed")
    pages = {"en": (event_index, upcoming, past)}
    for code in ("tr", "ur"):
        translate_by_copy(event_index, code)
        translate_by_copy(speaker, code)
        pages[code] = (
            event_index.get_translations().get(locale__language_code=code),
            translate_by_copy(upcoming, code),
            translate_by_copy(past, code),
        )
    return pages


INTERFACE = {
    "en": {
        "programme": "Programme",
        "google": "Add to Google Calendar",
        "calendar": "Add to your calendar",
        "kind": "Plenary",
        "upcoming": "Upcoming events",
        "past": "Past events",
        "postponed": "Postponed",
    },
    "tr": {
        "programme": "Program",
        "google": "Google Takvim'e ekle",
        "calendar": "Takviminize ekleyin",
        "kind": "Genel oturum",
        "upcoming": "Yaklaşan etkinlikler",
        "past": "Geçmiş etkinlikler",
        "postponed": "Ertelendi",
    },
    "ur": {
        "programme": "پروگرام",
        "google": "گوگل کیلنڈر میں شامل کریں",
        "calendar": "اپنے کیلنڈر میں شامل کریں",
        "kind": "عمومی اجلاس",
        "upcoming": "آئندہ تقریبات",
        "past": "گزشتہ تقریبات",
        "postponed": "ملتوی",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "tr", "ur"])
def test_event_pages_show_interface_strings_in_the_visitors_language(
    client, events_in_three_languages, language
):
    index, upcoming, past = events_in_three_languages[language]
    words = INTERFACE[language]

    html = client.get(upcoming.url).content.decode()
    assert f'<h2 id="programme-heading">{words["programme"]}</h2>' in html
    assert f'<h2 id="calendar-heading">{words["calendar"]}</h2>' in html
    assert f'class="event-calendar__google">{words["google"]}</a>' in html
    assert f'<span class="session__kind">{words["kind"]}</span>' in html
    # The zone is named in the visitor's language.
    city = {"en": "Istanbul", "tr": "İstanbul", "ur": "استنبول"}[language]
    comma = "،" if language == "ur" else ","  # Urdu writes its own comma
    assert f'<span class="event-zone">({city}{comma} <span dir="ltr">UTC+3</span>)</span>' in html

    listing = client.get(index.url).content.decode()
    assert f'<h2 id="group-upcoming">{words["upcoming"]}</h2>' in listing
    assert f'<h2 id="group-past">{words["past"]}</h2>' in listing
    assert f'<strong class="event-status__label">{words["postponed"]}</strong>' in listing


@pytest.mark.parametrize(
    ("language", "label"),
    [("tr", "Yeni tarihe alındı"), ("ur", "نئی تاریخیں مقرر")],
)
def test_model_choices_and_admin_labels_are_translated(language, label):
    from events.models import EventPage

    with translation.override(language):
        assert str(EventStatus.RESCHEDULED.label) == label
        assert str(EventPage._meta.get_field("time_zone").verbose_name) != "time zone"
        assert str(EventPage._meta.verbose_name_plural) != "events"


def test_a_msgid_means_the_same_in_every_apps_catalogue():
    """Gettext looks a string up in one merged catalogue per language: where two apps'
    catalogues translate the same msgid differently, one of them silently wins (a form
    said "Tüm yerler doldu" where its own catalogue says "Kontenjan doldu")."""
    root = EVENTS.parent
    translations = {}
    for path in sorted(root.glob("*/locale/*/LC_MESSAGES/django.po")):
        language = path.parts[-3]
        for entry in polib.pofile(str(path)):
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                key = (language, entry.msgctxt, entry.msgid)
                translations.setdefault(key, {})[entry.msgstr] = path.parts[-5]
    conflicts = {key: found for key, found in translations.items() if len(found) > 1}
    assert conflicts == {}
