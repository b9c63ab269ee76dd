"""`armslength subject_access --person KEY --out FILE`: everything held about one person."""

from django.core.management.base import BaseCommand, CommandError

from armslength.core import access_log
from armslength.engine.cli import write_atomically
from armslength.register.models import Person
from armslength.register.privacy import subject_access_json


class Command(BaseCommand):
    help = "Export everything held about one person (a subject access request), as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--person", required=True, help="the person's key")
        parser.add_argument("--out", required=True)
        parser.add_argument(
            "--include-special-category",
            action="store_true",
            help="also their ethnicity and minority status (for the person only; logged)",
        )

    def handle(self, *args, person, out, include_special_category, **options):
        found = Person.objects.filter(key=person).first()
        if found is None:
            raise CommandError(f"--person: no person with key {person!r}", returncode=2)
        if include_special_category:
            access_log.special_category_exported([found], where="armslength subject_access")
        write_atomically(out, subject_access_json(found, special_category=include_special_category))
        self.stdout.write(f"Wrote everything held about {found.key} to {out}")
