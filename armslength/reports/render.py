"""The report as HTML, PDF and CSV, all drawn from one `Report`."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from armslength.core.exports import CsvWriter
from armslength.reports.report import Report, csv_value

PRINT_CSS = Path(__file__).with_name("print.css")


def html_document(report: Report) -> str:
    """A self-contained page (styles and charts inline): the PDF's source, the HTML export."""
    return render_to_string(
        "reports/report_print.html",
        {"report": report, "css": PRINT_CSS.read_text(), "generated": timezone.localdate()},
    )


def pdf_bytes(report: Report) -> bytes:
    # Imported here: WeasyPrint loads Pango on import, which only report pages need.
    from weasyprint import HTML

    return HTML(string=html_document(report)).write_pdf()


def csv_tables(report: Report) -> dict[str, str]:
    """One CSV text per table, named `<section>-<table>.csv`."""
    files = {}
    for section, table in report.tables():
        out = io.StringIO()
        writer = CsvWriter(out)
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([csv_value(v) for v in row])
        files[f"{section.key}-{table.key}.csv"] = out.getvalue()
    return files


def csv_zip(report: Report) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_tables(report).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def file_stem(report: Report) -> str:
    scope = report.body.abbreviation if report.body else "npm"
    return re.sub(r"[^a-z0-9]+", "-", f"independence-report-{scope}-{report.year}".lower())
