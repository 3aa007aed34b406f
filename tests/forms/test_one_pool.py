"""Registrations belong to the event's form, not to one language version of it."""

import io

import pytest
from django.core.management import call_command

from forms_app.models import Registration
from forms_app.privacy import export_person
from tests.helpers import attempt_registration

pytestmark = pytest.mark.django_db


def register(form, email, language):
    return attempt_registration(form, "Someone", email, language=language, answers={})


def test_deleting_or_unpublishing_a_translation_keeps_its_registrations(form_in, form_page):
    register(form_in("tr"), "turkish@example.org", "tr")
    register(form_in("ur"), "urdu@example.org", "ur")
    form_in("ur").unpublish()
    form_in("tr").delete()
    assert Registration.objects.count() == 2
    assert set(Registration.objects.values_list("page_id", flat=True)) == {form_page.pk}


def test_the_source_page_cannot_be_deleted_while_it_holds_registrations(form_in, form_page):
    from django.db.models import ProtectedError

    register(form_in("tr"), "turkish@example.org", "tr")
    with pytest.raises(ProtectedError):
        form_page.delete()
    assert Registration.objects.count() == 1


def test_export_and_forget_a_person(form_in, form_page):
    register(form_in("tr"), "Person@Example.org", "tr")
    for n in range(2):
        register(form_in("en"), f"other{n}@example.org", "en")
    waiting = register(form_in("en"), "waiting@example.org", "en").registration

    data = export_person("  person@example.ORG")
    assert len(data) == 1
    assert data[0]["language"] == "tr"
    assert data[0]["status"] == "confirmed"

    call_command("forget_person", "person@example.org", stdout=io.StringIO())
    assert not Registration.objects.filter(email_key="person@example.org").exists()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"  # the freed place went to the waiting list


def test_purge_deletes_registrations_of_events_long_over(form_in, form_page):
    import datetime as dt

    from django.utils import timezone

    register(form_in("en"), "a@example.org", "en")
    call_command("purge_registrations", stdout=io.StringIO())
    assert Registration.objects.count() == 1  # the event has not happened yet

    event = form_page.get_parent().specific
    event.start = timezone.now() - dt.timedelta(days=400)
    event.end = event.start + dt.timedelta(days=2)
    event.save_revision().publish()
    call_command("purge_registrations", "--days", "365", stdout=io.StringIO())
    assert Registration.objects.count() == 0
