"""`armslength demo_codes`: the current 2FA codes of the demo accounts (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from armslength.accounts.models import Authenticator


class Command(BaseCommand):
    help = "Print the demo accounts' current two-factor codes (only with DEBUG on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Only in development (DEBUG=1): real codes belong on phones.")
        devices = Authenticator.objects.filter(
            user__email__endswith="@demo.example", confirmed=True
        ).select_related("user")
        for device in devices.order_by("user__username"):
            code = totp(device.bin_key, device.step, device.t0, device.digits)
            self.stdout.write(f"  {device.user.username:<16} {code:06d}")
