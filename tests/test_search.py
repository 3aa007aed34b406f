import pytest

from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_are_indexed_when_saved(settings):
    """As in production: a page is indexed when it is saved (the test settings leave that
    off for every other test)."""
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**backend, "AUTO_UPDATE": True}
        for name, backend in settings.WAGTAILSEARCH_BACKENDS.items()
    }


@pytest.fixture
def venue_pages(home_in_all_languages, translated):
    page = StandardPageFactory(
        parent=home_in_all_languages["en"],
        title="Venue in Istanbul",
        slug="venue",
        intro="The conference hall in Istanbul.",
    )
    translated(
        page,
        "tr",
        {
            "Venue in Istanbul": "İstanbul'daki mekan",
            "The conference hall in Istanbul.": "İstanbul'daki konferans salonu.",
        },
    )
    return page


def test_search_finds_pages_in_the_visitors_language_only(client, venue_pages):
    english = client.get("/en/search/", {"q": "Istanbul"}).content.decode()
    assert "/en/venue/" in english
    assert "/tr/venue/" not in english

    turkish = client.get("/tr/search/", {"q": "konferans salonu"}).content.decode()
    assert "/tr/venue/" in turkish
    assert "/en/venue/" not in turkish


def test_search_without_a_query_shows_only_the_form(client, home_in_all_languages):
    response = client.get("/ur/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "search-results" not in response.content.decode()


def test_search_survives_hostile_input(client, home_in_all_languages):
    for query in ["' OR 1=1 --", "x" * 5000, '"unbalanced', "&&||!!", "%00"]:
        response = client.get("/en/search/", {"q": query, "page": "not-a-number"})
        assert response.status_code == 200
