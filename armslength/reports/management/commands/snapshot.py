"""`armslength snapshot --year Y [--body B] [--retake]`: freeze a reporting year."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from armslength.core.commands import find_body
from armslength.reports.services import SnapshotExists, snapshot_take


class Command(BaseCommand):
    help = "Freeze each body's figures for a reporting year (UK-10, UK-16)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--body", help="only this body (id or abbreviation); default all")
        parser.add_argument(
            "--retake",
            action="store_true",
            help="replace a year already frozen (the audit trail keeps the old figures)",
        )

    def handle(self, *args, year, body, retake, **options):
        bodies = [find_body(body)] if body else None
        try:
            taken = snapshot_take(year=year, bodies=bodies, retake=retake)
        except SnapshotExists as exc:
            raise CommandError(str(exc), returncode=2) from None
        except ValueError as exc:
            raise CommandError(f"--year: {exc}", returncode=2) from None
        for snap in taken:
            people = snap.figures["people"]
            self.stdout.write(
                f"{snap.body.abbreviation:>10} {year}: {people['headcount']} people on NPM work, "
                f"{people['fte']} FTE, secondees {snap.figures['secondees']['fte']} FTE"
            )
        self.stdout.write(f"Froze {year} for {len(taken)} bodies, as at {taken[0].as_of}.")
