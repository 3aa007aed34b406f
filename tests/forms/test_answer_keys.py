"""A question whose answer key is a built-in column's (`status`, `language`, `name`,
`email`, the honeypot `website` …) is an ordinary question: it is on the form, its answer
is stored, and every consumer of the columns (the admin list, the CSV and XLSX exports,
the manage page, the privacy export) shows it next to the built-in value, never over it,
under a heading of its own."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from forms_app.models import Registration
from forms_app.privacy import export_person
from tests.factories.events import EventPageFactory
from tests.factories.forms import RegistrationFormFieldFactory, RegistrationFormPageFactory
from tests.helpers import list_url

# Fixtures: registrar, editor, registrar_client, editor_client.
pytestmark = pytest.mark.django_db

QUESTIONS = [
    # label, field type, choices: each label's clean_name is a built-in column or field.
    ("Status", "radio", "Student\nProfessional"),
    ("Language", "singleline", ""),
    ("Name", "singleline", ""),
    ("Email", "email", ""),
    ("Website", "url", ""),
]


@pytest.fixture
def colliding_form(home):
    """One English form (no translations: languages do not matter here) whose questions'
    answer keys are the built-in columns' and fields' names."""
    start = timezone.now() + dt.timedelta(days=30)
    event = EventPageFactory(
        parent=home, slug="summit", start=start, end=start + dt.timedelta(days=1)
    )
    page = RegistrationFormPageFactory(parent=event, capacity=None)
    for order, (label, field_type, choices) in enumerate(QUESTIONS):
        RegistrationFormFieldFactory(
            page=page, label=label, field_type=field_type, choices=choices, sort_order=order
        )
    return page


def test_colliding_questions_are_asked_stored_and_shown_beside_the_built_in_columns(
    client, registrar_client, colliding_form
):
    page = colliding_form
    assert [field.clean_name for field in page.form_fields.all()] == [
        "status",
        "language",
        "name",
        "email",
        "website",
    ]
    # On the form: every question, none in place of the built-in name, email or honeypot.
    html = client.get(page.url).content.decode()
    for name in ("name", "email", "website", "status", "language"):
        assert f'name="{name}"' in html, name
    for name in ("question-name", "question-email", "question-website"):
        assert f'name="{name}"' in html, name

    response = client.post(
        page.url,
        {
            "name": "Zara Khan",
            "email": "zara@example.org",
            "consent": "on",
            "status": "Student",
            "language": "Kashmiri",
            "question-name": "Zara K.",
            "question-email": "work@example.org",
            "question-website": "https://zara.example.org",
        },
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    registration = Registration.objects.get()  # not taken for the honeypot's robot
    assert (registration.name, registration.email) == ("Zara Khan", "zara@example.org")
    assert (registration.status, registration.language) == ("confirmed", "en")
    assert registration.form_data == {
        "status": "Student",
        "language": "Kashmiri",
        "name": "Zara K.",
        "email": "work@example.org",
        "website": "https://zara.example.org",
    }

    # The columns: unique keys and headings, answers beside the built-in values.
    columns = page.get_data_fields()
    keys = [key for key, _label in columns]
    headings = [label for _key, label in columns]
    assert len(set(keys)) == len(keys) and len(set(headings)) == len(headings)
    data = registration.get_data()
    assert (data["status"], data["language"], data["name"]) == ("Confirmed", "en", "Zara Khan")
    assert set(keys) <= set(data)
    by_heading = dict(zip(headings, (data[key] for key in keys), strict=True))
    assert by_heading["Status"] == "Confirmed"
    assert by_heading["Status (question)"] == "Student"
    assert by_heading["Language (question)"] == "Kashmiri"
    assert by_heading["Name (question)"] == "Zara K."

    # The admin list: its own cell for each, the registration's language still English.
    listing = registrar_client.get(list_url(page)).content.decode()
    assert ">Status (question)<" in listing and ">Language (question)<" in listing
    assert "<td>Student</td>" in listing and "<td>Kashmiri</td>" in listing
    assert '<td lang="en">English</td>' in listing
    assert "registrations-status--confirmed" in listing

    # The CSV export: unique headings, nothing lost or overwritten.
    export = registrar_client.get(list_url(page), {"export": "csv"})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))
    assert len(set(header)) == len(header)
    row = dict(zip(header, row, strict=True))
    assert (row["Status"], row["Status (question)"]) == ("Confirmed", "Student")
    assert (row["Language"], row["Language (question)"]) == ("en", "Kashmiri")
    assert (row["Name"], row["Name (question)"]) == ("Zara Khan", "Zara K.")
    assert (row["Email"], row["Email (question)"]) == ("zara@example.org", "work@example.org")
    assert row["Website"] == "https://zara.example.org"

    # The XLSX export: the same headings.
    export = registrar_client.get(list_url(page), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert [cell.value for cell in next(sheet.iter_rows())] == header

    # The registrant's manage page: their answer to "Status", and their status.
    manage = client.get(page.url + page.reverse_subpage("manage", args=[registration.manage_token]))
    html = manage.content.decode()
    assert "<dt>Status (question)</dt><dd>Student</dd>" in html
    assert "<dt>Name (question)</dt><dd>Zara K.</dd>" in html
    assert "<dt>Language</dt><dd>Kashmiri</dd>" in html  # the page shows no language of its own

    # The privacy export: the answers beside the registration's own status and language.
    (exported,) = export_person("zara@example.org")
    assert (exported["status"], exported["language"]) == ("confirmed", "en")
    assert exported["answers"]["status"] == "Student"
    assert exported["answers"]["language"] == "Kashmiri"
