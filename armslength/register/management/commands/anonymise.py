"""`armslength anonymise [--dry-run]`: forget people who left before the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand

from armslength.register.privacy import anonymise, due_for_erasure, retention_cutoff


class Command(BaseCommand):
    help = "Anonymise people who left before the retention period (PERSON_RETENTION_YEARS)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list them; change nothing")

    def handle(self, *args, dry_run, **options):
        due = list(due_for_erasure().select_related("body"))
        cutoff = retention_cutoff()
        self.stdout.write(
            f"{len(due)} people left before {cutoff} "
            f"({settings.PERSON_RETENTION_YEARS} years' retention)."
        )
        for person in due:
            self.stdout.write(f"  {person.body.abbreviation:>8} {person.key} (left {person.left})")
            if not dry_run:
                anonymise(person)
        if due and not dry_run:
            self.stdout.write(f"Anonymised {len(due)}.")
