"""The translation status report (home/translation_status.py, Reports → Translation
status) on the demo: every translated page and snippet per language, out of date after an
English edit with the changed text listed, missing, draft; a bulk sync that publishes only
translations with every string translated (machine-translated where an engine is set),
and keeps the others as drafts; only for users who may publish."""

import pytest
from wagtail.models import Locale

from config.machine_translation import machine_translator_setting
from events.models import Speaker
from home import translation_status
from home.models import StandardPage
from tests.factories.home import StandardPageFactory
from tests.fake_translation_server import FakeTranslationServer
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

NEW_INTRO = "Who organises the conference, how it works and what it has done."
URL = "/admin/reports/translation-status/"


def about(language="en"):
    return StandardPage.objects.get(slug="about", locale__language_code=language)


def edit_english_about():
    page = about()
    page.intro = NEW_INTRO
    page.save_revision().publish()
    return page


def row_for(instance, language):
    (row,) = [
        r
        for r in translation_status.status_rows(language=language)
        if r.instance.pk == instance.pk and isinstance(r.instance, type(instance))
    ]
    return row


def test_the_demo_is_up_to_date_in_every_language(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(200):
        rows = translation_status.status_rows()
    assert rows and {row.locale.language_code for row in rows} == {"tr", "ur"}
    assert {row.state for row in rows} == {translation_status.UP_TO_DATE}, [
        (str(r.instance), r.locale.language_code, r.state, r.changed)
        for r in rows
        if r.state != translation_status.UP_TO_DATE
    ]


def test_an_english_edit_puts_the_translations_out_of_date_with_the_change_listed(demo):
    page = edit_english_about()
    for language in ("tr", "ur"):
        row = row_for(page, language)
        assert row.state == translation_status.OUT_OF_DATE
        assert row.changed == [NEW_INTRO]
    behind = translation_status.status_rows(state="out_of_date")
    assert [(type(r.instance), r.instance.pk) for r in behind] == [(StandardPage, page.pk)] * 2


def test_a_never_translated_page_is_missing_and_a_draft_is_a_draft(demo):
    english = about()
    new = StandardPageFactory(parent=english.get_parent(), title="Travel grants")
    assert row_for(new, "ur").state == translation_status.MISSING
    speaker = Speaker.objects.create(name="Speaker H. Placeholder", locale=english.locale)
    assert row_for(speaker, "tr").state == translation_status.MISSING
    urdu = about("ur")
    urdu.save_revision()  # a change saved, not published
    assert row_for(english, "ur").state == translation_status.DRAFT
    assert row_for(english, "tr").state == translation_status.UP_TO_DATE


def client_html(page):
    from django.test import Client

    return Client().get(page.url).content.decode()


def test_syncing_without_a_translation_never_puts_english_on_the_urdu_page(demo, admin_client):
    page = edit_english_about()
    urdu = about("ur")
    source = row_for(page, "ur").source
    response = admin_client.post(
        URL + "?state=out_of_date", {"row": [f"{source.pk}:{urdu.locale_id}"]}, follow=True
    )
    text = response.content.decode()
    assert "1 string needs translating" in text
    revision = urdu.latest_revision_id
    urdu.refresh_from_db()
    # The live Urdu page has no English in it, and no draft was made of English either.
    assert urdu.intro != NEW_INTRO and urdu.latest_revision_id == revision
    assert NEW_INTRO not in client_html(urdu)
    assert row_for(page, "ur").state == translation_status.OUT_OF_DATE


def test_syncing_with_a_machine_translator_publishes_the_urdu_page_up_to_date(
    demo, admin_client, settings, django_capture_on_commit_callbacks
):
    page = edit_english_about()
    source = row_for(page, "ur").source
    urdu_locale = Locale.objects.get(language_code="ur")
    with FakeTranslationServer() as server:
        settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_setting(
            {"MACHINE_TRANSLATION_UR": "libretranslate", "LIBRETRANSLATE_URL": server.url},
            ["tr", "ur"],
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(URL, {"row": [f"{source.pk}:{urdu_locale.pk}"]})
        # Twice (a double click): the second finds nothing to do and changes nothing.
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(URL, {"row": [f"{source.pk}:{urdu_locale.pk}"]})
    assert response.status_code == 302
    urdu = about("ur")
    assert urdu.live and not urdu.has_unpublished_changes
    assert urdu.intro == f"[ur] {NEW_INTRO}"
    assert row_for(page, "ur").state == translation_status.UP_TO_DATE
    assert row_for(page, "tr").state == translation_status.OUT_OF_DATE


def test_the_report_is_for_editors_and_filters_by_language_and_state(demo, client, admin_client):
    edit_english_about()
    html = admin_client.get(URL + "?language=ur&state=out_of_date").content.decode()
    assert NEW_INTRO in html
    assert 'data-language="tr"' not in html
    assert html.count('name="row"') == 1

    registrar = make_user("status-registrar", "Registration managers")
    client.force_login(registrar)
    # Wagtail turns the refusal into a redirect to the dashboard, with a message.
    for response in (client.get(URL), client.post(URL, {"row": ["1:2"]})):
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response["Location"] == "/admin/"
