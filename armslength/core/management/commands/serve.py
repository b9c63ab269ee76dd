"""`armslength serve [ADDR:PORT]`: serve the web app (default 127.0.0.1:8000).

This is Django's development server without the auto-reloader, good for one
machine. A shared deployment runs gunicorn instead (README, Deployment).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the web application (development server; use gunicorn in production)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        self.stdout.write(f"Serving armslength on http://{addrport}/ (Ctrl-C to stop)")
        call_command("runserver", addrport, use_reloader=False, use_threading=True)
