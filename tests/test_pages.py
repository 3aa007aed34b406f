"""Every page type routes and renders in every language, with a bounded number of queries."""

import pytest
from django.core.management import call_command
from wagtail.models import Locale

from home.models import FooterText, HomePage, StandardPage
from tests.factories.home import FooterTextFactory, StandardPageFactory
from tests.helpers import translate_by_copy

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "tr", "ur"]


def make_site_pages(home):
    about = StandardPageFactory(parent=home, title="About", slug="about")
    for code, title in (("tr", "Hakkında"), ("ur", "تعارف")):
        translate_by_copy(about, code, title=title)
    return about


@pytest.fixture(scope="module")
def site_pages_pk(module_data, site_data):
    """The about page in three languages, made once for the module (tests/fixtures.py)."""
    return module_data(
        lambda: make_site_pages(HomePage.objects.get(pk=site_data["homes"]["en"])).pk
    )


@pytest.fixture
def site_pages(site_pages_pk, home_in_all_languages):
    if site_pages_pk is None:
        return make_site_pages(home_in_all_languages["en"])
    return StandardPage.objects.get(pk=site_pages_pk)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("path", "template"), [("/", "home/home_page.html"), ("/about/", "home/standard_page.html")]
)
def test_every_page_type_renders_in_every_language(client, site_pages, language, path, template):
    response = client.get(f"/{language}{path}")
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    page = response.context["page"]
    assert page.locale.language_code == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_menu_shows_live_pages_marked_for_menus_in_the_same_language(client, site_pages, language):
    hidden = StandardPageFactory(
        parent=site_pages.get_parent(), title="Hidden", slug="hidden", show_in_menus=False
    )
    html = client.get(f"/{language}/").content.decode()
    menu = html.split('<nav class="site-nav"')[1].split("</nav>")[0]
    expected = {"en": "About", "tr": "Hakkında", "ur": "تعارف"}[language]
    assert f'href="/{language}/about/">{expected}</a>' in menu
    assert hidden.title not in menu


def test_footer_is_shown_in_the_visitors_language(client, site_pages, translated, locales):
    footer = FooterTextFactory(locale=locales["en"], organisers="Organised by two bodies")
    translated(footer, "tr", {"Organised by two bodies": "İki kuruluş tarafından düzenlenir"})
    assert "İki kuruluş tarafından düzenlenir" in client.get("/tr/").content.decode()
    # No Urdu footer yet: the default language's footer stands in.
    assert "Organised by two bodies" in client.get("/ur/").content.decode()
    assert FooterText.objects.count() == 2


@pytest.mark.parametrize(
    # The route remembered (home/page_cache.py): the site, the page, Wagtail's view-
    # restriction check, then the page's translations for the switcher and hreflang; the
    # header and footer come from the cache. The home page also shows the next event.
    ("path", "max_queries"),
    [("/en/", 11), ("/tr/about/", 6), ("/ur/about/", 6)],
)
def test_page_query_count_is_bounded(
    client, site_pages, locales, django_assert_max_num_queries, path, max_queries
):
    FooterTextFactory(locale=locales["en"], privacy_page=site_pages)
    for n in range(8):
        StandardPageFactory(parent=site_pages.get_parent(), title=f"Menu {n}", slug=f"menu-{n}")
    client.get(path)  # warm per-process caches (content types, site root paths)
    with django_assert_max_num_queries(max_queries):
        assert client.get(path).status_code == 200


def test_menu_and_footer_follow_publishing(client, site_pages, locales):
    """The header and footer are cached per site; publishing, unpublishing and editing the
    footer show up on the next request."""
    assert "News" not in client.get("/en/").content.decode()
    news = StandardPageFactory(parent=site_pages.get_parent(), title="News", slug="news")
    news.save_revision().publish()
    assert 'href="/en/news/">News</a>' in client.get("/en/").content.decode()
    news.unpublish()
    assert "/en/news/" not in client.get("/en/").content.decode()

    footer = FooterTextFactory(locale=locales["en"], organisers="First wording")
    assert "First wording" in client.get("/en/").content.decode()
    footer.organisers = "Second wording"
    footer.save()
    assert "Second wording" in client.get("/en/").content.decode()


def test_locales_exist_for_every_configured_language_after_migrate(db):
    assert set(Locale.objects.values_list("language_code", flat=True)) == set(LANGUAGES)


def test_locale_setup_is_idempotent(db):
    call_command("migrate", verbosity=0)
    assert Locale.objects.count() == len(LANGUAGES)
