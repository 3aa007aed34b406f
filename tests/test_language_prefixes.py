"""A site in English only: a page asked for under another language's prefix is never served
there; the visitor goes to the English page's own address. (A module of its own: the other
language tests share a site with live Turkish and Urdu home pages.)"""

import pytest

from tests.factories.events import EventIndexPageFactory, EventPageFactory

pytestmark = pytest.mark.django_db


def test_a_page_is_never_served_under_another_languages_prefix(client, home, translated):
    # The Turkish home exists only as a draft: /tr/ must not show English content with
    # Turkish chrome; it sends the visitor to the English page's own address.
    translated(home, "tr", publish=False)
    response = client.get("/tr/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_event_under_another_language_prefix_redirects(client, home):
    event = EventPageFactory(parent=EventIndexPageFactory(parent=home))
    response = client.get("/tr" + event.url[3:])
    assert response.status_code == 302
    assert response["Location"] == event.url
