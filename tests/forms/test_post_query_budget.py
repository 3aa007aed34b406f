"""What one registration costs the database, so that a change that adds a query per POST
(the registration form's busiest moment) shows up here rather than in production."""

import uuid

import pytest

from tests.helpers import answers

pytestmark = pytest.mark.django_db

# The route to the form, remembered (home/page_cache.py): the site, the form page, and
# Wagtail's view-restriction check (4); the form's questions (1; its original, its
# event's start, its privacy notice and email settings are remembered under the epoch);
# then, in the transaction, the pool lock, the duplicate check, the count of places, the
# registration and its two emails (6), and the savepoint around it in tests (2).
POST_BUDGET = 13


def test_a_registration_post_stays_within_its_query_budget(
    client, form_page, django_assert_max_num_queries
):
    url = form_page.url
    client.get(url)
    # The first registration creates the form's pool row; measure a later one.
    client.post(url, answers(email="first@example.org", submission_token=str(uuid.uuid4())))
    with django_assert_max_num_queries(POST_BUDGET):
        response = client.post(url, answers(submission_token=str(uuid.uuid4())))
    assert response.status_code == 303
    assert form_page.get_submissions().count() == 2
