"""Fixtures every test folder shares: the three locales, a site whose root is an English
home page, and helpers to translate pages the way wagtail-localize does."""

import io
import os

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Locale, Page, Site

from home.localize import translate
from tests.factories.home import HomePageFactory


@pytest.fixture
def locales(db):
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def home(locales):
    """An English home page as the default site's root, in place of Wagtail's welcome page."""
    root = Page.get_first_root_node()
    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    page = HomePageFactory(parent=root, slug="home-en")
    site.root_page = page
    site.save()
    welcome.delete()
    return page


@pytest.fixture
def translated(locales):
    """`translated(page, "tr", {"English": "Türkçe", ...})`: a live translation made through
    wagtail-localize. Strings missing from the table keep the source text."""

    def make(page, language_code, table=None, *, publish=True):
        from wagtail_localize.models import TranslationSource

        source, _ = TranslationSource.update_or_create_from_instance(page)
        full_table = {segment: segment for segment in _source_strings(source)}
        full_table.update(table or {})
        return translate(page, language_code, full_table, publish=publish)

    return make


def _source_strings(source):
    from wagtail_localize.models import StringSegment

    return set(StringSegment.objects.filter(source=source).values_list("string__data", flat=True))


@pytest.fixture
def home_in_all_languages(home, translated):
    return {
        "en": home,
        "tr": translated(home, "tr", {home.title: "Konferans ana sayfası"}),
        "ur": translated(home, "ur", {home.title: "کانفرنس کا صفحۂ اول"}),
    }


@pytest.fixture
def demo(db):
    """The full demo content, as `make run` loads it."""
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    return output.getvalue()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (rate-limit counters, cached navigation), and
    no process-local memory of what was in it."""
    from django.core.cache import cache

    from home import generations, navigation, page_cache, routing

    def clear():
        cache.clear()
        generations.forget_local()
        navigation.forget_local()
        page_cache.forget_local()
        routing.forget_local()

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request to /ur/ leaves Urdu active in
    the thread, which would otherwise leak into the next test's ORM-level checks."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With REQUIRE_SERVICES=1 (CI's PostgreSQL pass, where PostgreSQL and Redis run), a
    test skipped for want of Redis fails instead: the scale-out and Redis tests must run
    in CI, not quietly skip."""
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and os.environ.get("REQUIRE_SERVICES") == "1"):
        return
    reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
    if "Redis" in reason or ("PostgreSQL" in reason and connection.vendor == "postgresql"):
        report.outcome = "failed"
        report.longrepr = f"REQUIRE_SERVICES=1 but skipped: {reason}"
