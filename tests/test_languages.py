"""Every public URL carries a language prefix; `/` picks the visitor's language."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("tr-TR,tr;q=0.9,en;q=0.5", "/tr/"),
        ("ur-PK,ur;q=0.9", "/ur/"),
        ("de-DE,de;q=0.9", "/en/"),
        ("", "/en/"),
    ],
)
def test_root_redirects_to_the_best_language(
    client, home_in_all_languages, accept_language, expected
):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_unprefixed_path_redirects_into_a_language(client, home_in_all_languages):
    response = client.get("/search/", HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 302
    assert response["Location"] == "/tr/search/"


@pytest.mark.parametrize("path", ["/de/", "/de/about/", "/fr/anything/?x=1", "/zh-hans/"])
def test_unknown_language_prefix_is_a_404_in_the_default_language(
    client, home_in_all_languages, path
):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="ur")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Page not found" in html


@pytest.mark.parametrize(
    ("language", "direction", "not_found_text"),
    [
        ("en", "ltr", "Page not found"),
        ("tr", "ltr", "Sayfa bulunamadı"),
        ("ur", "rtl", "صفحہ نہیں ملا"),
    ],
)
def test_missing_page_is_a_404_in_its_language(
    client, home_in_all_languages, language, direction, not_found_text
):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert not_found_text in html


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("tr", "ltr"), ("ur", "rtl")])
def test_html_lang_and_dir_follow_the_page_language(
    client, home_in_all_languages, language, direction
):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'<html lang="{language}" dir="{direction}">', html)
    assert home_in_all_languages[language].title in html


@pytest.mark.parametrize(
    ("language", "skip_link"),
    [("en", "Skip to main content"), ("tr", "Ana içeriğe geç"), ("ur", "مرکزی مواد پر جائیں")],
)
def test_template_strings_come_from_the_message_catalogues(
    client, home_in_all_languages, language, skip_link
):
    assert skip_link in client.get(f"/{language}/").content.decode()


def test_error_500_page_renders_in_each_language():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("ur"):
        html = render_to_string("500.html")
    assert '<html lang="ur" dir="rtl">' in html
    with translation.override("tr"):
        assert "Bir şeyler ters gitti" in render_to_string("500.html")
