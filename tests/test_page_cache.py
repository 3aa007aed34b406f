"""The full-page cache for anonymous visitors (home/page_cache.py)."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from forms_app import services
from forms_app.models import Registration
from home.models import HomePage, StandardPage
from tests.factories.events import (
    EventPageFactory,
    OrganiserFactory,
    SpeakerFactory,
    add_organisers,
    programme,
)
from tests.factories.home import FooterTextFactory, StandardPageFactory
from tests.helpers import answers, translate_with_localize

pytestmark = pytest.mark.django_db

TTL = 300


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = TTL
    settings.PAGE_CACHE_BROWSER_SECONDS = 60
    settings.PAGE_CACHE_STALE_SECONDS = 30


@pytest.fixture
def visitor():
    """An anonymous visitor with no cookies at all."""
    return Client()


def make_about(home):
    page = StandardPageFactory(parent=home, title="About", slug="about")
    tr = translate_with_localize(page, "tr", {"About": "Hakkımızda"})
    return page, tr


@pytest.fixture(scope="module")
def about_pks(module_data, site_data):
    """The about page in English and Turkish, made once for the module
    (tests/fixtures.py)."""

    def build():
        page, tr = make_about(HomePage.objects.get(pk=site_data["homes"]["en"]))
        return page.pk, tr.pk

    return module_data(build)


@pytest.fixture
def about(about_pks, home_in_all_languages, translated):
    if about_pks is None:
        return make_about(home_in_all_languages["en"])
    return tuple(StandardPage.objects.get(pk=pk) for pk in about_pks)


def publish_title(page, title):
    page = page.specific
    page.title = title
    page.save_revision().publish()


def test_second_anonymous_view_is_served_from_cache_without_queries(
    visitor, about, django_assert_num_queries
):
    first = visitor.get("/en/about/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = visitor.get("/en/about/")
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Per-request headers are still added by the middleware outside the cache.
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert "Content-Security-Policy" in second


def test_event_page_with_programme_is_a_zero_query_hit(
    visitor, home_in_all_languages, django_assert_num_queries
):
    speakers = SpeakerFactory.create_batch(3)
    page = EventPageFactory(
        parent=home_in_all_languages["en"], slug="big", programme=programme(2, 5, speakers)
    )
    add_organisers(page, [OrganiserFactory(name="Kashmir Civitas")])
    assert visitor.get("/en/big/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = visitor.get("/en/big/")
    assert response["X-Page-Cache"] == "hit"
    assert speakers[0].name in response.content.decode()


def test_head_is_answered_from_the_cache_without_a_body(visitor, about, django_assert_num_queries):
    visitor.get("/en/about/")
    with django_assert_num_queries(0):
        response = visitor.head("/en/about/")
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b""


def test_publishing_the_page_invalidates_it(visitor, about):
    page, _tr = about
    assert "About" in visitor.get("/en/about/").content.decode()
    publish_title(page, "About the conference")
    response = visitor.get("/en/about/")
    assert response["X-Page-Cache"] == "miss"
    assert "About the conference" in response.content.decode()


def test_publishing_a_translation_invalidates_it(visitor, about):
    _page, tr = about
    assert "Hakkımızda" in visitor.get("/tr/about/").content.decode()
    assert visitor.get("/tr/about/")["X-Page-Cache"] == "hit"
    publish_title(tr, "Konferans hakkında")
    response = visitor.get("/tr/about/")
    assert response["X-Page-Cache"] == "miss"
    assert "Konferans hakkında" in response.content.decode()


def test_unpublishing_invalidates(visitor, about):
    page, _tr = about
    assert visitor.get("/en/about/").status_code == 200
    page.unpublish()
    assert visitor.get("/en/about/").status_code == 404


def test_saving_a_speaker_invalidates_the_event_page(visitor, home_in_all_languages):
    speaker = SpeakerFactory(name="Speaker Before Rename")
    EventPageFactory(
        parent=home_in_all_languages["en"], slug="ev", programme=programme(1, 1, [speaker])
    )
    assert "Speaker Before Rename" in visitor.get("/en/ev/").content.decode()
    assert visitor.get("/en/ev/")["X-Page-Cache"] == "hit"
    speaker.name = "Speaker After Rename"
    speaker.save()
    html = visitor.get("/en/ev/").content.decode()
    assert "Speaker After Rename" in html
    assert "Speaker Before Rename" not in html


def test_saving_an_organiser_and_the_footer_invalidate(visitor, home_in_all_languages, locales):
    organiser = OrganiserFactory(name="Old Organiser Name")
    ev = EventPageFactory(parent=home_in_all_languages["en"], slug="ev")
    add_organisers(ev, [organiser])
    assert "Old Organiser Name" in visitor.get("/en/ev/").content.decode()
    organiser.name = "New Organiser Name"
    organiser.save()
    assert "New Organiser Name" in visitor.get("/en/ev/").content.decode()

    visitor.get("/en/")
    FooterTextFactory(locale=locales["en"], organisers="A brand new footer line")
    assert "A brand new footer line" in visitor.get("/en/").content.decode()


def test_languages_do_not_leak_between_entries(visitor, about):
    en = visitor.get("/en/about/")
    tr = visitor.get("/tr/about/")
    assert tr["X-Page-Cache"] == "miss"  # not the English entry
    assert "Hakkımızda" in tr.content.decode()
    assert tr["Content-Language"] == "tr"
    # Both entries answer their own language, whatever the visitor's browser prefers.
    en_hit = visitor.get("/en/about/", HTTP_ACCEPT_LANGUAGE="tr")
    tr_hit = visitor.get("/tr/about/", HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="site_language=en")
    assert en_hit["X-Page-Cache"] == tr_hit["X-Page-Cache"] == "hit"
    assert en_hit.content == en.content and en_hit["Content-Language"] == "en"
    assert tr_hit.content == tr.content and tr_hit["Content-Language"] == "tr"
    assert "Vary" not in en_hit or "cookie" not in en_hit["Vary"].lower()


def test_public_cache_control_for_cdns(visitor, about):
    response = visitor.get("/en/about/")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=60", f"s-maxage={TTL}", "stale-while-revalidate=30"}
    assert not response.cookies
    assert visitor.get("/en/about/")["Cache-Control"] == response["Cache-Control"]


@pytest.mark.parametrize("suffix", ["", "thanks/"])
def test_registration_form_and_thank_you_pages_are_never_cached(visitor, form_page, suffix):
    url = f"/tr/third-conference/register/{suffix}"
    for _ in range(2):
        response = visitor.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "public" not in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]


def test_manage_page_is_never_cached(form_page):
    Client().post("/tr/third-conference/register/", answers())
    registration = Registration.objects.get()
    url = f"/tr/third-conference/register/manage/{registration.manage_token}/"
    visitor = Client()
    for _ in range(2):
        response = visitor.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "public" not in response["Cache-Control"]


def test_signed_in_users_bypass_the_cache_and_get_private_headers(about, django_assert_num_queries):
    user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    editor = Client()
    editor.force_login(user)
    for _ in range(2):
        response = editor.get("/en/about/")
        assert "X-Page-Cache" not in response
        assert "public" not in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
    # What the editor saw (with the Wagtail user bar) was not stored for visitors.
    assert Client().get("/en/about/")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("cookie", ["sessionid=abc", "messages=xyz"])
def test_a_session_or_messages_cookie_bypasses_the_cache(about, cookie):
    Client().get("/en/about/")  # stored
    response = Client().get("/en/about/", HTTP_COOKIE=cookie)
    assert "X-Page-Cache" not in response
    assert "public" not in response["Cache-Control"]


def test_a_csrf_cookie_alone_still_gets_the_cached_page(about):
    Client().get("/en/about/")
    response = Client().get("/en/about/", HTTP_COOKIE="csrftoken=" + "a" * 32)
    assert response["X-Page-Cache"] == "hit"
    assert b"csrfmiddlewaretoken" not in response.content


def test_posts_admin_and_search_are_not_cached(visitor, about, admin_client):
    assert visitor.post("/en/about/").get("X-Page-Cache") is None
    for url in ("/en/search/?q=about", "/admin/login/"):
        visitor.get(url)
        assert visitor.get(url).get("X-Page-Cache") is None


def test_preview_is_not_cached(about, admin_client):
    page, _tr = about
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/preview/")
    assert response.get("X-Page-Cache") is None
    assert Client().get("/en/about/")["X-Page-Cache"] == "miss"


def test_disabled_with_zero_seconds(visitor, about, settings):
    settings.PAGE_CACHE_SECONDS = 0
    visitor.get("/en/about/")
    response = visitor.get("/en/about/")
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_filling_the_last_seat_shows_full_on_the_cached_event_page(
    form_page,
    locales,
    django_capture_on_commit_callbacks,
):
    form_page.capacity = 1
    form_page.waiting_list = False
    form_page.save_revision().publish()
    visitor = Client()
    for lang in ("en", "tr"):
        assert (
            'data-availability="open"' in visitor.get(f"/{lang}/third-conference/").content.decode()
        )
        assert visitor.get(f"/{lang}/third-conference/")["X-Page-Cache"] == "hit"

    turkish_form = form_page.get_translation(locales["tr"]).specific
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.register(
            turkish_form,
            name="Last Seat",
            email="last@example.org",
            answers={},
            language="tr",
            submission_token=uuid.uuid4().hex,
        )
    assert outcome.result == services.RegistrationOutcome.REGISTERED
    for lang in ("en", "tr"):
        response = visitor.get(f"/{lang}/third-conference/")
        assert response["X-Page-Cache"] == "miss"
        assert 'data-availability="full"' in response.content.decode()

    # Cancelling frees the seat: open again.
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(outcome.registration, notify=False)
    assert 'data-availability="open"' in visitor.get("/en/third-conference/").content.decode()


def test_a_registration_that_leaves_availability_as_it_was_keeps_the_cached_page(
    form_page,
    django_capture_on_commit_callbacks,
):
    """Seats taken while places remain (or with a waiting list) do not change what the
    event page says, so a busy form does not keep emptying the cache."""
    form_page.capacity = 3
    form_page.waiting_list = False
    form_page.save_revision().publish()
    visitor = Client()
    visitor.get("/en/third-conference/")

    def register(n):
        with django_capture_on_commit_callbacks(execute=True):
            return services.register(
                form_page,
                name=f"Registrant {n}",
                email=f"r{n}@example.org",
                answers={},
                language="en",
                submission_token=uuid.uuid4().hex,
            )

    for n in range(2):  # 2 of 3 seats: still open
        assert register(n).result == services.RegistrationOutcome.REGISTERED
        response = visitor.get("/en/third-conference/")
        assert response["X-Page-Cache"] == "hit"
        assert 'data-availability="open"' in response.content.decode()
    assert register(2).result == services.RegistrationOutcome.REGISTERED  # the last seat
    response = visitor.get("/en/third-conference/")
    assert response["X-Page-Cache"] == "miss"
    assert 'data-availability="full"' in response.content.decode()


def test_failing_cache_reads_and_writes_still_serve_pages(visitor, about, monkeypatch):
    """Every read and write of the page cache fails (Redis timing out): the page, its
    header and footer are still served, from the database, uncached."""
    from home import page_cache

    visitor.get("/en/about/")  # cached
    store = page_cache.store()

    def failing(*args, **kwargs):
        raise ConnectionError("cache down")

    for method in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(store, method, failing)
    response = visitor.get("/en/about/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert 'href="/tr/about/"' in response.content.decode()  # the language switcher


def test_a_page_rendered_before_a_change_commits_is_never_kept_after_it(visitor, about):
    """The epoch is read with the entry, and a new one is taken when the change commits:
    a page rendered from the old rows in between is stored under an epoch that is already
    over."""
    from home import page_cache

    page_cache.invalidate()  # the change, in a transaction that has not committed yet
    # Another process renders the page from the old rows meanwhile, under the new epoch.
    during = page_cache.epoch()
    page_cache.store().set(
        f"page:v{page_cache.ENTRY_VERSION}:http://testserver/en/about/?",
        (during, b"stale", [], {}),
        TTL,
    )
    assert visitor.get("/en/about/").content == b"stale"
    page_cache._after_commit()  # what on_commit runs
    response = visitor.get("/en/about/")
    assert response["X-Page-Cache"] == "miss"
    assert b"stale" not in response.content


def test_query_strings_that_are_not_ours_share_the_entry(visitor, about):
    assert visitor.get("/en/about/?junk=1")["X-Page-Cache"] == "miss"
    for n in range(2, 6):
        assert visitor.get(f"/en/about/?junk={n}&utm_source=x{n}")["X-Page-Cache"] == "hit"
    assert visitor.get("/en/about/")["X-Page-Cache"] == "hit"


def test_another_process_s_change_is_seen_within_the_check_interval(visitor, about, settings):
    """A process trusts the epoch it read for PAGE_CACHE_EPOCH_CHECK_SECONDS: a change made
    through it is seen at once, one made through another process once that has passed."""
    from home import page_cache

    settings.PAGE_CACHE_EPOCH_CHECK_SECONDS = 60
    visitor.get("/en/about/")
    assert visitor.get("/en/about/")["X-Page-Cache"] == "hit"
    page_cache.store().set(page_cache.EPOCH_KEY, "set-by-another-process", None)
    assert visitor.get("/en/about/")["X-Page-Cache"] == "hit"  # within the interval
    settings.PAGE_CACHE_EPOCH_CHECK_SECONDS = 0  # the interval has passed
    assert visitor.get("/en/about/")["X-Page-Cache"] == "miss"
    settings.PAGE_CACHE_EPOCH_CHECK_SECONDS = 60
    assert visitor.get("/en/about/")["X-Page-Cache"] == "hit"
    page_cache.invalidate()  # through this process: at once
    assert visitor.get("/en/about/")["X-Page-Cache"] == "miss"


def test_a_draft_saved_purges_nothing_from_the_proxy_and_publishing_does(
    about, settings, django_capture_on_commit_callbacks
):
    """Saving a draft changes no public page: the proxy keeps its pages. Publishing
    purges them once the change is committed (Wagtail queues the purge as a task)."""
    from unittest import mock

    page, _tr = about
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:9",
        }
    }
    page = page.specific
    with mock.patch("wagtail.contrib.frontend_cache.utils.PurgeBatch.purge") as purge:
        with django_capture_on_commit_callbacks(execute=True):
            page.title = "About, a draft"
            page.save_revision()
        assert not purge.called
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        assert purge.called
