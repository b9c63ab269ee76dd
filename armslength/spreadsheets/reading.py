"""Reading a CSV or XLSX file into a header and numbered rows.

Row numbers are the ones a person sees in their spreadsheet (the header is
row 1), so an error message points at the right line. Blank rows are skipped
but keep their numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
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


@dataclass
class Sheet:
    header: list[str]
    rows: list[tuple[int, list[object]]]  # (spreadsheet row number, cells)


def file_format(name: str, head: bytes) -> str:
    """csv or xlsx, from the content as much as the name; anything else is refused."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        if not head.startswith(XLSX_SIGNATURE):
            raise ReadError("The file is named .xlsx but is not an Excel workbook.")
        return "xlsx"
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        if head.startswith((XLSX_SIGNATURE, *BINARY_SIGNATURES)) or b"\x00" in head[:8]:
            raise ReadError("The file is named .csv but is not text.")
        return "csv"
    raise ReadError("Upload a .csv or .xlsx file.")


def read_sheet(data: bytes, name: str) -> Sheet:
    if len(data) > MAX_BYTES:
        raise ReadError(f"The file is larger than {MAX_BYTES // 2**20} MB.")
    fmt = file_format(name, data[:8192])
    rows = _bounded(_xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data))
    try:
        header = next(rows)
    except StopIteration:
        raise ReadError("The file is empty: the first row must name the columns.") from None
    header = ["" if h is None else str(h).strip() for h in header]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise ReadError("The first row must name the columns.")
    seen = set()
    for title in header:
        if title and title.lower() in seen:
            raise ReadError(f"The column {title!r} appears twice in the first row.")
        seen.add(title.lower())
    numbered = []
    for number, cells in enumerate(rows, start=2):
        cells = list(cells)[: len(header)]
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        numbered.append((number, cells + [None] * (len(header) - len(cells))))
        if len(numbered) > MAX_ROWS:
            raise ReadError(f"The file has more than {MAX_ROWS:,} rows; split it.")
    return Sheet(header, numbered)


def _bounded(rows):
    """Rows checked while they are read: columns, cell length, and the csv module's own
    field limit (a cell over 131,072 characters was a 500), each refusal naming the limit."""
    try:
        for number, cells in enumerate(rows, start=1):
            cells = tuple(cells)
            while cells and (cells[-1] is None or cells[-1] == ""):
                cells = cells[:-1]
            if len(cells) > MAX_COLUMNS:
                raise ReadError(
                    f"Row {number} has {len(cells):,} columns; the limit is {MAX_COLUMNS}."
                )
            for column, cell in enumerate(cells, start=1):
                if isinstance(cell, str) and len(cell) > MAX_CELL:
                    raise ReadError(
                        f"Row {number}, column {column}: a cell longer than the limit of "
                        f"{MAX_CELL:,} characters."
                    )
            yield cells
    except csv.Error as exc:
        raise ReadError(
            f"A cell is longer than the limit of {MAX_CELL:,} characters ({exc})."
        ) from None


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # what Excel on Windows saves
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return iter(csv.reader(io.StringIO(text, newline=""), dialect))


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ReadError(f"The workbook cannot be read: {exc}") from None
    sheet = book.worksheets[0]
    return iter(sheet.iter_rows(values_only=True))
