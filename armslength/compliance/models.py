"""Secondee safeguards the UK guidance asks bodies to carry out and show (UK-12, UK-13, UK-15).

Minimal records here, with the dataset's fields; the secondee-safeguards
workflow (sign-off, reminders, versioned acknowledgement texts) builds on them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from armslength.core import labels
from armslength.core.uploads import validate_upload
from armslength.engine import codes
from armslength.register.models import (
    Body,
    Establishment,
    Organisation,
    Person,
    Secondment,
    recruitment_answers_erased,
)


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
    # Until the assessor signs it off an assessment is a draft: it clears nothing
    # and does not satisfy UK-12.
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(PersonRecord.Meta):
        verbose_name = _("conflict assessment")
        verbose_name_plural = _("conflict assessments")

    def __str__(self) -> str:
        return f"Assessment of {self.person} on {date_format(self.date)}"

    def clean(self) -> None:
        super().clean()
        if self.date and self.next_review and self.next_review < self.date:
            raise ValidationError({"next_review": _("The review is before the assessment.")})


class Supervision(PersonRecord):
    """A supervision meeting with a secondee (UK-13); its notes are confidential."""

    supervisor_person = models.ForeignKey(
        Person,
        verbose_name=_("supervisor (in the register)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisions_given",
    )
    supervisor = models.CharField(_("supervisor (name)"), max_length=200, blank=True)
    notes = models.TextField(_("issues identified and actions"), blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")

    def __str__(self) -> str:
        return f"Supervision of {self.person} on {date_format(self.date)}"

    def origin_warning(self) -> str | None:
        """Why this supervisor may not be independent of the secondee's origin, if so.

        UK-13 asks for supervision by the NPM; a supervisor who comes from the
        secondee's own organisation of origin (or its parent or child
        organisations) defeats it. A warning on the record, not a finding.
        """
        if not self.supervisor_person_id:
            return None
        on = self.date or timezone.localdate()
        origins = {s.origin_id for s in self.person.current_secondments(on) if s.origin_id}
        if not origins:
            return None
        family: set[int] = set()
        for org in Organisation.objects.filter(pk__in=origins):
            family |= {org.pk, *(a.pk for a in org.ancestors())}
        family |= set(Organisation.objects.filter(parent__in=family).values_list("pk", flat=True))
        boss = self.supervisor_person
        boss_origins = {s.origin_id for s in boss.current_secondments(on) if s.origin_id}
        worked = set(
            boss.affiliations.filter(
                kind__in=("employment", "position"),
                organisation__isnull=False,
            ).values_list("organisation_id", flat=True)
        )
        shared = (boss_origins | worked) & family
        if shared:
            names = ", ".join(
                Organisation.objects.filter(pk__in=shared).values_list("name", flat=True)
            )
            return _(
                "The supervisor %(boss)s comes from %(org)s, the secondee's organisation "
                "of origin (UK-13): choose a supervisor independent of it."
            ) % {"boss": boss.name, "org": names}
        return None


class Acknowledgement(PersonRecord):
    """The person's acknowledgement of a duty (UK-15; APT: seconded officials)."""

    kind = models.CharField(
        _("duty"), max_length=30, choices=labels.choices(codes.ACKNOWLEDGEMENT_KINDS)
    )
    text_version = models.CharField(_("text version"), max_length=40, blank=True)

    class Meta(PersonRecord.Meta):
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person}, {date_format(self.date)}"


class AcknowledgementText(models.Model):
    """The body's own wording of a duty people acknowledge; versions are kept."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="acknowledgement_texts"
    )
    kind = models.CharField(
        _("duty"), max_length=30, choices=labels.choices(codes.ACKNOWLEDGEMENT_KINDS)
    )
    version = models.CharField(_("version"), max_length=40)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("adopted at"), auto_now_add=True)

    class Meta:
        ordering = ["body", "kind", "-created_at"]
        unique_together = [("body", "kind", "version")]
        verbose_name = _("acknowledgement text")
        verbose_name_plural = _("acknowledgement texts")

    def __str__(self) -> str:
        return f"{self.body.abbreviation} {self.get_kind_display()} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:acknowledgementtext_detail", args=[self.pk])

    @classmethod
    def current(cls, body: Body, kind: str) -> AcknowledgementText | None:
        return cls.objects.filter(body=body, kind=kind).first()


DEFAULT_TEXTS = {
    "independence": (
        "I understand that, while I work for the National Preventive Mechanism, I must act "
        "with real and perceived independence from my organisation of origin and from any "
        "place of detention (UK NPM guidance, paragraph 15). I will not take part in the "
        "inspection of an establishment I was seconded from, am likely to return to, or am "
        "otherwise closely affiliated with (paragraph 14). I will declare any interest that "
        "could raise a question of conflict of interest, and I am accountable only to the NPM "
        "for my NPM work."
    ),
    "exit_confidentiality": (
        "I understand that the confidentiality of information I acquired as a member of the "
        "National Preventive Mechanism's staff continues after my tenure ends (APT: seconded "
        "officials). I will not disclose personal information about detainees, staff or "
        "informants, nor the NPM's unpublished findings."
    ),
}


def recruitment_upload_path(instance, filename: str) -> str:
    return f"recruitment/{timezone.now():%Y/%m}/{filename}"


class RecruitmentRecord(models.Model):
    """How a secondee (or a staff post) was recruited (UK-11; SPT Guidelines para. 16).

    For secondments that began after the policy's start date every field is
    required: the NPM must show an open, transparent process against
    published criteria, and why the expertise could not be found elsewhere.
    Saving it sets the secondment's recruitment facts the engine reads.
    """

    secondment = models.OneToOneField(
        Secondment,
        verbose_name=_("secondment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recruitment_record",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="recruitment_records",
    )
    post = models.CharField(_("post"), max_length=200, blank=True)
    criteria_text = models.TextField(_("published criteria"), blank=True)
    criteria_file = models.FileField(
        _("criteria document"),
        upload_to=recruitment_upload_path,
        blank=True,
        validators=[FileExtensionValidator(["pdf", "docx", "odt", "txt"]), validate_upload],
        help_text=_("PDF, DOCX, ODT or text, at most 5 MB."),
    )
    advertised_where = models.CharField(_("where it was advertised"), max_length=300, blank=True)
    advertised_on = models.DateField(_("advertised on"), null=True, blank=True)
    panel = models.CharField(_("selection panel"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    justification = models.TextField(
        _("why the expertise cannot be found elsewhere"),
        blank=True,
        help_text=_(
            "UK-11: new secondees only where the knowledge and expertise they bring "
            "cannot be found elsewhere."
        ),
    )

    # UK-11 "open, transparent and inclusive"; APT: seconded officials "a clear,
    # transparent, merit-based process". None = not recorded (not judged).
    inclusive = models.BooleanField(
        _("the process was inclusive"),
        null=True,
        blank=True,
        help_text=_("UK-11: recruitment processes will be open, transparent and inclusive."),
    )
    merit_based = models.BooleanField(
        _("the selection was merit-based"),
        null=True,
        blank=True,
        help_text=_("APT: seconded officials are selected through a merit-based process."),
    )

    class Meta:
        verbose_name = _("recruitment record")
        verbose_name_plural = _("recruitment records")

    def __str__(self) -> str:
        return f"Recruitment of {self.person}" + (f" as {self.post}" if self.post else "")

    def get_absolute_url(self) -> str:
        return reverse("compliance:recruitmentrecord_detail", args=[self.pk])

    def get_additional_data(self) -> dict:
        return {"parent": f"register.person:{self.person_id}"}

    def clean(self) -> None:
        super().clean()
        if self.secondment_id and self.secondment.person_id != self.person_id:
            raise ValidationError({"secondment": _("This secondment is someone else's.")})
        if erased := recruitment_answers_erased(self):
            raise ValidationError(erased)
        if self.secondment_id and self.requires_everything():
            missing = {}
            for name in (
                "post",
                "advertised_where",
                "advertised_on",
                "panel",
                "outcome",
                "justification",
            ):
                if not getattr(self, name):
                    missing[name] = _(
                        "Required for a secondment that began after %(d)s (UK-11)."
                    ) % {"d": date_format(self.policy_start())}
            if not self.criteria_text and not self.criteria_file:
                missing["criteria_text"] = _("Give the published criteria, as text or a file.")
            if missing:
                raise ValidationError(missing)

    def policy_start(self) -> dt.date:
        from armslength.screening.models import current_policy

        return current_policy()[0].parameters.policy_start

    def requires_everything(self) -> bool:
        start = self.secondment.start
        return start is not None and start > self.policy_start()

    def sync_secondment(self) -> None:
        """The engine reads the secondment's recruitment facts; keep them true."""
        if not self.secondment_id:
            return
        s = self.secondment
        s.open_process = bool(self.advertised_where and self.advertised_on and self.panel)
        s.published_criteria = bool(self.criteria_text or self.criteria_file)
        s.justification = self.justification
        # an answer the record leaves unrecorded does not erase the secondment's
        if self.inclusive is not None:
            s.inclusive = self.inclusive
        if self.merit_based is not None:
            s.merit_based = self.merit_based
        s.save(
            update_fields=[
                "open_process",
                "published_criteria",
                "justification",
                "inclusive",
                "merit_based",
            ]
        )


class InterferenceKind(models.TextChoices):
    INTIMIDATION = "intimidation", _("Intimidation or threats")
    HINDRANCE = "hindrance", _("Attempt to hinder the work")
    REPRISAL = "reprisal", _("Reprisal for NPM work")
    INTERFERENCE = "interference", _("Outside interference")
    OTHER = "other", _("Other")


class InterferenceStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACTED_ON = "acted_on", _("Acted on")
    CLOSED = "closed", _("Closed")


class InterferenceOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    REFERRED = "referred", _("Referred to another authority")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
    WITHDRAWN = "withdrawn", _("Withdrawn by the reporter")


class InterferenceReport(models.Model):
    """An attempt to intimidate a member of staff, hinder their work or punish them for
    it (APT: privileges and guarantees; APT: independence and impartiality).

    A safeguard, not a list: it has a status, a handler, dated actions, and may be
    escalated to the NPM coordinator, who sees its kind and status but the reporter's
    name only when the reporter agreed. Visible to the person, their body's managers
    and auditors.
    """

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="interference_reports",
    )
    date = models.DateField(_("when it happened"))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=InterferenceKind.choices,
        default=InterferenceKind.INTIMIDATION,
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("where"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    what = models.TextField(_("what happened"))
    by_whom = models.CharField(_("by whom"), max_length=300, blank=True)
    action = models.TextField(_("action taken"), blank=True)
    name_may_be_shared = models.BooleanField(
        _("my name may be given to the NPM coordinator if this is escalated"),
        default=False,
        help_text=_("Without this, an escalation tells the coordinator the kind and status only."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InterferenceStatus.choices,
        default=InterferenceStatus.RECEIVED,
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=InterferenceOutcome.choices, blank=True
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("escalated to the coordinator"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    reported_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("interference report")
        verbose_name_plural = _("interference reports")

    def __str__(self) -> str:
        return f"Interference reported by {self.person} on {date_format(self.date)}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:interferencereport_detail", args=[self.pk])

    def get_additional_data(self) -> dict:
        return {"parent": f"register.person:{self.person_id}"}


class InterferenceAction(models.Model):
    """A dated step in handling an interference report, and the status it left."""

    report = models.ForeignKey(
        InterferenceReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("what was done"))
    status = models.CharField(_("status after"), max_length=20, choices=InterferenceStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "created_at"]
        verbose_name = _("interference action")
        verbose_name_plural = _("interference actions")

    def __str__(self) -> str:
        return f"{self.date.isoformat()}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return self.report.get_absolute_url()

    def get_additional_data(self) -> dict:
        return {"parent": f"compliance.interferencereport:{self.report_id}"}


class DeclarationRound(models.Model):
    """A round in which everyone in a body confirms their declarations or makes a nil return."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="declaration_rounds"
    )
    name = models.CharField(_("name"), max_length=120)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    due_on = models.DateField(_("responses due"))
    closed = models.BooleanField(_("closed"), default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-opened_on"]
        verbose_name = _("declaration round")
        verbose_name_plural = _("declaration rounds")

    def __str__(self) -> str:
        return f"{self.name} ({self.body.abbreviation})"

    def get_absolute_url(self) -> str:
        return reverse("compliance:declarationround_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.opened_on and self.due_on and self.due_on < self.opened_on:
            raise ValidationError({"due_on": _("Responses cannot be due before the round opens.")})


class RoundResponse(models.Model):
    """One person's place in a declaration round: pending until they confirm or return nil."""

    round = models.ForeignKey(
        DeclarationRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="round_responses"
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    nil_return = models.BooleanField(_("nil return"), default=False)

    class Meta:
        ordering = ["person__name"]
        unique_together = [("round", "person")]
        verbose_name = _("round response")
        verbose_name_plural = _("round responses")

    def __str__(self) -> str:
        return f"{self.person} in {self.round}"

    def get_absolute_url(self) -> str:
        return self.round.get_absolute_url()


class FindingRecord(models.Model):
    """When a compliance finding was open: it closes when its cause is fixed, and its
    history stays (SPEC capability 6)."""

    key = models.CharField(max_length=64, db_index=True)
    rule = models.CharField(_("rule"), max_length=40)
    severity = models.CharField(_("severity"), max_length=10)
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="finding_records",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="finding_records",
    )
    scope = models.CharField(max_length=10, blank=True)
    text = models.TextField(_("finding"))
    cites = models.JSONField(_("cites"), default=list)
    action = models.TextField(_("what to do"), blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    opened_at = models.DateTimeField(_("open since"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [models.Index(fields=["closed_at", "body"])]
        constraints = [
            # two computations at once (a change and the daily run) may both try to open a
            # finding: the database keeps one, so none is left open forever as a twin
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_finding_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:dashboard")


class FindingsComputed(models.Model):
    """When the findings were last computed, and why (a change, or the daily run): pages
    show it, since they read the findings and never compute them."""

    computed_at = models.DateTimeField(_("computed at"))
    as_of = models.DateField(_("as of"))
    trigger = models.CharField(_("because of"), max_length=40)

    class Meta:
        verbose_name = _("findings computation")

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M} ({self.trigger})"

    @classmethod
    def last(cls) -> FindingsComputed | None:
        return cls.objects.filter(pk=1).first()


class ReminderDigest(models.Model):
    """The reminder digest sent to one account on one day: never two in a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_digests"
    )
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("user", "day")]

    def __str__(self) -> str:
        return f"Digest to {self.user} on {date_format(self.day)}"
