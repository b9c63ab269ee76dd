"""`armslength demo [--seed N] [--npm uk|generic] [--no-serve]`: load a demo register, serve it."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from armslength.register.demo import DEMO_PASSWORD, demo_npm, load_demo, register_is_empty


class Command(BaseCommand):
    help = "Load the fictional demo register into an empty database (and serve it)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--npm",
            choices=["uk", "generic"],
            default="uk",
            help="uk: the UK NPM's 21 bodies in English (default); generic: a single-body NPM "
            "of a fictional country, in French, under the generic (APT) policy pack",
        )
        parser.add_argument("--no-serve", action="store_true", help="load and exit")
        parser.add_argument(
            "addrport",
            nargs="?",
            default="127.0.0.1:8000",
            help="where to serve (default 127.0.0.1:8000)",
        )

    def handle(self, *args, seed, npm, no_serve, addrport, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if register_is_empty():
            logins = load_demo(seed=seed, today=timezone.localdate(), npm=demo_npm(npm))
            self.stdout.write(self.style.SUCCESS(f"Demo register loaded ({npm} NPM, seed {seed})."))
            self.print_logins(logins)
        else:
            self.stdout.write("The register already holds data; the demo was not loaded again.")
            self.print_logins(None)
        if not no_serve:
            call_command("serve", addrport)

    def print_logins(self, logins):
        from armslength.accounts.models import Authenticator, User
        from armslength.accounts.twofactor import base32_secret

        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        users = User.objects.filter(email__endswith="@demo.example").select_related("body")
        keys = {
            d.user_id: base32_secret(d)
            for d in Authenticator.objects.filter(user__in=users, confirmed=True)
        }
        for user in users.order_by("role", "username"):
            body = f" ({user.body.abbreviation})" if user.body else ""
            key = f"  2FA key {keys[user.pk]}" if user.pk in keys else ""
            self.stdout.write(f"  {user.username:<16} {user.get_role_display() + body:<28}{key}")
        self.stdout.write(
            "\nAdd a 2FA key to any authenticator app, or print the current codes with\n"
            "  DEBUG=1 .venv/bin/armslength demo_codes\n"
        )
