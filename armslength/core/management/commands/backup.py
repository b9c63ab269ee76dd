"""`armslength backup --out FILE`: a consistent copy of the whole database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from armslength.core.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database (SQLite online backup, or pg_dump on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the backup file to write")

    def handle(self, *args, out, **options):
        try:
            size = backup(Path(out))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"Backed up to {out} ({size / 2**20:.1f} MiB).")
