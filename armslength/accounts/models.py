"""Accounts and the four roles of SPEC "Who uses it"."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from armslength.accounts import sealing


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("NPM coordinator")
    MANAGER = "manager", _("Body manager")
    STAFF = "staff", _("Staff member")
    AUDITOR = "auditor", _("Auditor")


class User(AbstractUser):
    """A person who signs in. What they may see follows from `role`, `body` and `person`."""

    body_lookup = "body"
    person_lookup = None

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    body = models.ForeignKey(
        "register.Body",
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The body a manager or staff member belongs to."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the app speaks to this person; empty follows the browser."),
    )
    person = models.OneToOneField(
        "register.Person",
        verbose_name=_("person in the register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    def has_left(self, on: dt.date | None = None) -> bool:
        """Whether the person this account belongs to has left (from their leaving date on).

        Checked at sign-in, on every request (the authentication backend's
        `get_user`) and for every API token, so that a leaver is locked out on
        the day itself, whether or not any daily job ran.
        """
        person = self.person if self.person_id else None
        if person is None or person.left is None:
            return False
        return person.left <= (on or timezone.localdate())

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR

    @property
    def is_staff_member(self) -> bool:
        return self.role == Role.STAFF

    def clean(self) -> None:
        super().clean()
        if self.role in (Role.MANAGER, Role.STAFF) and not self.body_id:
            raise ValidationError({"body": _("Managers and staff members belong to a body.")})
        if self.role == Role.STAFF and not self.person_id:
            raise ValidationError({"person": _("A staff account is linked to its person.")})
        if self.person_id and self.body_id and self.person.body_id != self.body_id:
            raise ValidationError({"person": _("This person belongs to another body.")})


# --- the second factor ------------------------------------------------------
# django-otp's TOTP and static devices, with their secrets kept sealed/hashed
# (accounts/sealing.py). Proxies share django-otp's tables; armslength only ever
# reads and verifies devices through these classes (accounts/twofactor.py).


class Authenticator(TOTPDevice):
    """An authenticator app; `key` holds the TOTP key sealed with TWO_FACTOR_KEY."""

    class Meta:
        proxy = True

    def save(self, *args, **kwargs):
        if not sealing.is_sealed(self.key):  # a new device's default key is plain hex
            self.key = sealing.seal(bytes.fromhex(self.key))
        super().save(*args, **kwargs)

    @property
    def bin_key(self) -> bytes:
        return sealing.unseal(self.key)


class RecoveryCodes(StaticDevice):
    """One-time recovery codes; each stored only as a keyed hash."""

    class Meta:
        proxy = True

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        match = self.token_set.filter(token=sealing.code_digest(str(token))).first()
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class EnrolmentLink(models.Model):
    """A one-time link to set up a first authenticator, issued by a manager or the coordinator.

    Only its hash is stored; it works once, for its own account, before it expires.
    Without one, a password alone can never add an authenticator (issue 12, finding 1).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_links")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment link")

    def __str__(self) -> str:
        return f"enrolment link for {self.user} ({self.issued_at:%Y-%m-%d})"
