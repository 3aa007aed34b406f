"""Remembered page routes (home/routing.py): an address Wagtail has routed once costs one
query for the page itself, and nothing that changes where an address leads is missed."""

import time
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from forms_app import capacity
from home import generations, navigation, routing
from tests.factories.home import StandardPageFactory
from tests.forms.conftest import answers, event, form_page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(home_in_all_languages, translated):
    page = StandardPageFactory(parent=home_in_all_languages["en"], title="About", slug="about")
    translated(page, "tr", {"About": "Hakkımızda"})
    return page


def remembered_keys():
    return [key for key in routing._local_routes if key.startswith(routing.ROUTE_PREFIX)]


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [q["sql"] for q in captured.captured_queries]


def test_a_remembered_route_skips_the_tree_walk(client, about):
    response, cold = queries_of(client, "/tr/about/")
    assert response.status_code == 200
    response, warm = queries_of(client, "/tr/about/")
    assert response.status_code == 200
    assert "Hakkımızda" in response.content.decode()
    # Cold: the site, the locale, the Turkish home, then the page, each looked up.
    assert any("wagtailcore_site" in sql for sql in cold)
    assert any("wagtailcore_locale" in sql for sql in cold)
    # Warm: no site, no locale, one page row (and its translations for the switcher).
    assert not any("wagtailcore_site" in sql for sql in warm)
    assert not any('FROM "wagtailcore_locale"' in sql for sql in warm)
    assert len(warm) <= len(cold) - 3, (len(warm), len(cold))


def test_each_language_remembers_its_own_page(client, about):
    assert "Hakkımızda" in client.get("/tr/about/").content.decode()
    english = client.get("/en/about/").content.decode()
    turkish = client.get("/tr/about/").content.decode()
    assert "<title>About" in english and "Hakkımızda" not in english
    assert "Hakkımızda" in turkish
    assert len(remembered_keys()) == 2


def test_unpublishing_forgets_the_route(client, about):
    assert client.get("/en/about/").status_code == 200
    about.unpublish()
    assert client.get("/en/about/").status_code == 404


def test_a_new_slug_moves_the_page(client, about):
    assert client.get("/en/about/").status_code == 200
    page = about.specific
    page.slug = "who-we-are"
    page.save_revision().publish()
    assert client.get("/en/who-we-are/").status_code == 200
    assert client.get("/en/about/").status_code == 404


def test_a_deleted_page_is_gone_even_when_its_route_is_remembered(client, about):
    assert client.get("/en/about/").status_code == 200
    key = remembered_keys()[0]
    entry = routing._local_routes[key]
    about.delete()
    # Even if the generation had not moved on, the page itself is read afresh.
    routing._local_routes[key] = (navigation._generation(), *entry[1:])
    assert client.get("/en/about/").status_code == 404


def test_a_restriction_added_later_still_applies(client, about):
    assert client.get("/en/about/").status_code == 200
    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = client.get("/en/about/")
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_an_alias_of_a_restricted_page_is_restricted(client, about, home_in_all_languages):
    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    parent = StandardPageFactory(parent=home_in_all_languages["en"], slug="mirror")
    about.create_alias(parent=parent, update_slug="about-copy")
    assert navigation.may_be_restricted(about.path)
    response = client.get("/en/mirror/about-copy/")
    assert 'name="password"' in response.content.decode()
    # Pages beside them are not.
    assert not navigation.may_be_restricted(parent.path)


def test_fixed_sub_routes_are_remembered_and_token_routes_are_not(client, form_page):  # noqa: F811
    client.get("/en/third-conference/register/")
    client.post("/en/third-conference/register/", answers(submission_token=str(uuid.uuid4())))
    assert client.get("/en/third-conference/register/thanks/").status_code == 200
    registration = form_page.get_submissions().get()
    manage = f"/en/third-conference/register/manage/{registration.manage_token}/"
    assert client.get(manage).status_code == 200
    assert client.get("/en/third-conference/register/manage/not-a-token/").status_code == 404
    paths = {key.rsplit(":", 1)[1] for key in remembered_keys()}
    assert "third-conference/register/" in paths
    assert "third-conference/register/thanks/" in paths
    assert not any("manage" in path for path in paths)


def test_a_registration_post_reads_the_form_without_the_tree_walk(
    client,
    form_page,  # noqa: F811
    django_assert_max_num_queries,
):
    url = "/en/third-conference/register/"
    client.get(url)
    outcome = capacity.register(  # someone else first: the pool row exists
        form_page,
        name="First",
        email="first@example.org",
        answers={},
        language="en",
        submission_token=uuid.uuid4(),
    )
    assert outcome.result == capacity.REGISTERED
    # The form page and its questions; then, in the transaction (savepoint and release
    # here, inside the test's transaction): lock the pool, look for the same submission or
    # address, count seats, insert the registration, its confirmation, read whether the
    # registration managers want the organisers told, and insert that notification.
    with django_assert_max_num_queries(11):
        response = client.post(url, answers(submission_token=str(uuid.uuid4())))
    assert response.status_code == 303
    assert response["Location"] == url + "thanks/"
    assert form_page.get_submissions().count() == 2


def test_another_process_publishing_is_seen_within_the_check_interval(settings, monkeypatch):
    """This process trusts its memory of a generation for CACHE_GENERATION_CHECK_SECONDS; a
    bump written to the shared cache by another process is seen after that."""
    settings.CACHE_GENERATION_CHECK_SECONDS = 1
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    first = generations.current(navigation.GENERATION_KEY)
    generations.store().write(navigation.GENERATION_KEY, "bumped-elsewhere")  # another process
    clock[0] += 0.5
    assert generations.current(navigation.GENERATION_KEY) == first
    clock[0] += 0.6
    assert generations.current(navigation.GENERATION_KEY) == "bumped-elsewhere"
    # A bump by this process is seen at once.
    mine = generations.bump(navigation.GENERATION_KEY)
    assert generations.current(navigation.GENERATION_KEY) == mine != "bumped-elsewhere"
