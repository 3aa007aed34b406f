"""Right-to-left editing (home/admin_editing.py): every editor of Urdu content (pages,
snippets, wagtail-localize's translation editor) is told the content's language and that
it is written right to left, and loads the script that sets `lang` and `dir` on the
fields; Turkish and English content stays left to right."""

import re

import pytest
from wagtail.models import Locale

from events.models import Speaker
from home.admin_editing import content_language, direction
from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script src="[^"]*content-direction[^"]*\.js" data-rtl-languages="ur">')


def marker(html):
    match = re.search(r'data-content-language="(\w+)" data-content-dir="(\w+)"', html)
    return match.groups() if match else None


def test_directions_come_from_djangos_language_info():
    assert direction("ur") == "rtl"
    assert direction("ar") == "rtl"
    assert direction("tr") == "ltr"
    assert direction("en") == "ltr"
    assert direction("xx-unknown") == "ltr"


@pytest.mark.parametrize(("language", "expected"), [("ur", "rtl"), ("tr", "ltr"), ("en", "ltr")])
def test_a_snippets_editor_knows_its_language_and_direction(
    admin_client, locales, language, expected
):
    speaker = Speaker.objects.create(name="Someone", locale=locales[language])
    html = admin_client.get(f"/admin/snippets/events/speaker/edit/{speaker.pk}/").content.decode()
    assert marker(html) == (language, expected)
    assert SCRIPT.search(html)
    assert "content-direction.css" in html


def test_a_new_urdu_snippet_is_written_right_to_left(admin_client, locales):
    html = admin_client.get("/admin/snippets/events/speaker/add/?locale=ur").content.decode()
    assert marker(html) == ("ur", "rtl")


def test_an_urdu_pages_editor_is_right_to_left(admin_client, home_in_all_languages):
    page = StandardPageFactory(parent=home_in_all_languages["ur"], title="ہمارے بارے میں")
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert marker(html) == ("ur", "rtl")
    assert SCRIPT.search(html)
    english = StandardPageFactory(parent=home_in_all_languages["en"])
    assert marker(admin_client.get(f"/admin/pages/{english.pk}/edit/").content.decode()) == (
        "en",
        "ltr",
    )


def test_the_translation_editor_loads_the_script_with_the_rtl_languages(
    admin_client, home_in_all_languages
):
    page = StandardPageFactory(parent=home_in_all_languages["en"], title="About")
    urdu = Locale.objects.get(language_code="ur")
    admin_client.post(f"/admin/localize/submit/page/{page.pk}/", {"locales": [urdu.pk]})
    translation = page.get_translation(urdu)
    html = admin_client.get(f"/admin/pages/{translation.pk}/edit/").content.decode()
    assert "js-translation-editor" in html
    assert SCRIPT.search(html)
    # "Keep as in source" for names and addresses (tests/browser/test_multilingual_editing).
    assert re.search(
        r'<script src="[^"]*keep-source[^"]*\.js" data-keep-label="Keep as in source">', html
    )
    assert content_language(translation) == "ur"
