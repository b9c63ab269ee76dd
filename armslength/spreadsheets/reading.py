"""Reading a CSV or XLSX file into a header and numbered rows.

Row numbers are the ones a person sees in their spreadsheet (the header is
row 1), so an error message points at the right line. Blank rows are skipped
but keep their numbers.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
#: rows read at most, blank ones included: a 7.5 MB workbook of 3 million blank rows
#: once took 16 s to read (issue 12, finding 6)
MAX_READ_ROWS = 2 * MAX_ROWS
#: what a workbook's parts may add up to, unpacked (a zip bomb declares gigabytes;
#: a 20 MB workbook of 50,000 full rows unpacks to about 200 MB)
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
#: no register record has more columns than this; a 100,000-column header once made
#: the column-matching page 87 MB and held a worker past its timeout (issue 12, finding 6)
MAX_COLUMNS = 200
#: the longest cell read (a note is a few hundred characters)
MAX_CELL = 10_000
#: text files start with none of these (PNG, GIF, JPEG, PDF, gzip, ELF…)
BINARY_SIGNATURES = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"\x1f\x8b", b"\x7fELF")
XLSX_SIGNATURE = b"PK\x03\x04"


class ReadError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, too big)."""


def too_many_rows() -> str:
    return _("The file has more than %(n)s rows, blank ones included; the limit is %(n)s.") % {
        "n": f"{MAX_READ_ROWS:,}"
    }


#: progress(done, total), in whatever units the reader counts (characters, rows)
Progress = Callable[[int, int], None]


@dataclass
class Sheet:
    header: list[str]
    rows: list[tuple[int, list[object]]]  # (spreadsheet row number, cells)


def file_format(name: str, head: bytes) -> str:
    """csv or xlsx, from the content as much as the name; anything else is refused."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        if not head.startswith(XLSX_SIGNATURE):
            raise ReadError(_("The file is named .xlsx but is not an Excel workbook."))
        return "xlsx"
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        if head.startswith((XLSX_SIGNATURE, *BINARY_SIGNATURES)) or b"\x00" in head[:8]:
            raise ReadError(_("The file is named .csv but is not text."))
        return "csv"
    raise ReadError(_("Upload a .csv or .xlsx file."))


def read_sheet(data: bytes, name: str, progress: Progress | None = None) -> Sheet:
    if len(data) > MAX_BYTES:
        raise ReadError(
            _("The file is larger than the limit of %(mb)d MB.") % {"mb": MAX_BYTES // 2**20}
        )
    fmt = file_format(name, data[:8192])
    report = progress or (lambda done, total: None)
    rows = _bounded(_xlsx_rows(data, report) if fmt == "xlsx" else _csv_rows(data, report))
    try:
        header = next(rows)
    except StopIteration:
        raise ReadError(_("The file is empty: the first row must name the columns.")) from None
    header = ["" if h is None else str(h).strip() for h in header]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise ReadError(_("The first row must name the columns."))
    seen = set()
    for title in header:
        if title and title.lower() in seen:
            raise ReadError(
                _("The column %(title)s appears twice in the first row.") % {"title": repr(title)}
            )
        seen.add(title.lower())
    numbered = []
    for number, cells in enumerate(rows, start=2):
        cells = list(cells)[: len(header)]
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        numbered.append((number, cells + [None] * (len(header) - len(cells))))
        if len(numbered) > MAX_ROWS:
            raise ReadError(
                _("The file has more than the limit of %(n)s rows; split it.")
                % {"n": f"{MAX_ROWS:,}"}
            )
    return Sheet(header, numbered)


def _bounded(rows):
    """Rows checked while they are read: columns, cell length, and the csv module's own
    field limit (a cell over 131,072 characters was a 500), each refusal naming the limit."""
    blank: tuple = ()
    try:
        for number, cells in enumerate(rows, start=1):
            if number > MAX_READ_ROWS:
                raise ReadError(too_many_rows())
            cells = tuple(cells)
            if cells is blank:  # openpyxl fills a run of missing rows with one tuple
                cells = ()
            elif cells.count(None) + cells.count("") == len(cells):
                blank, cells = cells, ()  # a blank row, found at C speed
            else:
                end = len(cells)  # trailing empty cells dropped
                while cells[end - 1] is None or cells[end - 1] == "":
                    end -= 1
                cells = cells[:end]
            if len(cells) > MAX_COLUMNS:
                raise ReadError(
                    _("Row %(row)s has %(n)s columns; the limit is %(limit)s.")
                    % {"row": number, "n": f"{len(cells):,}", "limit": MAX_COLUMNS}
                )
            for column, cell in enumerate(cells, start=1):
                if isinstance(cell, str) and len(cell) > MAX_CELL:
                    raise ReadError(
                        _(
                            "Row %(row)s, column %(column)s: a cell longer than the limit of "
                            "%(limit)s characters."
                        )
                        % {"row": number, "column": column, "limit": f"{MAX_CELL:,}"}
                    )
            yield cells
    except csv.Error as exc:
        # Python's own words ("field larger than field limit (131072)") mean nothing to a
        # manager and name a limit that is not ours: say which of ours, or what is wrong
        if "field limit" in str(exc):
            raise ReadError(
                _("A cell is longer than the limit of %(limit)s characters.")
                % {"limit": f"{MAX_CELL:,}"}
            ) from None
        raise ReadError(
            _("The file cannot be read as CSV: a row is malformed (for example a quote left open).")
        ) from None


#: how often (in rows) a reader reports its progress
PROGRESS_EVERY = 1000


def _csv_rows(data: bytes, progress: Progress):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # what Excel on Windows saves
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    stream = io.StringIO(text, newline="")
    total = len(text)
    for number, row in enumerate(csv.reader(stream, dialect), start=1):
        if number % PROGRESS_EVERY == 0:
            progress(stream.tell(), total)
        yield row
    progress(total, total)


def _xlsx_rows(data: bytes, progress: Progress):
    from openpyxl import load_workbook

    _check_unpacked(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # what the sheet says it spans, for progress only; then forgotten, so a declared
        # range of a million rows or 16,384 columns is not padded out row by row
        declared = sheet.max_row or 0
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ReadError(_("The workbook cannot be read: %(why)s") % {"why": exc}) from None
    number = 0
    try:
        for number, row in enumerate(rows, start=1):
            if number % PROGRESS_EVERY == 0:
                progress(number, max(declared, number))
            yield row
    except ReadError:
        raise
    except Exception as exc:  # a damaged sheet part, found while reading it
        raise ReadError(_("The workbook cannot be read: %(why)s") % {"why": exc}) from None
    progress(number, number)


def _check_unpacked(data: bytes) -> None:
    """Refuse a workbook by what its parts declare, before any is inflated (a zip bomb),
    and by its number of row elements, counted at C speed before openpyxl parses one
    (a worksheet of 3 million empty `<row/>` elements took openpyxl minutes to walk)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
                raise ReadError(
                    _("The workbook unpacks to more than the limit of %(mb)d MB.")
                    % {"mb": MAX_UNPACKED_BYTES // 2**20}
                )
            for part in parts:
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    _count_rows(archive, part)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
        raise ReadError(_("The file is named .xlsx but is not an Excel workbook.")) from None


def _count_rows(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Stop at the first row element past MAX_READ_ROWS, inflating no further."""
    rows, tail = 0, b""
    with archive.open(part) as sheet:
        while chunk := sheet.read(1024 * 1024):
            text = tail + chunk
            # <row …>, <row>, or with a namespace prefix, <x:row …>
            rows += sum(text.count(tag) for tag in (b"<row ", b"<row>", b":row ", b":row>"))
            if rows > MAX_READ_ROWS:
                raise ReadError(too_many_rows())
            # a tag cut in two by the chunk is counted in the next one, not twice
            cut = max(text.rfind(b"<"), len(text) - 6)
            rows -= sum(text[cut:].count(t) for t in (b"<row ", b"<row>", b":row ", b":row>"))
            tail = text[cut:]
