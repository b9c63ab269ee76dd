"""The register of an NPM: member bodies, organisations, establishments, people
and secondments (SPEC capability 1; UK-4, UK-7, UK-9; APT: who are members and staff).

Field names and codes follow `specs/screening.md` so the JSON dataset maps onto
these models one to one. Every record has a `key`: the stable id used in the
dataset, in imports and in URLs a person may share.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from armslength.core import labels
from armslength.core.keys import unique_key
from armslength.engine import codes, team
from armslength.engine.facts import secondment_unrecorded

KEY_HELP = _("Stable identifier used in imports, exports and the dataset format.")


class KeyedModel(models.Model):
    """A record with a stable, human-readable key, filled in from its name when left blank."""

    key = models.SlugField(_("key"), max_length=80, unique=True, blank=True, help_text=KEY_HELP)

    class Meta:
        abstract = True

    def key_seed(self) -> str:
        return getattr(self, "name", "") or self.__class__.__name__.lower()

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = unique_key(type(self), self.key_seed())
        super().save(*args, **kwargs)


class Expertise(models.Model):
    """A kind of professional expertise the NPM counts (APT: what professional
    expertise is required?): people hold it, visits require it, the report counts it.

    A managed list the coordinator keeps, so "healthcare" in one place and
    "medical" in another cannot both be counted; `legal` and `medical`, the two
    the APT says every NPM must hold, are always in it (see `REQUIRED_EXPERTISE`).
    """

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Stable identifier used in imports, exports and the dataset format."),
    )
    label = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("register:expertise_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.pk and self.code != type(self).objects.get(pk=self.pk).code:
            raise ValidationError(
                {"code": _("The code is what records refer to; add a new expertise instead.")}
            )


#: APT: every NPM must hold legal and medical expertise; never removed from the list.
REQUIRED_EXPERTISE = ("legal", "medical")


def expertise_vocabulary() -> dict[str, str]:
    """{code: label} of every expertise in the managed list, legal and medical always."""
    found = dict(Expertise.objects.values_list("code", "label"))
    if not found:
        # an empty list (a fresh or flushed database) means the kinds an NPM starts with
        found = dict(codes.EXPERTISE)
    for code in REQUIRED_EXPERTISE:
        found.setdefault(code, code.capitalize())
    return found


def unknown_expertise(codes_given) -> str:
    """A message naming the codes outside the managed list, or "" when all are known."""
    if not isinstance(codes_given, list | tuple | set | dict):
        return str(_("Give a list of expertise."))
    unknown = sorted({str(c) for c in codes_given} - set(expertise_vocabulary()))
    if not unknown:
        return ""
    return str(
        _("Not in the list of expertise: %(codes)s. The coordinator adds new kinds of expertise.")
    ) % {"codes": ", ".join(unknown)}


def expertise_label(code: str, vocabulary: dict[str, str] | None = None) -> str:
    """The expertise's name; an unknown code reads as itself with spaces, never with underscores."""
    from armslength.core.labels import label

    vocabulary = vocabulary if vocabulary is not None else expertise_vocabulary()
    # the kinds an NPM starts with read in the reader's language while the coordinator
    # keeps their English name; a name the coordinator chose is data, shown as written
    return str(label(vocabulary.get(code) or code.replace("_", " ")))


class Body(KeyedModel):
    """A member body of the NPM (one of the ~20 UK bodies), the unit that owns people."""

    # Reading rights: everyone signed in reads bodies; only the coordinator writes them.
    body_lookup = None
    person_lookup = None

    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, unique=True)
    jurisdictions = models.CharField(_("jurisdictions"), max_length=200, blank=True)
    place_types = models.JSONField(_("place types monitored"), default=list, blank=True)
    mandate_beyond_npm = models.BooleanField(
        _("mandate reaches beyond the NPM"),
        default=False,
        help_text=_("UK-4, UK-7: some members' powers are broader than their OPCAT functions."),
    )
    is_coordinator = models.BooleanField(_("coordinates the NPM"), default=False)
    npm_unit = models.CharField(
        _("NPM unit"),
        max_length=120,
        blank=True,
        help_text=_(
            "UK-9: the separate unit or department where the body locates its NPM staff, "
            "as people's unit reads. Empty: no separate unit."
        ),
    )

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = _("member body")
        verbose_name_plural = _("member bodies")

    def __str__(self) -> str:
        return f"{self.abbreviation} — {self.name}"

    def key_seed(self) -> str:
        return self.abbreviation

    def get_absolute_url(self) -> str:
        return reverse("register:body_detail", args=[self.pk])


class Organisation(KeyedModel):
    """An organisation outside the NPM: a ministry, an operator, a police force, an NGO."""

    body_lookup = None
    person_lookup = None

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sector = models.CharField(_("sector"), max_length=30, choices=labels.choices(codes.SECTORS))
    works_at = models.ManyToManyField(
        "Establishment",
        verbose_name=_("works at"),
        blank=True,
        related_name="organisations_working",
        help_text=_(
            "Establishments where the organisation works (an NGO that visits, a contractor): "
            "someone with a role in it shares no information with it on visits there "
            "(APT: conflict of interest)."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("register:organisation_detail", args=[self.pk])

    def ancestors(self) -> list[Organisation]:
        """Parents from nearest to furthest; stops at a cycle rather than looping forever."""
        chain: list[Organisation] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def clean(self) -> None:
        super().clean()
        node = self.parent
        while node is not None:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError(
                    {"parent": _("An organisation cannot be its own parent or ancestor.")}
                )
            node = node.parent


class Establishment(KeyedModel):
    """A place of deprivation of liberty that NPM bodies visit."""

    body_lookup = None
    person_lookup = None

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(
        _("type"),
        max_length=60,
        help_text=_("Place type, e.g. prison, police_custody, immigration_removal_centre."),
    )
    operator = models.ForeignKey(
        Organisation,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="establishments",
        help_text=_("Leave empty only if unknown: conflict checks then fail closed."),
    )
    region = models.CharField(_("region"), max_length=60, blank=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=60, blank=True)
    visiting_bodies = models.ManyToManyField(
        Body, verbose_name=_("bodies that may visit"), blank=True, related_name="establishments"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("register:establishment_detail", args=[self.pk])


class Person(KeyedModel):
    """Someone who works for a member body: member, staff, secondee or external expert."""

    body_lookup = "body"
    person_lookup = "pk"
    #: readable by the person alone (issue 12, finding 2): never in another reader's
    #: sort, filter, search, export or subject-access download
    SPECIAL_CATEGORY_FIELDS = ("ethnicity", "minority_status")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="people"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=labels.choices(codes.CATEGORIES)
    )
    npm_role = models.CharField(
        _("NPM role"),
        max_length=20,
        choices=labels.choices(codes.NPM_ROLES),
        blank=True,
        help_text=_("UK-9: identify who does NPM work, frontline or support."),
    )
    unit = models.CharField(_("unit"), max_length=120, blank=True)
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=labels.choices(codes.GENDERS))
    # Special-category data (SPEC "Who sees what"): self-declared, optional, shown
    # only to the person themself and used elsewhere only in suppressed aggregates.
    # Never sortable, filterable or searchable by others (SPECIAL_CATEGORY_FIELDS).
    ethnicity = models.CharField(_("ethnicity (self-described)"), max_length=120, blank=True)
    minority_status = models.CharField(
        _("minority status (self-declared)"),
        max_length=120,
        blank=True,
        choices=labels.choices(codes.MINORITY_STATUSES),
    )
    home_region = models.CharField(_("home region"), max_length=60, blank=True)
    can_lead = models.BooleanField(_("may lead visits"), default=False)
    leadership = models.BooleanField(
        _("holds a leadership or decision-making position"), default=False
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    reports_to_origin = models.BooleanField(
        _("reports to their organisation of origin"),
        default=False,
        help_text=_("APT: seconded officials should be accountable only to the NPM."),
    )
    full_time_npm = models.BooleanField(_("full time on NPM work"), default=True)
    npm_share = models.DecimalField(
        _("share of time on NPM work"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("From 0.01 to 1.00; leave empty when full time."),
    )
    joined = models.DateField(_("joined"), null=True, blank=True)
    left = models.DateField(_("left"), null=True, blank=True)
    term_start = models.DateField(_("term of office starts"), null=True, blank=True)
    term_end = models.DateField(_("term of office ends"), null=True, blank=True)
    term_appointing_process = models.CharField(_("appointing process"), max_length=200, blank=True)
    term_renewable = models.BooleanField(_("term renewable"), null=True, blank=True)
    # Workload limits for visit planning (UK-13: assign work so nobody is over-committed).
    max_visits = models.PositiveSmallIntegerField(
        _("most visits a year"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    max_days = models.PositiveSmallIntegerField(
        _("most visit days a year"), null=True, blank=True, help_text=_("Empty: no limit.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["body", "category"])]

    def __str__(self) -> str:
        return self.name

    def key_seed(self) -> str:
        body_key = self.body.key if self.body_id else "person"
        return f"{body_key}-{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("register:person_detail", args=[self.pk])

    @property
    def fte(self):
        """Full-time equivalent for reporting: the declared share, or 1 when full time."""
        if self.npm_share is not None:
            return self.npm_share
        return 1 if self.full_time_npm else None

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.joined is None or self.joined <= on) and (self.left is None or on < self.left)

    def current_secondments(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return [s for s in self.secondments.all() if s.covers(on)]

    def post(self) -> team.Post:
        """The facts about being in post that the team rules read (`engine/team.py`)."""
        return team.Post(
            name=self.name,
            category=self.category,
            npm_role=self.npm_role,
            joined=self.joined,
            left=self.left,
            term_start=self.term_start,
            term_end=self.term_end,
            secondments=tuple((s.start, s.end) for s in self.secondments.all()),
        )

    def is_secondee_on(self, day: dt.date | None = None) -> bool:
        """The one answer to "is this person a secondee on that day" (`team.is_secondee_on`)."""
        return team.is_secondee_on(self.post(), day or timezone.localdate())

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.joined and self.left and self.left < self.joined:
            errors["left"] = _("The leaving date is before the joining date.")
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = _("The term ends before it starts.")
        has_term = self.term_start or self.term_end
        if has_term and self.category != "member":
            errors["term_start"] = _("Only members have a term of office.")
        if self.npm_share is not None:
            if not (0 < self.npm_share <= 1):
                errors["npm_share"] = _("Give a share between 0.01 and 1.00.")
            elif self.full_time_npm and self.npm_share < 1:
                errors["npm_share"] = _("A full-time person's share is 1.00; untick full time.")
        if self.reports_to_id and self.reports_to_id == self.pk:
            errors["reports_to"] = _("A person cannot report to themself.")
        if unknown := unknown_expertise(self.expertise):
            errors["expertise"] = unknown
        today = timezone.localdate()
        if (
            self.pk
            and self.category != "secondee"
            and any(s.covers(today) for s in self.secondments.all())
        ):
            errors["category"] = _(
                "This person has a current secondment, so their category must be secondee."
            )
        if errors:
            raise ValidationError(errors)


class Secondment(models.Model):
    """A period in which someone from another organisation works for a member body.

    UK-10 to UK-15 govern it: the NPM reduces reliance on secondees, recruits
    them openly, assesses their conflicts and never lets them inspect the place
    they came from or will return to.
    """

    body_lookup = "person__body"
    person_lookup = "person"

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="secondments"
    )
    origin = models.ForeignKey(
        Organisation,
        verbose_name=_("origin organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secondments_from",
        help_text=_(
            "Leave empty only if unknown: the person is then blocked everywhere (fail closed)."
        ),
    )
    origin_establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("origin establishment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secondments_from",
    )
    return_establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("likely return establishment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secondments_returning",
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    open_process = models.BooleanField(_("recruited through an open process"), default=False)
    published_criteria = models.BooleanField(_("against published criteria"), default=False)
    justification = models.TextField(
        _("justification"),
        blank=True,
        help_text=_("UK-11: why the knowledge and expertise cannot be found elsewhere."),
    )
    # None = not recorded (older records, imports that leave it out): not judged.
    inclusive = models.BooleanField(
        _("recruited through an inclusive process"),
        null=True,
        blank=True,
        help_text=_("UK-11: an open and inclusive recruitment process."),
    )
    merit_based = models.BooleanField(
        _("selected on merit"),
        null=True,
        blank=True,
        help_text=_("APT: seconded officials are selected through a merit-based process."),
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")

    def __str__(self) -> str:
        origin = self.origin.name if self.origin_id else _("unknown origin")
        return _("%(person)s from %(origin)s (%(period)s)") % {
            "person": self.person.name,
            "origin": origin,
            "period": self.period(),
        }

    def get_absolute_url(self) -> str:
        return reverse("register:secondment_detail", args=[self.pk])

    def get_additional_data(self) -> dict:
        return {"parent": f"register.person:{self.person_id}"}

    def period(self) -> str:
        start = date_format(self.start, "DATE_FORMAT") if self.start else "…"
        end = date_format(self.end, "DATE_FORMAT") if self.end else _("open")
        return _("%(start)s to %(end)s") % {"start": start, "end": end}

    def covers(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date is before the start date.")})
        if erased := recruitment_answers_erased(self):
            raise ValidationError(erased)
        current = self.covers(timezone.localdate())
        if current and self.person_id and self.person.category != "secondee":
            raise ValidationError(
                {
                    "start": _(
                        "This secondment is current, but %(name)s's category is "
                        "%(category)s: change the category to secondee first."
                    )
                    % {"name": self.person.name, "category": self.person.get_category_display()}
                }
            )


#: The recruitment record's two yes/no questions (UK-11; APT: seconded officials), kept on
#: the secondment and on the recruitment record. None is "not recorded" (not judged).
RECRUITMENT_QUESTIONS = ("inclusive", "merit_based")


def recruitment_answers_erased(record) -> dict[str, str]:
    """The questions whose stored answer (yes or no) this change would erase, with why not.

    An answer once given stays given: erasing a "no" back to "not recorded" would
    silence the `secondee-recruitment` and `secondee-selection` findings it raised.
    Every door runs the model's `clean()`, so web, API and imports all refuse it (a
    spreadsheet's empty cell keeps the answer instead: `spreadsheets.importer`).
    """
    if record.pk is None:
        return {}
    stored = (
        type(record)._default_manager.filter(pk=record.pk).values(*RECRUITMENT_QUESTIONS).first()
    )
    if stored is None:
        return {}
    return {
        name: _("An answer once given cannot be erased: answer yes or no.")
        for name in RECRUITMENT_QUESTIONS
        if stored[name] is not None and getattr(record, name) is None
    }


class TrainingRecord(models.Model):
    """Training a person took, optionally towards one of the APT skills."""

    body_lookup = "person__body"
    person_lookup = "person"

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="training_records"
    )
    title = models.CharField(_("course or training"), max_length=200)
    skill = models.CharField(
        _("skill"), max_length=40, choices=labels.choices(codes.APT_SKILLS), blank=True
    )
    completed = models.DateField(_("completed on"))
    provider = models.CharField(_("provider"), max_length=200, blank=True)

    class Meta:
        ordering = ["-completed"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return f"{self.title} ({date_format(self.completed, 'DATE_FORMAT')})"

    def get_additional_data(self) -> dict:
        return {"parent": f"register.person:{self.person_id}"}

    def get_absolute_url(self) -> str:
        return reverse("register:trainingrecord_detail", args=[self.pk])


def unrecorded_secondee(person: Person, on: dt.date | None = None) -> bool:
    """The engine's fail-closed condition (UK-14), asked of a register record.

    For the forms, the person page and the spreadsheet import, which must
    warn before (or without) a screening of the whole register.
    """
    has_secondment = person.pk is not None and person.secondments.exists()
    return secondment_unrecorded(
        person.category, person.left, has_secondment, on or timezone.localdate()
    )


def outside_npm_unit(npm_unit: str, unit: str, npm_role: str | None) -> bool:
    """UK-9: someone on NPM work (frontline or support) outside the body's NPM unit.

    Only asked of a body that has recorded its unit; units are compared as
    people write them, ignoring case and surrounding spaces.
    """
    if not npm_unit.strip() or npm_role not in ("frontline", "support"):
        return False
    return (unit or "").strip().casefold() != npm_unit.strip().casefold()
