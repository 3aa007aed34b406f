"""Deleting a page that holds registrations (the form page itself, or an ancestor such as
its event) is refused in the admin with a message that says why, never a server error,
and nothing is deleted; pages without registrations still delete."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from wagtail.models import Page
from wagtail.users.models import UserProfile

from forms_app.models import Registration
from tests.helpers import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(db):
    return get_user_model().objects.create_superuser("organiser", "organiser@example.org", "pw")


@pytest.fixture
def admin_client(client, organiser):
    client.force_login(organiser)
    return client


def delete_url(page, next_url=None):
    return f"/admin/pages/{page.pk}/delete/" + (f"?next={next_url}" if next_url else "")


def message(response):
    """The message this response adds (those of earlier, unfollowed redirects wait)."""
    return [str(m).strip() for m in get_messages(response.wsgi_request)][-1]


def test_pages_holding_registrations_are_refused_with_a_reason_and_nothing_is_deleted(
    admin_client, organiser, form_page, form_in
):
    register(form_in("en"), "Alice Brown", "alice@example.org")
    register(form_in("ur"), "Bilal Ahmed", "bilal@example.org")
    event = form_page.get_parent()
    pages_before = Page.objects.count()
    refusal = (
        "was not deleted: 2 registrations belong to the registration form “Register”. "
        "Registrations are removed only through the privacy tools, never with their page. "
        "To take the page off the site, unpublish it instead."
    )

    # The form page: the confirmation page is not even offered, and a POST is refused;
    # the editor is sent back to the page.
    for method in (admin_client.get, admin_client.post):
        response = method(delete_url(form_page))
        assert response.status_code == 302
        assert response["Location"] == f"/admin/pages/{form_page.pk}/edit/"
        assert message(response) == f"“Register” {refusal}"

    # An ancestor (the event, then the home page): refused, back to the listing.
    listing = f"/admin/pages/{event.get_parent().pk}/"
    for page in (event, event.get_parent()):
        response = admin_client.post(delete_url(page, listing))
        assert response.status_code == 302
        assert response["Location"] == listing
        assert message(response) == f"“{page.title}” {refusal}"

    # Wagtail's bulk delete from a listing: nothing of the selection is deleted.
    response = admin_client.post(
        f"/admin/bulk/wagtailcore/page/delete/?id={event.pk}&id={form_page.pk}&next={listing}"
    )
    assert response.status_code == 302
    assert response["Location"] == listing
    assert message(response) == f"Nothing was deleted. “{event.title}” {refusal}"

    assert Page.objects.count() == pages_before
    assert Registration.objects.count() == 2

    # In the organiser's admin language.
    profile = UserProfile.get_for_user(organiser)
    profile.preferred_language = "tr"
    profile.save()
    response = admin_client.post(delete_url(form_page))
    assert message(response).startswith("“Register” silinmedi: “Register” kayıt formunun 2")

    # The Turkish translation of the form holds no registrations (they belong to the
    # English page, for every language): it deletes as before.
    turkish = form_in("tr")
    response = admin_client.post(delete_url(turkish))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=turkish.pk).exists()
    assert Registration.objects.count() == 2
