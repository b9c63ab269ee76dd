"""`armslength restore FILE --yes`: replace the whole database with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from armslength.core.backups import BackupError, restore


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `armslength backup`."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: everything now in the database goes"
        )

    def handle(self, *args, file, yes, **options):
        if not yes:
            raise CommandError(
                "restore replaces everything in the database; run it again with --yes",
                returncode=2,
            )
        if not Path(file).is_file():
            raise CommandError(f"{file}: no such file", returncode=2)
        try:
            restore(Path(file))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"Restored from {file}. Restart the app processes and workers.")
