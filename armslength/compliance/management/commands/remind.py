"""`armslength remind [--dry-run]`: the daily reminder digests (run it from cron).

0 7 * * *  cd /opt/armslength && ./venv/bin/armslength remind
"""

from django.core.management.base import BaseCommand

from armslength.compliance.services import reminders_send


class Command(BaseCommand):
    help = "Email each owner one digest of what falls due within 14 days or is overdue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be sent; send and write nothing"
        )

    def handle(self, *args, dry_run, **options):
        digests = reminders_send(dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        for digest in digests:
            self.stdout.write(
                f"{verb} to {digest.user.email} ({digest.user.username}): "
                f"{len(digest.items)} item(s)"
            )
            if dry_run:
                for item in digest.items:
                    self.stdout.write(f"    - {item}")
        self.stdout.write(f"{verb} {len(digests)} digest(s).")
