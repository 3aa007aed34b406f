"""CSV and XLSX exports of registrations: Excel-friendly UTF-8, no formula injection,
source-language headings, event-time-zone times, filters respected, rows streamed."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from forms_app.exports import neutralise
from tests.helpers import list_url, moment, register

# Fixtures: registrar, editor, registrar_client, editor_client.
pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x")'
TURKISH = "Ağrı Güneşoğlu Şıröç İnal"


@pytest.fixture
def exported(form_in):
    """Registrations with hostile and Turkish text, in three languages."""
    register(
        form_in("tr"),
        TURKISH,
        "agri@example.org",
        at=moment(10, 21, 30),
        answers={
            "country_of_residence": "Türkiye",
            "area_of_work": ["Social media", "Academic work"],
            "attending_in_person": "Yes",
        },
    )
    register(
        form_in("en"),
        HYPERLINK,
        "formula@example.org",
        at=moment(11),
        answers={"country_of_residence": "+90 Istanbul", "attending_in_person": "No"},
    )
    register(
        form_in("ur"),
        "Bilal Ahmed",
        "bilal@example.org",
        at=moment(12),
        answers={"country_of_residence": "@SUM(1)", "attending_in_person": "Yes"},
    )
    return form_in("en")


def csv_rows(response):
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), body[:10]
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_neutralise():
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(dangerous) == "'" + dangerous
    for harmless in ("Ali", " =1", "1-1", "", "x=1"):
        assert neutralise(harmless) == harmless


def test_csv_has_a_bom_inert_formulas_turkish_letters_and_local_times(
    registrar_client, registrar, exported
):
    # A Turkish-speaking manager still gets the source language's headings.
    profile = UserProfile.get_for_user(registrar)
    profile.preferred_language = "tr"
    profile.save()
    listing = registrar_client.get(list_url(exported)).content.decode()
    assert ">Durum<" in listing  # the premise: the admin speaks Turkish to this manager
    response = registrar_client.get(list_url(exported), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="register-registrations-' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header == [
        "Registered at (Europe/Istanbul)",
        "Name",
        "Email",
        "Status",
        "Language",
        "Country of residence",
        "Area of work",
        "Attending in person",
    ]
    by_email = {row[2]: row for row in rows}
    assert list(by_email) == ["agri@example.org", "formula@example.org", "bilal@example.org"]

    turkish = by_email["agri@example.org"]
    assert turkish[0] == "2026-01-11 00:30:00"  # 21:30 UTC on the 10th, in Istanbul
    assert turkish[1] == TURKISH
    assert turkish[3:] == [
        "Confirmed",
        "tr",
        "Türkiye",
        "Social media, Academic work",
        "Yes",
    ]
    assert by_email["formula@example.org"][1] == "'" + HYPERLINK
    assert by_email["formula@example.org"][5] == "'+90 Istanbul"
    assert by_email["bilal@example.org"][5] == "'@SUM(1)"


def test_xlsx_keeps_formulas_as_text_cells(registrar_client, exported):
    response = registrar_client.get(list_url(exported), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]][:6] == [
        "Registered at (Europe/Istanbul)",
        "Name",
        "Email",
        "Status",
        "Language",
        "Country of residence",
    ]
    by_email = {row[2].value: row for row in rows[1:]}
    formula_name = by_email["formula@example.org"][1]
    assert formula_name.value == HYPERLINK
    assert formula_name.data_type == "s"
    assert by_email["bilal@example.org"][5].data_type == "s"
    assert by_email["agri@example.org"][1].value == TURKISH
    registered_at = by_email["agri@example.org"][0].value
    assert registered_at.strftime("%Y-%m-%d %H:%M") == "2026-01-11 00:30"


def test_xlsx_drops_characters_xml_cannot_hold(registrar_client, form_in):
    register(form_in("en"), "Bell\x07 Tab\x0b", "bell@example.org")
    response = registrar_client.get(list_url(form_in("en")), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=2, column=2).value == "Bell Tab"


def test_exports_follow_the_lists_filters(registrar_client, exported):
    response = registrar_client.get(list_url(exported), {"export": "csv", "language": "ur"})
    _header, *rows = csv_rows(response)
    assert [row[2] for row in rows] == ["bilal@example.org"]
    response = registrar_client.get(list_url(exported), {"export": "xlsx", "q": "agri@"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["agri@example.org"]


def test_csv_reads_rows_while_streaming_with_flat_queries(registrar_client, form_in):
    """The CSV is streamed from `QuerySet.iterator()`: the rows are read while the
    response is consumed (not while the view runs), the same few queries for 4 or 24."""
    form_page = form_in("en")
    form_page.capacity = None
    form_page.save()

    def export():
        with CaptureQueriesContext(connection) as view_queries:
            response = registrar_client.get(list_url(form_page), {"export": "csv"})
        with CaptureQueriesContext(connection) as stream_queries:
            rows = csv_rows(response)
        # The view itself never reads the registrations; the stream does.
        assert not [q for q in view_queries if 'FROM "forms_app_registration"' in q["sql"]]
        assert [q for q in stream_queries if 'FROM "forms_app_registration"' in q["sql"]]
        return len(rows) - 1, len(view_queries), len(stream_queries)

    for number in range(4):
        register(form_in(("en", "tr", "ur")[number % 3]), f"P{number}", f"p{number}@x.org")
    few = export()
    for number in range(4, 24):
        register(form_in(("en", "tr", "ur")[number % 3]), f"P{number}", f"p{number}@x.org")
    many = export()
    assert (few[0], many[0]) == (4, 24)
    assert few[1:] == many[1:], (few, many)
    assert many[2] <= 2  # the registrations, read while streaming
