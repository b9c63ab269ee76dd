"""Tables out of the app as CSV or XLSX: one function every export goes through.

Callers pass rows they have already scoped with `core.access` and filtered as
the page shows them; this module only chooses the format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def requested_format(request) -> str | None:
    fmt = request.GET.get("export")
    return fmt if fmt in FORMATS else None


def export_response(fmt: str, stem: str, header: list[str], rows: Iterable) -> HttpResponse:
    if fmt == "xlsx":
        return _xlsx_response(stem, header, rows)
    return _csv_response(stem, header, rows)


#: what a spreadsheet reads as the start of a formula (OWASP "CSV injection")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutral_text(value) -> str:
    """Text a spreadsheet shows as written: one that starts like a formula gets a `'`.

    `=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)` in a name or a note would otherwise
    run when a colleague opens the export (issue 12, finding 7). A plain number
    ("-3", "12.5") cannot be a formula and stays as it is.
    """
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_PREFIXES and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class CsvWriter:
    """The one CSV writer of the app: every cell through `neutral_text`."""

    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable):
        return self._writer.writerow([neutral_text(v) for v in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


class _Echo:
    def write(self, value):
        return value


def _csv_response(stem: str, header: list[str], rows: Iterable) -> StreamingHttpResponse:
    """Streamed, so a national register exports without holding it in memory."""
    writer = CsvWriter(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


def _xlsx_response(stem: str, header: list[str], rows: Iterable) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(stem[:31])
    bold = Font(bold=True)
    heading = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


def xlsx_value(value):
    """Dates stay dates (a spreadsheet sorts them); text that looks like a formula stays text."""
    if value is None or isinstance(value, bool | int | float | dt.date):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    return neutral_text(value)  # never let a cell run as a formula (CSV/XLSX injection)
