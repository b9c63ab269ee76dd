"""`armslength report --year Y [--body B] --format html|pdf|csv --out PATH`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from armslength.core.commands import find_body
from armslength.engine.cli import write_atomically
from armslength.reports import render
from armslength.reports.report import build_report


class Command(BaseCommand):
    help = "Write the annual independence report, per body or NPM-wide."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--body", help="one body (id or abbreviation); default NPM-wide")
        parser.add_argument("--format", choices=["html", "pdf", "csv"], default="html")
        parser.add_argument("--out", required=True, help="a file (html, pdf) or a folder (csv)")

    def handle(self, *args, year, body, format, out, **options):
        report = build_report(year, body=find_body(body) if body else None)
        if format == "csv":
            folder = Path(out)
            if folder.exists() and not folder.is_dir():
                raise CommandError(f"--out: {out} is a file; csv needs a folder", returncode=2)
            folder.mkdir(parents=True, exist_ok=True)
            files = render.csv_tables(report)
            for name, text in files.items():
                write_atomically(str(folder / name), text)
            self.stdout.write(f"Wrote {len(files)} tables to {folder}/")
        elif format == "pdf":
            data = render.pdf_bytes(report)
            write_atomically(out, data)
            self.stdout.write(f"Wrote {out} ({len(data) // 1024} KiB)")
        else:
            write_atomically(out, render.html_document(report))
            self.stdout.write(f"Wrote {out}")
        if report.provisional:
            self.stderr.write(
                f"Note: {year} is not frozen for every body; those figures are provisional "
                f"(armslength snapshot --year {year})."
            )
