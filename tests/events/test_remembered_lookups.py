"""What an uncached event page remembers under the page-cache epoch (which form it has,
the page's translations) follows every change that could make it wrong: a form added,
restricted or unpublished, a translation published or restricted."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories.events import EventPageFactory
from tests.factories.forms import RegistrationFormPageFactory
from tests.helpers import translate_by_copy

pytestmark = pytest.mark.django_db

REGISTER = 'class="button button--large"'
ALTERNATE_TR = '<link rel="alternate" hreflang="tr"'


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # Every view renders, so what is seen comes from the remembered lookups.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def upcoming(event_index):
    now = timezone.now()
    return EventPageFactory(
        parent=event_index,
        slug="upcoming",
        start=now + dt.timedelta(days=40),
        end=now + dt.timedelta(days=42),
    )


def test_a_form_added_restricted_and_unpublished_shows_on_the_event_page_at_once(upcoming):
    visitor = Client()
    assert REGISTER not in visitor.get(upcoming.url).content.decode()

    form = RegistrationFormPageFactory(parent=upcoming, capacity=10, waiting_list=False)
    assert REGISTER in visitor.get(upcoming.url).content.decode()

    restriction = PageViewRestriction.objects.create(
        page=form, restriction_type=PageViewRestriction.LOGIN
    )
    assert REGISTER not in visitor.get(upcoming.url).content.decode()

    restriction.delete()
    assert REGISTER in visitor.get(upcoming.url).content.decode()

    form.unpublish()
    assert REGISTER not in visitor.get(upcoming.url).content.decode()


def test_a_translation_published_or_restricted_changes_the_alternates_at_once(upcoming):
    visitor = Client()
    assert ALTERNATE_TR not in visitor.get(upcoming.url).content.decode()

    translate_by_copy(upcoming.get_parent().get_parent(), "tr")
    translate_by_copy(upcoming.get_parent(), "tr")
    turkish = translate_by_copy(upcoming, "tr")
    html = visitor.get(upcoming.url).content.decode()
    assert f'{ALTERNATE_TR} href="http://testserver{turkish.url}"' in html

    PageViewRestriction.objects.create(page=turkish, restriction_type=PageViewRestriction.LOGIN)
    assert ALTERNATE_TR not in visitor.get(upcoming.url).content.decode()


def test_a_form_filling_up_and_a_place_freed_show_on_the_event_page_at_once(
    upcoming, django_capture_on_commit_callbacks
):
    from forms_app import services
    from tests.helpers import register

    RegistrationFormPageFactory(parent=upcoming, capacity=2, waiting_list=False)
    visitor = Client()
    form = upcoming.get_children().specific().get()

    def availability():
        html = visitor.get(upcoming.url).content.decode()
        return html.split('data-availability="', 1)[1].split('"', 1)[0]

    assert availability() == "open"
    with django_capture_on_commit_callbacks(execute=True):
        first = register(form, "One", "one@example.org")
    assert availability() == "open"  # one place left, remembered as not full
    with django_capture_on_commit_callbacks(execute=True):
        register(form, "Two", "two@example.org")
    assert availability() == "full"
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(first)
    assert availability() == "open"
