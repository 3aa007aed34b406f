"""Machine-translated first drafts (home/machine_translation.py, home/translation_drafts.py),
against a real local HTTP server that speaks LibreTranslate's and DeepL's APIs
(tests/fake_translation_server.py): each language goes to its engine, inline tags survive,
a new translation starts as a machine-translated draft, and an engine that fails, hangs or
is not there leaves the translation in place and tells the editor, never a server error.
"""

import pytest
from django.contrib.messages import get_messages
from wagtail.models import Locale
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringTranslation, Translation
from wagtail_localize.strings import StringValue

from config.machine_translation import MachineTranslationConfigError, machine_translator_setting
from home.models import StandardPage
from tests.factories.home import StandardPageFactory
from tests.fake_translation_server import FakeTranslationServer, closed_port, fake_translation

pytestmark = pytest.mark.django_db

TITLE = "About the conference"
INTRO = "Two organisations run it jointly, as equal partners."


def environment(url, **extra):
    return {
        "MACHINE_TRANSLATION_TR": "deepl",
        "MACHINE_TRANSLATION_UR": "libretranslate",
        "DEEPL_AUTH_KEY": "test-key:fx",
        "DEEPL_API_URL": f"{url}/v2/translate",
        "LIBRETRANSLATE_URL": url,
        "LIBRETRANSLATE_API_KEY": "libre-key",
        "MACHINE_TRANSLATION_TIMEOUT": "1",
        **extra,
    }


@pytest.fixture
def server():
    with FakeTranslationServer() as running:
        yield running


@pytest.fixture
def configured(settings, server):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_setting(
        environment(server.url), ["tr", "ur"]
    )
    return server


@pytest.fixture
def about(home_in_all_languages):
    return StandardPageFactory(parent=home_in_all_languages["en"], title=TITLE, intro=INTRO)


def submit(client, page, language):
    locale = Locale.objects.get(language_code=language)
    response = client.post(f"/admin/localize/submit/page/{page.pk}/", {"locales": [locale.pk]})
    assert response.status_code == 302
    return [str(message) for message in get_messages(response.wsgi_request)]


def translation_of(page, language):
    return Translation.objects.get(
        source__object_id=page.translation_key, target_locale__language_code=language
    )


def test_machine_translation_is_off_unless_a_language_is_given_an_engine(settings):
    assert machine_translator_setting({}, ["tr", "ur"]) is None
    assert not hasattr(settings, "WAGTAILLOCALIZE_MACHINE_TRANSLATOR")
    with pytest.raises(MachineTranslationConfigError, match="LIBRETRANSLATE_URL"):
        machine_translator_setting({"MACHINE_TRANSLATION_UR": "libretranslate"}, ["ur"])
    with pytest.raises(MachineTranslationConfigError, match="one of"):
        machine_translator_setting({"MACHINE_TRANSLATION_UR": "babelfish"}, ["ur"])


def test_each_language_goes_to_its_engine_with_its_key_and_tags_kept(configured, locales):
    translator = get_machine_translator()
    assert translator.display_name == "DeepL / LibreTranslate"
    strings = [StringValue('Read the <a id="a1">privacy notice</a> first.')]

    turkish = translator.translate(locales["en"], locales["tr"], strings)
    urdu = translator.translate(locales["en"], locales["ur"], strings)

    assert (
        turkish[strings[0]].data == '[tr] Read the <a id="a1">[tr] privacy notice</a>[tr]  first.'
    )
    assert urdu[strings[0]].data == fake_translation(strings[0].data, "ur")
    deepl_request, libre_request = configured.requests
    assert deepl_request["path"] == "/v2/translate"
    assert deepl_request["headers"]["Authorization"] == "DeepL-Auth-Key test-key:fx"
    assert deepl_request["data"]["target_lang"] == ["TR"]
    assert deepl_request["data"]["tag_handling"] == ["xml"]
    assert deepl_request["data"]["text"] == [strings[0].data]
    assert libre_request["path"] == "/translate"
    assert libre_request["data"] == {
        "q": [strings[0].data],
        "source": "en",
        "target": "ur",
        "format": "html",
        "api_key": "libre-key",
    }


def test_deepl_gets_urdu_as_text_only_and_the_tags_are_put_back(settings, server, locales):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_setting(
        environment(server.url, MACHINE_TRANSLATION_UR="deepl"), ["tr", "ur"]
    )
    strings = [StringValue('Read the <a id="a1">privacy notice</a> first.'), StringValue("Hi")]
    result = get_machine_translator().translate(locales["en"], locales["ur"], strings)
    (request,) = server.requests
    assert "tag_handling" not in request["data"]
    assert request["data"]["text"] == ["Read the", "privacy notice", "first.", "Hi"]
    assert result[strings[0]].data == '[ur] Read the <a id="a1">[ur] privacy notice</a> [ur] first.'
    assert result[strings[1]].data == "[ur] Hi"


def test_a_new_translation_starts_as_a_machine_translated_draft(admin_client, configured, about):
    messages = submit(admin_client, about, "tr")
    assert any("Machine-translated by DeepL / LibreTranslate" in m for m in messages), messages

    turkish = StandardPage.objects.get(
        translation_key=about.translation_key, locale__language_code="tr"
    )
    latest = turkish.get_latest_revision_as_object()
    assert latest.title == f"[tr] {TITLE}"
    assert latest.intro == f"[tr] {INTRO}"
    assert not turkish.live  # a draft for the editor to review
    machine = StringTranslation.objects.filter(
        locale__language_code="tr", translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE
    )
    assert set(machine.values_list("tool_name", flat=True)) == {"DeepL / LibreTranslate"}
    # Only DeepL was asked, for Turkish.
    assert {request["path"] for request in configured.requests} == {"/v2/translate"}


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("error", "refused the request (HTTP 500)"),
        ("forbidden", "refused the request (HTTP 403)"),
        ("hang", "did not answer within 1 seconds"),
        ("closed", "could not be reached"),
    ],
)
def test_a_failing_engine_leaves_the_translation_and_tells_the_editor(
    admin_client, settings, server, about, mode, reason
):
    url = f"http://127.0.0.1:{closed_port()}" if mode == "closed" else server.url
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_setting(
        environment(url), ["tr", "ur"]
    )
    server.mode = mode
    messages = submit(admin_client, about, "ur")
    assert any("Machine translation failed" in m and reason in m for m in messages), messages
    # The translation is there to work on, untranslated, and nothing was invented.
    assert translation_of(about, "ur").enabled
    assert StandardPage.objects.filter(
        translation_key=about.translation_key, locale__language_code="ur"
    ).exists()
    assert not StringTranslation.objects.filter(locale__language_code="ur").exists()


def test_the_editors_button_reports_a_failure_then_translates_when_the_engine_is_back(
    admin_client, configured, about
):
    configured.mode = "error"
    submit(admin_client, about, "ur")
    translation = translation_of(about, "ur")
    button = f"/admin/localize/translate/{translation.pk}/machine_translate/"

    response = admin_client.post(button, {"next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert any("Machine translation failed" in str(m) for m in get_messages(response.wsgi_request))

    configured.mode = "ok"
    response = admin_client.post(button, {"next": "/admin/"})
    assert any("Successfully translated" in str(m) for m in get_messages(response.wsgi_request))
    assert StringTranslation.objects.filter(locale__language_code="ur").count() == 2

    # A segment the translator has since corrected is never overwritten by the machine.
    corrected = StringTranslation.objects.filter(locale__language_code="ur").first()
    corrected.data = "ترجمہ شدہ"
    corrected.save()
    response = admin_client.post(button, {"next": "/admin/"})
    assert any("anything left" in str(m) for m in get_messages(response.wsgi_request))
    corrected.refresh_from_db()
    assert corrected.data == "ترجمہ شدہ"
