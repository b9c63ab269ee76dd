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
        if head.startswith(XLSX_SIGNATURE) or b"\x00" in head:
            raise ReadError("The file is named .csv but is not text.")
        return "csv"
    raise ReadError("Upload a .csv or .xlsx file.")


def read_sheet(data: bytes, name: str) -> Sheet:
    if len(data) > MAX_BYTES:
        raise ReadError(f"The file is larger than {MAX_BYTES // 2**20} MB.")
    fmt = file_format(name, data[:8])
    rows = _xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data)
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
