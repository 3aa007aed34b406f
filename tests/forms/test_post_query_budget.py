"""What one registration costs the database, so that a change that adds a query per POST
(the registration form's busiest moment) shows up here rather than in production."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import answers

pytestmark = pytest.mark.django_db

# The route to the form and the page's row, remembered under the page-cache epoch
# (home/page_cache.py) with the site its host leads to: only Wagtail's view-restriction
# check (2; its original, its questions, its event's start, its privacy notice and email
# settings are remembered under the epoch too); then, in the transaction, the registration
# (a double submission or an address already registered is found by the constraints, not
# looked for first), the pool lock, the count of places and its emails (one statement)
# (4), and the savepoint around it in tests (2).
POST_BUDGET = 8


def test_a_registration_post_stays_within_its_query_budget(
    client, form_page, django_assert_max_num_queries
):
    url = form_page.url
    client.get(url)
    # The first registration creates the form's pool row; measure a later one.
    client.post(url, answers(email="first@example.org", submission_token=str(uuid.uuid4())))
    with django_assert_max_num_queries(POST_BUDGET) as captured:
        response = client.post(url, answers(submission_token=str(uuid.uuid4())))
    assert response.status_code == 303
    assert form_page.get_submissions().count() == 2
    assert not any('FROM "wagtailcore_site"' in query["sql"] for query in captured)


def test_the_pool_lock_is_held_for_the_count_and_the_outbox_only(client, form_page):
    """Registrants of one form queue on its pool row's lock: everything that can be done
    before it (writing the registration) is, and under it come only
    the count of places and the emails' one insert before the commit."""
    url = form_page.url
    client.get(url)
    client.post(url, answers(email="first@example.org", submission_token=str(uuid.uuid4())))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, answers(submission_token=str(uuid.uuid4())))
    assert response.status_code == 303
    statements = [query["sql"] for query in queries.captured_queries]
    lock = next(i for i, sql in enumerate(statements) if "registrationpool" in sql)
    before, after = statements[:lock], statements[lock + 1 :]
    assert any(sql.startswith("INSERT") and "forms_app_registration" in sql for sql in before)
    held = [sql for sql in after if not sql.startswith(("RELEASE SAVEPOINT", "COMMIT"))]
    assert len(held) == 2, held
    assert held[0].startswith("SELECT COUNT(*)")
    assert held[1].startswith('INSERT INTO "forms_app_outgoingemail"')
