"""`purge_registrations` never reaches an event that has not ended: a negative retention
period (`--days -30`, or a negative REGISTRATION_RETENTION_DAYS) is refused with a clear
error and deletes nothing, and `--days 0` spares an event under way. What it does delete
is written to the audit log, as a count."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import PageLogEntry

from forms_app.models import Registration
from tests.factories.events import EventPageFactory
from tests.factories.forms import RegistrationFormPageFactory
from tests.helpers import register

pytestmark = pytest.mark.django_db


def form_for_event(parent, slug, start, end):
    event = EventPageFactory(parent=parent, slug=slug, start=start, end=end)
    return RegistrationFormPageFactory(parent=event, slug=f"{slug}-register", capacity=None)


def test_negative_days_are_refused_and_only_ended_events_are_purged(home, settings):
    now = timezone.now()
    day = dt.timedelta(days=1)
    upcoming = form_for_event(home, "upcoming", now + 20 * day, now + 22 * day)
    under_way = form_for_event(home, "under-way", now - day, now + day)
    ended = form_for_event(home, "ended", now - 3 * day, now - 2 * day)
    for form in (upcoming, under_way, ended):
        register(form, "Someone", f"someone@{form.slug}.example.org", answers={})

    for args in (["--days", "-30"], ["--days=-1"], ["--days", "-30", "--dry-run"]):
        with pytest.raises(CommandError, match="must be 0 or more"):
            call_command("purge_registrations", *args, stdout=io.StringIO())
    settings.REGISTRATION_RETENTION_DAYS = -30
    with pytest.raises(CommandError, match="must be 0 or more"):
        call_command("purge_registrations", stdout=io.StringIO())
    assert Registration.objects.count() == 3

    output = io.StringIO()
    call_command("purge_registrations", "--days", "0", stdout=output)
    assert "Deleted 1 registration(s)" in output.getvalue()
    assert set(Registration.objects.values_list("page_id", flat=True)) == {
        upcoming.pk,
        under_way.pk,
    }
    (entry,) = PageLogEntry.objects.filter(action="forms_app.purge_registrations")
    assert (entry.page_id, entry.user_id, entry.data) == (ended.pk, None, {"count": 1, "days": 0})
