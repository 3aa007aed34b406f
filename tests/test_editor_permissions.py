"""Editors write the programme: they add, edit and translate speakers, organisers,
partners and the footer (home/migrations/0005), while registrations and the settings that
route registrants' data stay with registration managers."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from events.models import Speaker
from home.models import FooterText

pytestmark = pytest.mark.django_db

SNIPPET_LISTS = (
    "/admin/snippets/events/speaker/",
    "/admin/snippets/events/organiser/",
    "/admin/snippets/events/partner/",
    "/admin/snippets/home/footertext/",
)
MIGRATION = importlib.import_module("home.migrations.0005_editors_edit_people_and_footer")


def editors_codenames():
    group = Group.objects.get(name="Editors")
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_the_migration_gives_editors_the_snippets_and_translation():
    codenames = editors_codenames()
    for app_label, model in (
        ("events", "speaker"),
        ("events", "organiser"),
        ("events", "partner"),
        ("home", "footertext"),
    ):
        for action in ("add", "change", "delete", "view"):
            assert (app_label, f"{action}_{model}") in codenames
    assert ("wagtail_localize", "submit_translation") in codenames
    # Nothing of the registrations: those are the managers'.
    assert not {c for c in codenames if c[0] == "forms_app"}


def test_reversing_the_migration_takes_the_snippets_back_and_granting_is_idempotent():
    before = editors_codenames()
    MIGRATION.revoke(apps, None)
    after = editors_codenames()
    assert ("events", "add_speaker") not in after
    assert ("home", "change_footertext") not in after
    # wagtail-localize's own grant stays.
    assert ("wagtail_localize", "submit_translation") in after
    MIGRATION.grant(apps, None)
    MIGRATION.grant(apps, None)
    assert editors_codenames() == before


@pytest.mark.parametrize("url", SNIPPET_LISTS)
def test_editors_reach_the_people_partners_and_footer(editor_client, locales, url):
    assert editor_client.get(url).status_code == 200


def test_an_editor_adds_a_speaker_and_submits_it_for_translation(editor_client, locales):
    response = editor_client.post(
        "/admin/snippets/events/speaker/add/",
        {"name": "Speaker G. Placeholder", "role": "Panel speaker", "bio": "", "link": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    speaker = Speaker.objects.get(name="Speaker G. Placeholder")
    assert speaker.locale.language_code == "en"

    response = editor_client.post(
        f"/admin/localize/submit/snippet/events/speaker/{speaker.pk}/",
        {"locales": [locales["tr"].pk]},
    )
    assert response.status_code == 302
    turkish = Speaker.objects.get(
        translation_key=speaker.translation_key, locale__language_code="tr"
    )
    assert editor_client.get(f"/admin/snippets/events/speaker/edit/{turkish.pk}/").status_code in (
        200,
        302,  # wagtail-localize sends a synced translation to its translation editor
    )


def test_an_editor_edits_the_footer(editor_client, locales):
    footer = FooterText.objects.create(organisers="Organised by", locale=locales["en"])
    response = editor_client.get(f"/admin/snippets/home/footertext/edit/{footer.pk}/")
    assert response.status_code == 200


def test_registration_data_and_its_settings_stay_out_of_editors_reach(editor_client, form_page):
    for url in (
        f"/admin/forms/submissions/{form_page.pk}/",
        f"/admin/forms/submissions/{form_page.pk}/?export=csv",
        f"/admin/registrations/forms/{form_page.pk}/emails/",
        "/admin/settings/forms_app/visaletterhead/",
    ):
        response = editor_client.get(url, follow=True)
        # Wagtail answers a signed-in user without the permission with a redirect to
        # the dashboard (and a message), or 403.
        if response.status_code != 403:
            assert response.redirect_chain, url
            assert response.redirect_chain[-1][0] == "/admin/", (url, response.redirect_chain)
