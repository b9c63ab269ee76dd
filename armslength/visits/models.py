"""Visits to establishments, and manager overrides of verdicts for a named visit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from armslength.core.keys import unique_key
from armslength.register.models import Body, Establishment, Person


class VisitType(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    UNANNOUNCED = "unannounced", _("Unannounced")
    FOLLOW_UP = "follow_up", _("Follow-up")
    THEMATIC = "thematic", _("Thematic")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    """A visit by a body (with partner bodies for a joint visit) to an establishment."""

    key = models.SlugField(_("key"), max_length=80, unique=True, blank=True)
    body = models.ForeignKey(
        Body, verbose_name=_("lead body"), on_delete=models.PROTECT, related_name="visits"
    )
    partner_bodies = models.ManyToManyField(
        Body, verbose_name=_("partner bodies"), blank=True, related_name="joint_visits"
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("establishment"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    type = models.CharField(
        _("type"), max_length=20, choices=VisitType.choices, default=VisitType.ANNOUNCED
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.establishment} {self.start.isoformat()}"

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = unique_key(Visit, f"{self.establishment.key}-{self.start.isoformat()}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("visits:visit_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The last day is before the first day.")})


class OverrideStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting a second manager")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Override(models.Model):
    """A manager's downgrade of a `declared` or `restricted` verdict for one named visit.

    `block` and `preparation_only` are never overridden (UK-14; APT). A second
    manager of the same body approves; both, the reason and the policy version
    the verdict was made under stay on the record.
    """

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="overrides"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="overrides"
    )
    verdict_from = models.CharField(_("verdict"), max_length=20)
    verdict_to = models.CharField(_("downgraded to"), max_length=20)
    reason = models.TextField(_("reason"))
    policy_version = models.CharField(_("policy version"), max_length=40)
    status = models.CharField(
        _("status"), max_length=20, choices=OverrideStatus.choices, default=OverrideStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("override")
        verbose_name_plural = _("overrides")

    def __str__(self) -> str:
        return f"{self.person}: {self.verdict_from} → {self.verdict_to} for {self.visit}"

    def get_absolute_url(self) -> str:
        return self.visit.get_absolute_url()

    def get_additional_data(self) -> dict:
        return {"parent": f"visits.visit:{self.visit_id}"}


class VisitAlert(models.Model):
    """A new fact made someone not clear for an upcoming visit: its managers must look."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="alerts"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="visit_alerts"
    )
    verdict = models.CharField(_("verdict"), max_length=20)
    text = models.TextField(_("why"))
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("visit alert")
        verbose_name_plural = _("visit alerts")

    def __str__(self) -> str:
        return f"{self.person} is {self.verdict} for {self.visit}"

    def get_absolute_url(self) -> str:
        return self.visit.get_absolute_url()
