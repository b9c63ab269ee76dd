"""The annual report on paper, read back with `pdftotext -bbox`: every word inside
the printable area, no page left nearly empty except a section's last, and each
table's headers over their own columns.

The PDF is written to tests/artefacts/ so a person can look at what was checked.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command

from armslength.register.demo import load_demo
from armslength.reports import render
from armslength.reports.report import build_report

ARTEFACTS = Path(__file__).parent / "artefacts"
MM = 72 / 25.4
#: what any office printer can print: the sheet less 8 mm each side
PRINTER_LIMIT = 8 * MM
#: the page's own margins (print.css @page): where body text and figures live
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 18 * MM, 16 * MM, 20 * MM

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext") and not __import__("os").environ.get("CI"),
    reason="poppler-utils (pdftotext) not installed; make test installs it as root",
)


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]


def read_pdf(path: Path) -> list[Page]:
    """Every word with its box, page by page, as `pdftotext -bbox` sees it."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [
            Word(w[4], float(w[0]), float(w[1]), float(w[2]), float(w[3]))
            for w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                r'yMax="([\d.]+)">(.*?)</word>',
                match.group(3),
            )
        ]
        pages.append(Page(float(match.group(1)), float(match.group(2)), words))
    return pages


@pytest.fixture(scope="module")
def demo_report_pdf(django_db_setup, django_db_blocker):
    """The demo's 2026 NPM-wide report as a PDF (and its HTML) in tests/artefacts/."""
    ARTEFACTS.mkdir(exist_ok=True)
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            load_demo(seed=2, today=dt.date(2026, 11, 23))
            call_command(
                "report",
                "--year",
                "2026",
                "--format",
                "pdf",
                "--out",
                str(ARTEFACTS / "report.pdf"),
            )
            report = build_report(2026)
            html = render.html_document(report)
            titles = [s.title for s in report.sections]
            transaction.set_rollback(True)
    (ARTEFACTS / "report.html").write_text(html)
    return ARTEFACTS / "report.pdf", html, titles


@needs_poppler
def test_pdf_report_has_no_word_outside_the_printable_area(demo_report_pdf):
    pages = read_pdf(demo_report_pdf[0])
    assert pages
    for number, page in enumerate(pages, 1):
        for w in page.words:
            inside = (
                w.x0 >= PRINTER_LIMIT
                and w.y0 >= PRINTER_LIMIT
                and w.x1 <= page.width - PRINTER_LIMIT
                and w.y1 <= page.height - PRINTER_LIMIT
            )
            assert inside, (
                f"page {number}: {w.text!r} at {w.x0:.0f},{w.y0:.0f}-{w.x1:.0f},{w.y1:.0f}"
            )


@needs_poppler
def test_pdf_report_pages_are_filled_except_a_sections_last(demo_report_pdf):
    """Each page but a section's last has text or figures over a quarter of its height."""
    pages = read_pdf(demo_report_pdf[0])
    report_sections = demo_report_pdf[2]
    starts = []
    for page in pages:
        body = [w for w in page.words if w.y1 <= page.height - MARGIN_BOTTOM]
        text = " ".join(w.text for w in body[:12])
        starts.append(
            any(
                re.match(rf"{i}\. {re.escape(t.split()[0])}", text)
                for i, t in enumerate(report_sections, 1)
            )
        )
    for number, page in enumerate(pages):
        last_of_section = number + 1 == len(pages) or starts[number + 1]
        if last_of_section:
            continue
        body = [
            w for w in page.words if w.y0 >= MARGIN_TOP - 2 and w.y1 <= page.height - MARGIN_BOTTOM
        ]
        printable = page.height - MARGIN_TOP - MARGIN_BOTTOM
        span = (max(w.y1 for w in body) - min(w.y0 for w in body)) if body else 0
        assert span >= printable / 4, (
            f"page {number + 1} is nearly empty ({span:.0f} of {printable:.0f} pt)"
        )


class _Headers(HTMLParser):
    """Per table: the header cells' alignment class and the first body row's."""

    def __init__(self):
        super().__init__()
        self.tables, self.part = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"head": [], "body": []})
        elif tag in ("thead", "tbody"):
            self.part = tag
        elif tag in ("th", "td") and self.tables:
            cls = "num" in (attrs.get("class") or "").split()
            if self.part == "thead":
                self.tables[-1]["head"].append(cls)
            elif self.part == "tbody" and len(self.tables[-1]["body"]) < len(
                self.tables[-1]["head"]
            ):
                self.tables[-1]["body"].append(cls)


def test_pdf_report_table_headers_sit_over_their_columns(demo_report_pdf):
    """Headers were left-aligned over right-aligned figures."""
    parser = _Headers()
    parser.feed(demo_report_pdf[1])
    checked = 0
    for table in parser.tables:
        if len(table["body"]) == len(table["head"]):
            assert table["head"] == table["body"], table
            checked += 1
    assert checked > 10
