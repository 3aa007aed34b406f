"""Wagtail's own routing and view-restriction checks, with the page cache on: nothing that
changes where an address leads, or who may see it, is missed by a cached copy."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from home.models import HomePage, StandardPage
from tests.factories.home import StandardPageFactory
from tests.helpers import answers, translate_with_localize

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def visitor():
    return Client()


def make_about(home):
    page = StandardPageFactory(parent=home, title="About", slug="about")
    translate_with_localize(page, "tr", {"About": "Hakkımızda"})
    return page


@pytest.fixture(scope="module")
def about_pk(module_data, site_data):
    """The about page, in English and Turkish, made once for the module
    (tests/fixtures.py)."""
    return module_data(lambda: make_about(HomePage.objects.get(pk=site_data["homes"]["en"])).pk)


@pytest.fixture
def about(about_pk, home_in_all_languages, translated):
    if about_pk is None:
        return make_about(home_in_all_languages["en"])
    return StandardPage.objects.get(pk=about_pk)


def cached(visitor, path):
    """The page at `path`, viewed twice: the second time from the cache."""
    visitor.get(path)
    response = visitor.get(path)
    assert response["X-Page-Cache"] == "hit"
    return response


def test_each_language_is_its_own_page(visitor, about):
    english = cached(visitor, "/en/about/").content.decode()
    turkish = cached(visitor, "/tr/about/").content.decode()
    assert "<title>About" in english and "Hakkımızda" not in english
    assert "Hakkımızda" in turkish


def test_unpublishing_takes_the_page_away(visitor, about):
    cached(visitor, "/en/about/")
    about.unpublish()
    assert visitor.get("/en/about/").status_code == 404


def test_a_new_slug_moves_the_page(visitor, about):
    cached(visitor, "/en/about/")
    page = about.specific
    page.slug = "who-we-are"
    page.save_revision().publish()
    assert visitor.get("/en/who-we-are/").status_code == 200
    assert visitor.get("/en/about/").status_code == 404


def test_a_deleted_page_is_gone(visitor, about):
    cached(visitor, "/en/about/")
    about.delete()
    assert visitor.get("/en/about/").status_code == 404


def test_a_restriction_added_later_applies_at_once(visitor, about):
    cached(visitor, "/en/about/")
    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = visitor.get("/en/about/")
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert "X-Page-Cache" not in response
    # The password form is never kept: the next visitor is asked again.
    assert 'name="password"' in visitor.get("/en/about/").content.decode()


def test_an_alias_of_a_restricted_page_is_restricted(visitor, about, home_in_all_languages):
    parent = StandardPageFactory(parent=home_in_all_languages["en"], slug="mirror")
    about.create_alias(parent=parent, update_slug="about-copy")
    cached(visitor, "/en/mirror/about-copy/")
    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = visitor.get("/en/mirror/about-copy/")
    assert 'name="password"' in response.content.decode()
    # Pages beside them are not.
    assert visitor.get("/en/mirror/").status_code == 200
    assert 'name="password"' not in visitor.get("/en/mirror/").content.decode()


def test_a_restricted_page_stays_out_of_menus_and_the_language_switcher(
    visitor, about, home_in_all_languages
):
    about.show_in_menus = True
    about.save_revision().publish()
    assert 'href="/en/about/"' in visitor.get("/en/").content.decode()
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    assert 'href="/en/about/"' not in visitor.get("/en/").content.decode()


def queries_of(client, url, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = (client.post if kwargs else client.get)(url, **kwargs)
    return response, [query["sql"] for query in captured.captured_queries]


def test_a_remembered_route_skips_the_tree_walk_but_not_the_restriction_check(client, about):
    """Signed in or not, cached page or not: where an address leads, and the page's row,
    are remembered under the page cache's epoch (home/page_cache.py), so a known address
    reads no page to route, while Wagtail still asks the database for view restrictions
    every time."""
    client.cookies["sessionid"] = "anything"  # never served from the page cache
    response, cold = queries_of(client, "/tr/about/")
    assert response.status_code == 200
    response, warm = queries_of(client, "/tr/about/")
    assert "Hakkımızda" in response.content.decode()
    assert any("wagtailcore_locale" in sql for sql in cold)
    assert not any('FROM "wagtailcore_locale"' in sql for sql in warm)
    assert any('FROM "home_standardpage"' in sql for sql in cold)
    assert not any('FROM "home_standardpage"' in sql for sql in warm), warm
    assert len(warm) <= len(cold) - 4, (len(warm), len(cold))
    assert any("wagtailcore_pageviewrestriction" in sql for sql in warm)


def test_a_remembered_page_is_read_again_once_it_is_published(client, about):
    """The remembered row belongs to the epoch: a publish starts a new one, so even a
    request the page cache never answers (a session) shows the new version at once."""
    client.cookies["sessionid"] = "anything"
    client.get("/en/about/")
    assert "<title>About" in client.get("/en/about/").content.decode()
    page = about.specific
    page.title = "About the conference"
    page.save_revision().publish()
    assert "<title>About the conference" in client.get("/en/about/").content.decode()


def test_each_request_routes_its_own_instance_of_a_remembered_page(rf, about):
    """What one request sets on its page (Wagtail and our views cache values on it) never
    reaches the next request's page."""
    from home import page_cache

    page_cache.route(rf.get("/en/about/"), "about/")  # remembered
    first, _args, _kwargs = page_cache.route(rf.get("/en/about/"), "about/")
    second, _args, _kwargs = page_cache.route(rf.get("/en/about/"), "about/")
    assert first is not second
    assert first.pk == second.pk == about.pk
    first.title = "Set by one request"
    third, _args, _kwargs = page_cache.route(rf.get("/en/about/"), "about/")
    assert third.title == "About"


def test_a_site_saved_for_a_host_answers_it_at_once(client, about, settings):
    """Which site answers a host is remembered with the route; saving a site starts a new
    epoch, so the next request to that host is routed by the new site."""
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    client.cookies["sessionid"] = "anything"  # routed by Django, not the page cache
    assert client.get("/en/about/", HTTP_HOST="other.example").status_code == 200
    assert client.get("/en/about/", HTTP_HOST="other.example").status_code == 200
    # A site of its own for the host, rooted at the about page: no "about" below it.
    Site.objects.create(hostname="other.example", port=80, root_page=about)
    assert client.get("/en/about/", HTTP_HOST="other.example").status_code == 404
    assert client.get("/en/about/").status_code == 200


def test_fixed_sub_routes_are_remembered_and_token_routes_are_not(client, form_page):
    from home import page_cache

    url = form_page.url
    client.get(url)
    client.post(url, answers(submission_token=str(uuid.uuid4())))
    assert client.get(f"{url}thanks/").status_code == 200
    registration = form_page.get_submissions().get()
    assert client.get(f"{url}manage/{registration.manage_token}/").status_code == 200
    assert client.get(f"{url}manage/not-a-token/").status_code == 404
    remembered = [key for key in page_cache._local if key.startswith("route:")]
    paths = {key.rsplit(":", 1)[1] for key in remembered}
    assert url.strip("/").split("/", 1)[1] in paths
    assert url.strip("/").split("/", 1)[1] + "/thanks" in paths
    assert not any("manage" in path for path in paths)
