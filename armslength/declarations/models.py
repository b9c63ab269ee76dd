"""Declared interests (APT: conflict of interest): affiliations and personal ties.

A declaration counts from the moment it is made, reviewed or not: the engine
reads every affiliation whatever its review status. Once reviewed, the
declarant's own change waits in `proposed` until a manager accepts it
(`declarations/services.py`). Review records the manager's decision; the
content of a personal tie stays with the person, their body's managers and
auditors.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from armslength.core import labels
from armslength.engine import codes
from armslength.register.models import Establishment, Organisation, Person


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    QUERIED = "queried", _("Queried")
    CORRECTED = "corrected", _("Corrected by a manager")


class Affiliation(models.Model):
    """A declared affiliation or tie of a person with an establishment or an organisation."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=labels.choices(codes.AFFILIATION_KINDS)
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    role = models.CharField(
        _("role"),
        max_length=200,
        blank=True,
        help_text=_("The job or position held; for an NGO role, the NGO's name."),
    )
    detail = models.CharField(
        _("person concerned"),
        max_length=200,
        blank=True,
        help_text=_("For a tie or a client: who it is with (e.g. the governor, J. Smith)."),
    )
    with_role = models.CharField(
        _("the other person is"),
        max_length=20,
        choices=labels.choices(codes.WITH_ROLES),
        blank=True,
        help_text=_("For family, friendship and client ties."),
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty if ongoing."))
    on_leave = models.BooleanField(_("on leave from this position"), default=False)

    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_note = models.TextField(_("review note or question"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    #: the declarant's change of a reviewed declaration, waiting for review (field -> value);
    #: the fields above keep what was reviewed, and the engine reads those
    proposed = models.JSONField(_("change awaiting review"), default=dict, blank=True)
    #: the reviewer as an imported register named them, when their account is not in this one
    reviewed_by_name = models.CharField(
        _("reviewed by (imported)"),
        max_length=150,
        blank=True,
        help_text=_("The reviewer's user name in the register this declaration was imported from."),
    )

    class Meta:
        ordering = ["person__name", "-start"]
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")

    def __str__(self) -> str:
        target = self.establishment or self.organisation
        return f"{self.get_kind_display()}: {target}"

    def get_absolute_url(self) -> str:
        return reverse("declarations:affiliation_detail", args=[self.pk])

    def get_additional_data(self) -> dict:
        return {"parent": f"register.person:{self.person_id}"}

    @property
    def reviewer(self):
        """Who reviewed it: their account, or the name an imported register gave them."""
        return self.reviewed_by or self.reviewed_by_name

    def save(self, *args, **kwargs):
        if self.reviewed_by_id and self.reviewed_by_name:  # reviewed here since: the account
            self.reviewed_by_name = ""
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "reviewed_by_name"}
        super().save(*args, **kwargs)

    @property
    def is_tie(self) -> bool:
        return self.kind in codes.TIE_KINDS

    def target(self):
        return self.establishment or self.organisation

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if bool(self.establishment_id) == bool(self.organisation_id):
            errors["establishment"] = _(
                "Name either an establishment or an organisation (one of them, not both)."
            )
        if self.kind in codes.TIE_KINDS and not self.with_role:
            errors["with_role"] = _("Say who the tie is with: authority, staff or detainee.")
        if self.kind not in codes.TIE_KINDS and self.with_role:
            errors["with_role"] = _("Only family, friendship and client ties have this.")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end date is before the start date.")
        if self.on_leave and self.kind not in ("employment", "position"):
            errors["on_leave"] = _("Only an employment or position can be on leave.")
        if errors:
            raise ValidationError(errors)
