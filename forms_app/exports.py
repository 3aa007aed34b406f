"""CSV and XLSX exports of a form's registrations.

Built on Wagtail's `SpreadsheetExportMixin` (which `SubmissionsListView` already mixes in):
`RegistrationExportMixin` only replaces what is wrong or wasteful for registrations:

- CSV starts with a UTF-8 byte-order mark, so Excel reads Turkish and Urdu text as UTF-8;
- every CSV cell that a spreadsheet would read as a formula (starting with `=`, `+`, `-`,
  `@`, a tab or a carriage return) is prefixed with `'` (CSV injection). In XLSX the value
  is kept as typed but stored as a *string* cell (Wagtail turns cells openpyxl detects as
  formulas back into strings), and characters XML cannot hold are dropped;
- rows are read with `QuerySet.iterator()` and the CSV is streamed, so 50,000
  registrations never sit in memory at once (Wagtail's export loops over the queryset,
  which caches every row); the XLSX workbook is written in openpyxl's write-only mode to a
  spooled temporary file;
- headings and status names are in the source page's language, whatever the admin user's
  language, and times are in the event's time zone (named in the heading); every heading
  is distinct (a question labelled "Status" is "Status (question)" next to the built-in
  status column, see `answers.distinct_labels`); answers read as in the registrations list
  (`answers.answer_text`);
- control characters and bidi controls are removed from text cells (registrations made
  before the form cleaned its input may hold them);
- every export is written to the audit log (`forms_app.audit`): who, which format, the
  filters and the number of rows (counted as the CSV streams).
"""

import csv
import datetime
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import audit
from .answers import answer_text, distinct_labels
from .forms import clean_text

# A cell beginning with one of these is a formula (or becomes one) in Excel, LibreOffice
# and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
ROWS_PER_QUERY = 2000


def neutralise(text):
    """Make a CSV cell inert: prefix a `'` to text a spreadsheet would run as a formula."""
    if isinstance(text, str) and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def xlsx_safe(text):
    """Drop the control characters an XLSX (XML) file cannot contain; openpyxl would
    raise IllegalCharacterError on them and turn the export into a server error."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text) if isinstance(text, str) else text


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer streaming."""

    def write(self, value):
        return value


class RegistrationExportMixin:
    """Mix in before `SubmissionsListView`. The view provides `form_page` (the source form
    page), `time_zone` (a ZoneInfo) and `get_queryset()` (filters and search applied)."""

    export_chunk_size = ROWS_PER_QUERY

    # Columns ----------------------------------------------------------------------------
    def export_language(self):
        return self.form_page.locale.language_code

    def prepare_export(self):
        """Headings and value labels, evaluated once in the source language."""
        with translation.override(self.export_language()):
            data_fields = self.form_page.get_data_fields()
            self.list_export = [name for name, _label in data_fields]
            zone_name = str(self.time_zone)
            headings = distinct_labels(
                f"{label} ({zone_name})" if name == "submit_time" else label
                for name, label in data_fields
            )
            self.export_headings = dict(zip(self.list_export, headings, strict=True))
            field = self.form_page.get_submission_class()._meta.get_field("status")
            self.status_labels = {value: str(label) for value, label in field.choices}
            self.yes_label = gettext("Yes")
            # Excel limits sheet names to 31 characters.
            self.sheet_title = gettext("Registrations")[:31]

    def get_heading(self, queryset, field):
        return self.export_headings.get(field, field)

    def get_filename(self):
        return "{}-registrations-{}".format(
            self.form_page.slug or f"form-{self.form_page.pk}",
            timezone.localtime(timezone.now(), self.time_zone).strftime("%Y-%m-%d"),
        )

    # Rows -------------------------------------------------------------------------------
    def to_row_dict(self, item):
        data = item.get_data(status_label=self.status_labels.get(item.status, item.status))
        return {field: self.plain_value(data.get(field)) for field in self.list_export}

    def plain_value(self, value):
        """A cell value: text, a number, or a naive datetime in the event's time zone."""
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value, self.time_zone)
            return value.replace(tzinfo=None, microsecond=0)
        value = answer_text(value, yes=self.yes_label)
        if isinstance(value, (int, float)):
            return value
        return clean_text(str(value), multiline=True)

    def iterate(self, queryset):
        if hasattr(queryset, "iterator"):
            return queryset.iterator(chunk_size=self.export_chunk_size)
        return iter(queryset)

    # CSV --------------------------------------------------------------------------------
    def csv_cell(self, value):
        if isinstance(value, datetime.datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return neutralise(value)

    def stream_csv(self, queryset, log_entry=None):
        writer = csv.writer(_Echo())
        headings = [self.get_heading(queryset, field) for field in self.list_export]
        rows = 0
        try:
            yield BOM + writer.writerow([neutralise(heading) for heading in headings])
            for item in self.iterate(queryset):
                row = self.to_row_dict(item)
                yield writer.writerow([self.csv_cell(row[field]) for field in self.list_export])
                rows += 1
        finally:
            # Also when the download is cut off: the rows sent so far.
            if log_entry is not None:
                log_entry.data["rows"] = rows
                type(log_entry).objects.filter(pk=log_entry.pk).update(data=log_entry.data)

    # Audit ------------------------------------------------------------------------------
    def log_export(self, file_format, rows=None):
        """Write the export to the audit log: who, the format, the filters, and the number
        of rows (None until a streamed CSV is finished). The view provides
        `export_filters()` -> (filters, searched)."""
        filters, searched = self.export_filters()
        return audit.record(
            self.form_page,
            audit.EXPORTED,
            user=self.request.user,
            format=file_format,
            filters=filters,
            searched=searched,
            rows=rows,
        )

    def write_csv_response(self, queryset):
        # Logged before the first row leaves; the count is added when the stream ends.
        log_entry = self.log_export("csv")
        response = StreamingHttpResponse(
            self.stream_csv(queryset, log_entry), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        response["Cache-Control"] = "no-store"
        return response

    # XLSX -------------------------------------------------------------------------------
    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(title=self.sheet_title)
        headings = []
        for field in self.list_export:
            cell = WriteOnlyCell(worksheet, xlsx_safe(self.get_heading(queryset, field)))
            cell.data_type = "s"
            headings.append(cell)
        worksheet.append(headings)
        rows = 0
        for item in self.iterate(queryset):
            row = {field: xlsx_safe(value) for field, value in self.to_row_dict(item).items()}
            # Wagtail's row writer stores anything openpyxl takes for a formula as a
            # string cell, and formats datetimes.
            worksheet.append(
                self.generate_xlsx_row(worksheet, row, date_format="yyyy-mm-dd hh:mm:ss")
            )
            rows += 1
        workbook.save(output)
        return rows

    def write_xlsx_response(self, queryset):
        # Closed by FileResponse once sent.
        output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
        rows = self.write_xlsx(queryset, output)
        self.log_export("xlsx", rows)
        output.seek(0)
        response = FileResponse(
            output,
            as_attachment=True,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{self.get_filename()}.xlsx",
        )
        response["Cache-Control"] = "no-store"
        return response
