"""Who exported, cancelled, resent or deleted registrations, and what the privacy
commands did, is in Wagtail's audit log, readable in the admin (Reports > Site history,
the form's History) and holding ids and counts only: no name, address or answer, so a
deleted person's name does not survive there. Deleting in the admin goes the way of
`forget_person`: the freed place goes to the waiting list, the promoted person is emailed,
the deleted one is not."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from forms_app.models import EmailKind, OutgoingEmail, Registration, RegistrationStatus
from tests.factories.events import EventPageFactory
from tests.factories.forms import RegistrationFormPageFactory
from tests.helpers import list_url, make_user, register

# Fixtures: registrar, editor, registrar_client, editor_client.
pytestmark = pytest.mark.django_db

PEOPLE = {
    "alice": ("Alice Aardvark", "alice.aardvark@example.org"),
    "bilal": ("Bilal Bukhari", "bilal.bukhari@example.org"),
    "cemile": ("Cemile Çakır", "cemile.cakir@example.org"),
}


@pytest.fixture
def one_seat(home):
    """One English form with one place and a waiting list: Alice has the place, Bilal and
    then Cemile wait."""
    start = timezone.now() + dt.timedelta(days=30)
    event = EventPageFactory(
        parent=home, slug="summit", start=start, end=start + dt.timedelta(days=1)
    )
    page = RegistrationFormPageFactory(parent=event, capacity=1, waiting_list=True)
    people = {key: register(page, name, email, answers={}) for key, (name, email) in PEOPLE.items()}
    return page, people


def entries(page):
    """The registrations' entries on the form (not Wagtail's own, such as its creation)."""
    return list(
        PageLogEntry.objects.filter(page=page, action__startswith="forms_app.").order_by("pk")
    )


def assert_no_personal_data(page):
    text = json.dumps(
        [(entry.label, entry.data, str(entry.message)) for entry in entries(page)],
        ensure_ascii=False,
    )
    for name, email in PEOPLE.values():
        for part in (name, email, *name.split()):
            assert part not in text, part


def test_admin_actions_are_logged_with_ids_and_counts_and_delete_promotes(
    registrar_client, registrar, one_seat, django_capture_on_commit_callbacks, mailoutbox
):
    page, people = one_seat
    alice, bilal, cemile = people["alice"], people["bilal"], people["cemile"]
    OutgoingEmail.objects.all().delete()  # the registration emails are not the story here

    # Exports: the format, the filters, whether a search narrowed it (not its text) and
    # the number of rows, counted as the CSV streams.
    response = registrar_client.get(
        list_url(page), {"export": "csv", "status": "waitlisted", "q": "Bukhari"}
    )
    b"".join(response.streaming_content)
    response = registrar_client.get(list_url(page), {"export": "xlsx"})
    b"".join(response.streaming_content)

    with django_capture_on_commit_callbacks(execute=True):
        registrar_client.post(reverse("forms_app_admin:resend_registration_email", args=[alice.pk]))
        registrar_client.post(reverse("forms_app_admin:cancel_registration", args=[alice.pk]))
    bilal.refresh_from_db()
    assert bilal.status == RegistrationStatus.CONFIRMED  # Alice's place went on

    mailoutbox.clear()
    delete = reverse("wagtailforms:delete_submissions", args=[page.pk])
    confirm = registrar_client.get(f"{delete}?selected-submissions={bilal.pk}").content.decode()
    assert "goes to the earliest person on the waiting list" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(f"{delete}?selected-submissions={bilal.pk}")
    assert response.status_code == 302
    assert not Registration.objects.filter(pk=bilal.pk).exists()
    cemile.refresh_from_db()
    assert cemile.status == RegistrationStatus.CONFIRMED
    # The deleted person is not written to; the promoted one is.
    assert [message.to for message in mailoutbox] == [[PEOPLE["cemile"][1]]]
    assert not OutgoingEmail.objects.filter(registration_id=bilal.pk).exists()
    assert OutgoingEmail.objects.filter(registration=cemile, kind=EmailKind.PROMOTED).exists()

    logged = [(entry.action, entry.user_id, entry.data) for entry in entries(page)]
    assert logged == [
        (
            "forms_app.export_registrations",
            registrar.pk,
            {
                "format": "csv",
                "filters": {"status": "waitlisted"},
                "searched": True,
                "rows": 1,
            },
        ),
        (
            "forms_app.export_registrations",
            registrar.pk,
            {"format": "xlsx", "filters": {}, "searched": False, "rows": 3},
        ),
        ("forms_app.resend_registration_email", registrar.pk, {"registration": alice.pk}),
        (
            "forms_app.cancel_registration",
            registrar.pk,
            {"registration": alice.pk, "promoted": bilal.pk},
        ),
        (
            "forms_app.delete_registrations",
            registrar.pk,
            {"registrations": [bilal.pk], "count": 1, "promoted": [cemile.pk]},
        ),
    ]
    assert_no_personal_data(page)

    # A data-protection officer reads it in the admin: Site history and the form's History.
    dpo = Client()
    dpo.force_login(make_user("dpo", is_superuser=True))
    report = dpo.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    for label in (
        "Export registrations",
        "Resend a registration&#x27;s details",
        "Cancel a registration",
        "Delete registrations",
    ):
        assert label in report, label
    history = dpo.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    html = history.content.decode()
    assert "Exported 1 registration as CSV; filtered by status: waitlisted, a search" in html
    assert (
        f"Deleted 1 registration ({bilal.pk}); moved up from the waiting list: {cemile.pk}" in html
    )
    for name, email in PEOPLE.values():
        assert name not in report and email not in report
        assert name not in html and email not in html


def test_privacy_commands_are_logged_without_the_person(one_seat):
    page, people = one_seat
    bilal_email = PEOPLE["bilal"][1]
    call_command("export_person", bilal_email, stdout=io.StringIO())
    call_command("forget_person", PEOPLE["alice"][1], stdout=io.StringIO())
    assert not Registration.objects.filter(pk=people["alice"].pk).exists()
    people["bilal"].refresh_from_db()
    assert people["bilal"].status == RegistrationStatus.CONFIRMED  # the list moved up

    logged = [(entry.action, entry.user_id, entry.data) for entry in entries(page)]
    assert logged == [
        (
            "forms_app.export_person",
            None,
            {"registrations": [people["bilal"].pk], "count": 1},
        ),
        (
            "forms_app.forget_person",
            None,
            {
                "registrations": [people["alice"].pk],
                "count": 1,
                "promoted": [people["bilal"].pk],
            },
        ),
    ]
    assert_no_personal_data(page)
