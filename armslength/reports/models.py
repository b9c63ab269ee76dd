"""Frozen year-end figures and the coordinator's words around them.

A snapshot holds a body's raw counts for one reporting year (see `figures.py`
for the shape). Counts are stored unsuppressed so that NPM-wide totals can be
added up across bodies; suppression happens when a report is drawn
(`suppression.py`), never in storage. Because the figures are copied here, a
later edit to a person, or that person's erasure, leaves the year unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from the register")
    MANUAL = "manual", _("Entered by hand")


class Snapshot(models.Model):
    body = models.ForeignKey(
        "register.Body", verbose_name=_("body"), on_delete=models.CASCADE, related_name="snapshots"
    )
    year = models.PositiveSmallIntegerField(_("reporting year"))
    as_of = models.DateField(_("figures as at"))
    figures = models.JSONField(_("figures"), default=dict)
    source = models.CharField(
        _("source"), max_length=10, choices=SnapshotSource.choices, default=SnapshotSource.COMPUTED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["year", "body__abbreviation"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="one_snapshot_per_body_year")
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.year}"


class Narrative(models.Model):
    """What the coordinator (or a body's manager) writes under one report section."""

    body = models.ForeignKey(
        "register.Body",
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_narratives",
        help_text=_("Empty for the NPM-wide report."),
    )
    year = models.PositiveSmallIntegerField(_("reporting year"))
    section = models.CharField(_("section"), max_length=40)
    text = models.TextField(_("narrative"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "section"],
                condition=models.Q(body__isnull=False),
                name="one_narrative_per_body_section",
            ),
            models.UniqueConstraint(
                fields=["year", "section"],
                condition=models.Q(body__isnull=True),
                name="one_narrative_per_npm_section",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} {self.year}"
