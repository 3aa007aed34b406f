"""Helpers shared by the registrations admin tests (test_admin_*.py, test_exports.py,
test_permissions.py); their fixtures are in admin_fixtures.py."""

import datetime as dt
import uuid
from contextlib import nullcontext
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from forms_app import capacity

GROUP_NAME = "Registration managers"
ANSWERS = {
    "country_of_residence": "Norway",
    "area_of_work": ["Social media"],
    "attending_in_person": "Yes",
}


def make_user(username, *groups, **extra):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="pw", **extra
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def register(page, name, email, *, at=None, answers=None):
    """Register someone through `page` (any language version) with the real capacity
    code; `at` sets the moment it happens (the registration's submit time)."""
    clock = mock.patch("django.utils.timezone.now", return_value=at) if at else nullcontext()
    with clock:
        outcome = capacity.register(
            page,
            name=name,
            email=email,
            answers=dict(ANSWERS if answers is None else answers),
            language=page.locale.language_code,
            submission_token=uuid.uuid4(),
        )
    assert outcome.registration is not None, outcome
    return outcome.registration


def list_url(page):
    return reverse("wagtailforms:list_submissions", args=[page.pk])


def moment(day, hour=12, minute=0):
    """An aware UTC datetime on day `day` of January 2026."""
    return dt.datetime(2026, 1, day, hour, minute, tzinfo=dt.UTC)
