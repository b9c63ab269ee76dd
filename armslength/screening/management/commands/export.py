"""`armslength export --format dataset [--body B] --out FILE`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from armslength.core import access_log
from armslength.core.commands import find_body, require_migrated
from armslength.engine.cli import write_atomically
from armslength.register.models import Person
from armslength.screening.dataset_io import export_document


class Command(BaseCommand):
    help = "Export the register (the dataset format carries everything the engine needs)."

    def add_arguments(self, parser):
        parser.add_argument("--format", default="dataset", choices=["dataset"])
        parser.add_argument("--kind", help="(with csv/xlsx) which records")
        parser.add_argument("--body", help="only this body's people (id or abbreviation)")
        parser.add_argument("--as-of", help="the date screening asks about (default today)")
        parser.add_argument("--out", required=True)
        parser.add_argument(
            "--include-special-category",
            action="store_true",
            help="also export ethnicity and minority status (special-category data)",
        )

    def handle(self, *args, format, kind, body, as_of, out, include_special_category, **options):
        require_migrated()
        people = None
        if body:
            people = Person.objects.filter(body=find_body(body))
        try:
            day = timezone.datetime.fromisoformat(as_of).date() if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of: {as_of!r} is not an ISO date", returncode=2) from None
        document = export_document(
            day, people=people, include_special_category=include_special_category
        )
        if include_special_category:  # the operator's explicit flag, logged per person
            exported = Person.objects.filter(key__in=[p["id"] for p in document["people"]])
            access_log.special_category_exported(exported, where="armslength export")
        write_atomically(out, json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        self.stdout.write(
            f"Exported {len(document['people'])} people, {len(document['establishments'])} "
            f"establishments and {len(document['affiliations'])} declarations to {out}"
        )
