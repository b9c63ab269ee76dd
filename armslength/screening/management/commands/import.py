"""`armslength import FILE [--kind dataset] [--body B] [--dry-run]`: all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from armslength.engine.cli import InputError, read_json
from armslength.screening.dataset_io import ImportFailed, import_document


class Command(BaseCommand):
    help = "Import a register (dataset JSON): every record is checked first; nothing is "
    help += "written unless all of it is valid."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--kind",
            default="dataset",
            choices=["dataset"],
            help="what the file holds (dataset: a whole register as JSON)",
        )
        parser.add_argument("--body", help="the body the records belong to (id or abbreviation)")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args, file, kind, body, dry_run, **options):
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
