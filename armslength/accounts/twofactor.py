"""Two-factor sign-in: a TOTP app code, or a one-time recovery code.

Required for the coordinator, managers and auditors (they see and decide on
other people's data); optional for staff. Built on django-otp: a confirmed
`Authenticator` per person (its TOTP key sealed with TWO_FACTOR_KEY) and
`RecoveryCodes` holding ten hashed codes, each usable once. django-otp slows
down repeated wrong codes itself (throttling on the device).

Who may add an authenticator (issue 12, finding 1: a password alone once could):
- a session that already passed the second step may add or replace one;
- otherwise only a session that opened a one-time enrolment link, which a
  manager or the coordinator issues when they create or reset the account.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from armslength.accounts import sealing
from armslength.accounts.models import Authenticator, EnrolmentLink, RecoveryCodes, Role

REQUIRED_FOR = frozenset({Role.COORDINATOR, Role.MANAGER, Role.AUDITOR})
RECOVERY_CODES = 10
ISSUER = "armslength"
ENROLMENT_LINK_DAYS = 7
#: the session entry an opened enrolment link leaves: {"user": pk, "link": pk}
GRANT_KEY = "enrolment_grant"


def required(user) -> bool:
    return Role(user.role) in REQUIRED_FOR


def needs_second_step(user) -> bool:
    """Signed in with a password but not yet with a second factor, where one applies."""
    if not user.is_authenticated or user.is_verified():
        return False
    return required(user) or user_has_device(user, confirmed=True)


def base32_secret(device: Authenticator) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def provisioning_uri(device: Authenticator) -> str:
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    return f"otpauth://totp/{label}?secret={base32_secret(device)}&issuer={ISSUER}"


def qr_svg(uri: str) -> str:
    import segno

    return segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff")


def enrol(user, *, key_hex: str | None = None) -> tuple[Authenticator, list[str]]:
    """A confirmed authenticator and fresh recovery codes (used by the demo and the tests)."""
    device = Authenticator.objects.create(
        user=user, name="Authenticator app", confirmed=True, **({"key": key_hex} if key_hex else {})
    )
    return device, new_recovery_codes(user)


def new_recovery_codes(user) -> list[str]:
    """Ten fresh codes, shown once; only their keyed hashes are stored."""
    static, _ = RecoveryCodes.objects.get_or_create(user=user, name="Recovery codes")
    static.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=static, token=sealing.code_digest(c)) for c in codes]
    )
    return codes


def confirmed_devices(user) -> list:
    """The devices a code is checked against: the authenticator first, then recovery codes."""
    return [
        *Authenticator.objects.filter(user=user, confirmed=True),
        *RecoveryCodes.objects.filter(user=user, confirmed=True),
    ]


def match_code(user, code: str):
    """The device that accepts `code`, or None (django-otp's `match_token`, on our devices)."""
    for device in confirmed_devices(user):
        if device.verify_token(code):
            return device
    return None


def second_step_passed(request, device) -> None:
    """Mark the session verified, under a new session key (no fixation across the step)."""
    request.session.cycle_key()
    otp_login(request, device)


# --- enrolment links ---------------------------------------------------------


def _link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def enrolment_link_issue(user, *, by) -> str:
    """A one-time link for `user` to set up a first authenticator; earlier unused links lapse."""
    EnrolmentLink.objects.filter(user=user, used_at__isnull=True).delete()
    token = secrets.token_urlsafe(32)
    EnrolmentLink.objects.create(
        user=user,
        token_hash=_link_hash(token),
        issued_by=by,
        expires_at=timezone.now() + dt.timedelta(days=ENROLMENT_LINK_DAYS),
    )
    path = reverse("twofactor:enrol", args=[token])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@transaction.atomic
def second_factor_reset(user, *, by) -> str:
    """Remove `user`'s authenticator and recovery codes; a new one-time enrolment link."""
    Authenticator.objects.filter(user=user).delete()
    RecoveryCodes.objects.filter(user=user).delete()
    from armslength.api.models import ApiToken

    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return enrolment_link_issue(user, by=by)


def _valid_link(user, *, token: str | None = None, pk: int | None = None):
    links = EnrolmentLink.objects.filter(
        user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    )
    if token is not None:
        links = links.filter(token_hash=_link_hash(token))
    if pk is not None:
        links = links.filter(pk=pk)
    return links.first()


def granted_link(request):
    """The enrolment link this session opened, if it is still good for this user."""
    grant = request.session.get(GRANT_KEY) or {}
    if grant.get("user") != request.user.pk:
        return None
    return _valid_link(request.user, pk=grant.get("link"))


def may_enrol(request) -> bool:
    """Adding or replacing an authenticator: after the second step, or with an enrolment link."""
    return request.user.is_verified() or granted_link(request) is not None


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy(
            "The 6-digit code from your authenticator app, or one of your recovery codes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


class VerifyView(View):
    """The second step of signing in."""

    def get(self, request, form=None):
        if not user_has_device(request.user, confirmed=True):
            return HttpResponseRedirect(f"{reverse('twofactor:setup')}?next={_next_url(request)}")
        return render(
            request,
            "accounts/twofactor_verify.html",
            {"form": form or CodeForm(), "next": _next_url(request)},
            status=400 if form is not None else 200,
        )

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"].strip().replace(" ", "")
            device = match_code(request.user, code)
            if device is not None:
                second_step_passed(request, device)
                if isinstance(device, RecoveryCodes):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        _("You used a recovery code; %(n)d left. Make new ones soon.")
                        % {"n": left},
                    )
                return HttpResponseRedirect(_next_url(request))
            form.add_error("code", _("That code is not right (or has been used). Try again."))
        return self.get(request, form=form)


class SetupView(View):
    """Enrol an authenticator app: scan the QR code, confirm a code, keep the recovery codes.

    Only for a session that passed the second step or opened an enrolment link
    (`may_enrol`); anyone else is told to ask for a link, and no secret is made.
    """

    def dispatch(self, request, *args, **kwargs):
        if not may_enrol(request):
            return render(request, "accounts/twofactor_need_link.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def _device(self, request) -> Authenticator:
        device = Authenticator.objects.filter(user=request.user, confirmed=False).first()
        return device or Authenticator.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )

    def get(self, request, form=None):
        device = self._device(request)
        uri = provisioning_uri(device)
        return render(
            request,
            "accounts/twofactor_setup.html",
            {
                "form": form or CodeForm(),
                "qr": qr_svg(uri),
                "secret": base32_secret(device),
                "next": _next_url(request),
                "required": required(request.user),
                "enrolled": user_has_device(request.user, confirmed=True),
            },
            status=400 if form is not None else 200,
        )

    def post(self, request):
        device = self._device(request)
        form = CodeForm(request.POST)
        if form.is_valid() and device.verify_token(form.cleaned_data["code"].strip()):
            with transaction.atomic():
                link = granted_link(request)
                if link is not None:
                    link.used_at = timezone.now()
                    link.save(update_fields=["used_at"])
                Authenticator.objects.filter(user=request.user, confirmed=True).delete()
                device.confirmed = True
                device.save()
                codes = new_recovery_codes(request.user)
            request.session.pop(GRANT_KEY, None)
            second_step_passed(request, device)
            return render(
                request,
                "accounts/twofactor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        if form.is_valid():
            form.add_error("code", _("That code does not match; check the time on your phone."))
        return self.get(request, form=form)


class RecoveryCodesView(View):
    """New recovery codes (the old ones stop working); only after a second factor."""

    def post(self, request):
        if not request.user.is_verified():
            return HttpResponseRedirect(reverse("twofactor:verify"))
        codes = new_recovery_codes(request.user)
        return render(
            request, "accounts/twofactor_codes.html", {"codes": codes, "next": reverse("home")}
        )


class EnrolmentLinkView(View):
    """`/2fa/enrol/<token>/`: a one-time link opened by its own account, after the password."""

    def get(self, request, token: str):
        link = _valid_link(request.user, token=token)
        if link is None:
            # the same answer for a wrong, used, expired or someone else's link
            return render(
                request, "accounts/twofactor_need_link.html", {"bad_link": True}, status=404
            )
        request.session[GRANT_KEY] = {"user": request.user.pk, "link": link.pk}
        return HttpResponseRedirect(reverse("twofactor:setup"))
