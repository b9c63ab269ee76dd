"""Secondee safeguards the UK guidance asks bodies to carry out and show (UK-12, UK-13, UK-15).

Minimal records here, with the dataset's fields; the secondee-safeguards
workflow (sign-off, reminders, versioned acknowledgement texts) builds on them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from armslength.engine import codes
from armslength.register.models import Organisation, Person


class PersonRecord(models.Model):
    """A dated record about one person, shown on (and audited with) their page."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="%(class)ss"
    )
    date = models.DateField(_("date"))

    class Meta:
        abstract = True
        ordering = ["-date"]

    def get_additional_data(self) -> dict:
        return {"parent": f"register.person:{self.person_id}"}

    def get_absolute_url(self) -> str:
        name = self._meta.model_name
        return reverse(f"compliance:{name}_detail", args=[self.pk])


class Assessment(PersonRecord):
    """A manager's assessment of a secondee's possible conflicts of interest (UK-12)."""

    cleared_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations cleared"),
        blank=True,
        related_name="+",
        help_text=_(
            "Origin organisations whose establishments the secondee may visit, as a declared "
            "interest (the secondment-operator rule)."
        ),
    )
    next_review = models.DateField(
        _("next review"),
        null=True,
        blank=True,
        help_text=_("Empty: due after the policy's review period (12 months by default)."),
    )
    areas_considered = models.TextField(_("areas of possible conflict considered"), blank=True)
    restrictions = models.TextField(_("restrictions on work"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(PersonRecord.Meta):
        verbose_name = _("conflict assessment")
        verbose_name_plural = _("conflict assessments")

    def __str__(self) -> str:
        return f"Assessment of {self.person} on {self.date.isoformat()}"

    def clean(self) -> None:
        super().clean()
        if self.date and self.next_review and self.next_review < self.date:
            raise ValidationError({"next_review": _("The review is before the assessment.")})


class Supervision(PersonRecord):
    """A supervision meeting with a secondee (UK-13); its notes are confidential."""

    supervisor = models.CharField(_("supervisor"), max_length=200, blank=True)
    notes = models.TextField(_("issues identified and actions"), blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")

    def __str__(self) -> str:
        return f"Supervision of {self.person} on {self.date.isoformat()}"


class Acknowledgement(PersonRecord):
    """The person's acknowledgement of a duty (UK-15; APT: seconded officials)."""

    kind = models.CharField(_("duty"), max_length=30, choices=codes.ACKNOWLEDGEMENT_KINDS)
    text_version = models.CharField(_("text version"), max_length=40, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person}, {self.date.isoformat()}"
