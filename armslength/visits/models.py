"""Visits to establishments, and manager overrides of verdicts for a named visit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from armslength.core.keys import random_key
from armslength.register.models import (
    Body,
    Establishment,
    Person,
    expertise_label,
    expertise_vocabulary,
)


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
    team_size = models.PositiveSmallIntegerField(_("team size"), default=3)
    requires = models.JSONField(
        _("required expertise"),
        default=dict,
        blank=True,
        help_text=_("How many people of each expertise the team needs."),
    )
    min_women = models.PositiveSmallIntegerField(_("at least this many women"), default=0)
    needs_lead = models.BooleanField(_("needs a lead"), default=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.establishment} {date_format(self.start)}"

    def save(self, *args, **kwargs):
        if not self.key:
            # random, never place and date: a key made from them let anyone confirm another
            # body's unannounced visit by trying one (issue 12, finding 4)
            self.key = random_key(Visit, "visit")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("visits:visit_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = requirement_errors(self)
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The last day is before the first day.")
        if errors:
            raise ValidationError(errors)


def requirement_errors(visit: Visit) -> dict[str, str]:
    """What is impossible in a visit's team requirements, by field.

    Every door (web form, API, spreadsheet and dataset imports) runs the
    model's `clean()`, so a visit can never ask for 3 lawyers or 5 women in a
    team of 2, nor for expertise outside the managed list.
    """
    errors: dict[str, str] = {}
    size = visit.team_size or 0
    requires = visit.requires if visit.requires is not None else {}
    if not isinstance(requires, dict):
        return {"requires": str(_("Give how many people of each expertise the team needs."))}
    vocabulary = expertise_vocabulary()
    unknown = sorted(str(code) for code in requires if code not in vocabulary)
    too_many = []
    for code, count in requires.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            errors["requires"] = _("Each expertise needs a whole number of people, 1 or more.")
        elif count > size:
            too_many.append(f"{expertise_label(str(code), vocabulary)} ({count})")
    if unknown:
        errors["requires"] = _(
            "Not in the list of expertise: %(codes)s. The coordinator adds new kinds of expertise."
        ) % {"codes": ", ".join(unknown)}
    elif too_many:
        errors["requires"] = _(
            "More people of one expertise than the team of %(size)s holds: %(which)s."
        ) % {"size": size, "which": ", ".join(too_many)}
    if visit.min_women and visit.min_women > size:
        errors["min_women"] = _("More women than the team of %(size)s holds.") % {"size": size}
    return errors


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
        return {"parent": f"visits.visit:{self.visit_id}", "person_body": self.person.body_id}


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


class Role(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")
    PREPARATION = "preparation", _("Preparation only")


class Assignment(models.Model):
    """A person on a visit's team, with the verdict the engine gave when they were added."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="assignments"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    verdict = models.CharField(_("verdict when added"), max_length=20, default="clear")
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    policy_version = models.CharField(_("policy version"), max_length=40, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    accepted_at = models.DateTimeField(
        _("accepted, confirming no undeclared interest"), null=True, blank=True
    )

    class Meta:
        ordering = ["visit__start", "role", "person__name"]
        unique_together = [("visit", "person")]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} — {self.visit}"

    def get_absolute_url(self) -> str:
        return self.visit.get_absolute_url()

    def get_additional_data(self) -> dict:
        # the person's body: a joint visit's history shows a body only its own people's
        return {"parent": f"visits.visit:{self.visit_id}", "person_body": self.person.body_id}


class Unavailability(models.Model):
    """Leave, training or other days a person cannot go on visits."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="unavailability"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailability")

    def __str__(self) -> str:
        return f"{self.person} unavailable {date_format(self.start)} to {date_format(self.end)}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

    def get_additional_data(self) -> dict:
        return {"parent": f"register.person:{self.person_id}"}

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date is before the start date.")})


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class PlanningRun(models.Model):
    """One run of the team planner for a body's visits in a period, and its proposal."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="planning_runs"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    time_limit = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=20)
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    objective = models.BigIntegerField(_("best objective"), null=True, blank=True)
    bound = models.BigIntegerField(_("proved bound"), null=True, blank=True)
    progress = models.FloatField(_("progress"), default=0)
    cancel_requested = models.BooleanField(default=False)
    problem = models.JSONField(default=dict)
    plan = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    policy_version = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")

    def __str__(self) -> str:
        return str(_("Plan for %(body)s, %(start)s to %(end)s")) % {
            "body": self.body.abbreviation,
            "start": date_format(self.start),
            "end": date_format(self.end),
        }

    def get_absolute_url(self) -> str:
        return reverse("visits:planning_run", args=[self.pk])


class PlaceRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PlaceRequest(models.Model):
    """The lead body of a joint visit asks a partner body for places on the team.

    The partner's managers fill it by adding their own people (only they may: SPEC
    "Who sees what"); it counts as filled once the partner has that many people on
    the visit, preparation support aside.
    """

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="place_requests"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("asked of"), on_delete=models.CASCADE, related_name="place_requests"
    )
    places = models.PositiveSmallIntegerField(_("places"))
    expertise = models.CharField(
        _("expertise wanted"),
        max_length=300,
        blank=True,
        help_text=_("In your words, e.g. 'a doctor; someone who speaks Polish'."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PlaceRequestStatus.choices,
        default=PlaceRequestStatus.OPEN,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    filled_at = models.DateTimeField(_("filled at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("request for places")
        verbose_name_plural = _("requests for places")

    def __str__(self) -> str:
        return f"{self.places} place(s) asked of {self.body.abbreviation} for {self.visit}"

    def get_absolute_url(self) -> str:
        return self.visit.get_absolute_url() + "#places-h"

    def get_additional_data(self) -> dict:
        return {"parent": f"visits.visit:{self.visit_id}"}
