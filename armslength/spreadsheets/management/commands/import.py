"""`armslength import FILE [--kind dataset|people|...] [--body B] [--dry-run]`: all or nothing.

A dataset (JSON, the engine's format) carries a whole register; a CSV or XLSX
file carries one kind of record, in the template's columns (or in the columns
the body's managers matched in the web app last time).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from armslength.core.commands import find_body
from armslength.engine.cli import InputError, read_json
from armslength.screening.dataset_io import ImportFailed, import_document
from armslength.spreadsheets.columns import BODY_KINDS, KINDS
from armslength.spreadsheets.importer import ImportRejected, Mapping, import_sheet
from armslength.spreadsheets.models import ColumnMapping
from armslength.spreadsheets.reading import ReadError, read_sheet

#: errors printed before "... and N more"
SHOWN = 200


class Command(BaseCommand):
    help = "Import records: every row is checked first; nothing is written unless all is valid."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--kind",
            default="dataset",
            choices=["dataset", *KINDS],
            help="what the file holds (dataset: a whole register as JSON; the others: CSV/XLSX)",
        )
        parser.add_argument("--body", help="the body the records belong to (id or abbreviation)")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args, file, kind, body, dry_run, **options):
        if kind == "dataset":
            return self._dataset(file, body, dry_run)
        return self._spreadsheet(file, kind, body, dry_run)

    def _spreadsheet(self, file: str, kind_key: str, body_ref: str | None, dry_run: bool):
        kind = KINDS[kind_key]
        body = find_body(body_ref) if body_ref else None
        if kind.key in BODY_KINDS and body is None:
            raise CommandError(f"--body: {kind.label.lower()} belong to a body", returncode=2)
        try:
            sheet = read_sheet(Path(file).read_bytes(), file)
        except (OSError, ReadError) as exc:
            raise CommandError(f"{file}: {exc}", returncode=2) from None
        saved = ColumnMapping.objects.filter(body=body, kind=kind.key).first()
        columns = Mapping.guess(kind, sheet.header, saved.columns if saved else None)
        try:
            plan = import_sheet(kind, sheet, columns, body=body, dry_run=dry_run)
        except ImportRejected as exc:
            errors = exc.plan.errors
            lines = [str(e) for e in errors[:SHOWN]]
            if len(errors) > SHOWN:
                lines.append(f"... and {len(errors) - SHOWN} more")
            lines.append(f"{len(errors)} errors; nothing was imported.")
            raise CommandError("\n".join(lines), returncode=2) from None
        counts = plan.summary()
        for warning in plan.warnings[:SHOWN]:
            self.stderr.write(f"warning: {warning}")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {len(sheet.rows)} rows of {kind.label.lower()}: {counts['new']} new, "
            f"{counts['update']} updated, {counts['unchanged']} unchanged"
        )

    def _dataset(self, file: str, body: str | None, dry_run: bool):
        try:
            document = read_json(file)
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if body:
            self._check_body(document, body)
        try:
            report = import_document(document, dry_run=dry_run, today=timezone.localdate())
        except ImportFailed as exc:
            raise CommandError(str(exc), returncode=2) from None
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb}: {report.summary()}")

    def _check_body(self, document, body: str) -> None:
        wanted = body.lower()
        for i, person in enumerate(document.get("people") or []):
            if str(person.get("body", "")).lower() != wanted:
                raise CommandError(
                    f"people[{i}].body: {person.get('body')!r} is not the body {body!r} "
                    "given with --body",
                    returncode=2,
                )
