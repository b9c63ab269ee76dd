"""`armslength subject_access --person KEY --out FILE`: everything held about one person."""

from django.core.management.base import BaseCommand, CommandError

from armslength.engine.cli import write_atomically
from armslength.register.models import Person
from armslength.register.privacy import subject_access_json


class Command(BaseCommand):
    help = "Export everything held about one person (a subject access request), as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--person", required=True, help="the person's key")
        parser.add_argument("--out", required=True)

    def handle(self, *args, person, out, **options):
        found = Person.objects.filter(key=person).first()
        if found is None:
            raise CommandError(f"--person: no person with key {person!r}", returncode=2)
        write_atomically(out, subject_access_json(found))
        self.stdout.write(f"Wrote everything held about {found.key} to {out}")
