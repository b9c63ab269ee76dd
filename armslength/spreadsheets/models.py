"""Spreadsheet imports in progress, and the column mappings each body uses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from armslength.spreadsheets.columns import KINDS

KIND_CHOICES = [(k.key, k.label) for k in KINDS.values()]


class ColumnMapping(models.Model):
    """How a body's files name our columns, remembered for its next import."""

    body = models.ForeignKey(
        "register.Body", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    columns = models.JSONField(default=dict)  # our column -> their column header
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.kind} columns of {self.body or 'the coordinator'}"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind"],
                condition=models.Q(body__isnull=False),
                name="one_mapping_per_body_kind",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(body__isnull=True),
                name="one_shared_mapping_per_kind",
            ),
        ]


class JobStatus(models.TextChoices):
    #: a large file, queued for the background worker to read (issue 12, finding 6)
    READING = "reading", _("Reading the file")
    MAPPING = "mapping", _("Choose the columns")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Ready to import")
    REJECTED = "rejected", _("Errors to fix")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One uploaded file on its way in: mapped, checked (errors listed), then imported."""

    kind = models.CharField(_("what it holds"), max_length=20, choices=KIND_CHOICES)
    body = models.ForeignKey(
        "register.Body",
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    header = models.JSONField(default=list)
    columns = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.MAPPING
    )
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    #: row warnings that do not stop the import (a secondee whose secondment is to follow)
    warnings = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("spreadsheets:job", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.status in (JobStatus.READING, JobStatus.CHECKING, JobStatus.IMPORTING)

    @property
    def waiting_for_worker(self) -> bool:
        """Queued a while and not started: the background worker is probably not running."""
        from django.utils import timezone

        started = self.done_rows > 0 or self.status not in (JobStatus.READING, JobStatus.CHECKING)
        return not started and (timezone.now() - self.created_at).total_seconds() > 30

    @property
    def percent(self) -> int:
        return int(100 * self.done_rows / self.total_rows) if self.total_rows else 0
