"""Two-factor sign-in: a TOTP app code, or a one-time recovery code.

Required for the coordinator, managers and auditors (they see and decide on
other people's data); optional for staff, who may enrol from their profile.
Built on django-otp: a confirmed `TOTPDevice` per person, and a `StaticDevice`
holding ten recovery codes, each usable once. django-otp slows down repeated
wrong codes itself (throttling on the device).
"""

from __future__ import annotations

import base64
import binascii
import secrets
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from armslength.accounts.models import Role

REQUIRED_FOR = frozenset({Role.COORDINATOR, Role.MANAGER, Role.AUDITOR})
RECOVERY_CODES = 10
ISSUER = "armslength"


def required(user) -> bool:
    return Role(user.role) in REQUIRED_FOR


def needs_second_step(user) -> bool:
    """Signed in with a password but not yet with a second factor, where one applies."""
    if not user.is_authenticated or user.is_verified():
        return False
    return required(user) or user_has_device(user, confirmed=True)


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(binascii.unhexlify(device.key)).decode().rstrip("=")


def provisioning_uri(device: TOTPDevice) -> str:
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    return f"otpauth://totp/{label}?secret={base32_secret(device)}&issuer={ISSUER}"


def qr_svg(uri: str) -> str:
    import segno

    return segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff")


def enrol(user, *, key_hex: str | None = None) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator and fresh recovery codes (used by the demo and the tests)."""
    device = TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True, **({"key": key_hex} if key_hex else {})
    )
    return device, new_recovery_codes(user)


def new_recovery_codes(user) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes")
    static.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


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
            device = match_token(request.user, code)
            if device is not None:
                otp_login(request, device)
                if isinstance(device, StaticDevice):
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
    """Enrol an authenticator app: scan the QR code, confirm a code, keep the recovery codes."""

    def _device(self, request) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        return device or TOTPDevice.objects.create(
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
            TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
            device.confirmed = True
            device.save()
            codes = new_recovery_codes(request.user)
            otp_login(request, device)
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
