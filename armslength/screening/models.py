"""Versions of the NPM's policy file. The newest is in force; older ones stay
readable so that a past verdict can be re-explained under the policy it was made under."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from armslength.engine.policy import Policy, load_policy_text, shipped_policy, shipped_policy_text


class PolicyVersion(models.Model):
    text = models.TextField(_("policy file (YAML)"))
    version = models.CharField(_("version"), max_length=40, db_index=True)
    note = models.CharField(_("what changed and why"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("adopted at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: who adopted it as an imported register named them, when their account is not in this one
    created_by_name = models.CharField(
        _("adopted by (imported)"),
        max_length=150,
        blank=True,
        help_text=_("The user name of who adopted it, in the register it was imported from."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")

    def __str__(self) -> str:
        from django.utils.formats import date_format

        number = PolicyVersion.objects.filter(created_at__lte=self.created_at).count()
        return f"Policy version {number} of {date_format(self.created_at)}"

    def get_absolute_url(self) -> str:
        return reverse("screening:policy_version", args=[self.pk])

    @property
    def adopter(self):
        """Who adopted it: their account, or the name an imported register gave them."""
        return self.created_by or self.created_by_name

    def policy(self) -> Policy:
        return load_policy_text(self.text)


def current_policy() -> tuple[Policy, PolicyVersion | None]:
    """The policy in force: the newest adopted version, or the installation's shipped pack."""
    latest = PolicyVersion.objects.first()
    if latest is None:
        return shipped_policy(settings.POLICY_PACK), None
    return latest.policy(), latest


def installation_policy_text() -> str:
    """The text of the pack this installation was set up with (settings.POLICY_PACK)."""
    return shipped_policy_text(settings.POLICY_PACK)
