"""The register as an `armslength.dataset/1` document, and back.

Export writes every record the engine needs plus the register's further
fields (unit, skills, FTE share, visit type…), so that export then import into
an empty database gives the same records and the same screening. Import
validates the whole document with the engine's own validator and every record
with the model's own `full_clean()`, collects every error, and writes nothing
unless all of it is valid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from armslength.compliance.models import Acknowledgement, Assessment, Supervision
from armslength.compliance.safeguards import assessment_sign_off
from armslength.core.hooks import facts_batch, facts_changed
from armslength.declarations.models import Affiliation, ReviewStatus
from armslength.declarations.services import declaration_create
from armslength.engine.dataset import FORMAT, DatasetError, load_dataset
from armslength.engine.facts import Dataset
from armslength.engine.policy import PolicyError, check_guidance_sources
from armslength.register.models import (
    Body,
    Establishment,
    Expertise,
    Organisation,
    Person,
    Secondment,
    expertise_vocabulary,
)
from armslength.register.services import secondment_create
from armslength.screening.models import PolicyVersion
from armslength.visits.models import Visit


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def export_document(
    as_of: dt.date,
    *,
    people=None,
    policy: dict | None = None,
    include_special_category: bool = False,
) -> dict:
    """The whole register (or the given people's part of it) as a dataset document.

    Special-category fields (ethnicity, minority status) travel only when
    `include_special_category` is asked for (the operator's explicit flag).
    """
    people_qs = (people if people is not None else Person.objects.all()).select_related(
        "body", "reports_to"
    )
    person_ids = set(people_qs.values_list("pk", flat=True)) if people is not None else None

    def mine(qs):
        return qs if person_ids is None else qs.filter(person_id__in=person_ids)

    doc: dict = {"format": FORMAT, "as_of": as_of.isoformat()}
    if policy:
        doc["policy"] = policy
    doc["bodies"] = [
        {
            "id": b.key,
            "name": b.name,
            "abbreviation": b.abbreviation,
            "jurisdictions": b.jurisdictions,
            "place_types": b.place_types,
            "mandate_beyond_npm": b.mandate_beyond_npm,
            "npm_unit": b.npm_unit,
            "coordinator": b.is_coordinator,
        }
        for b in Body.objects.order_by("key")
    ]
    works_at = {}
    for org_id, est_key in Organisation.works_at.through.objects.values_list(
        "organisation_id", "establishment__key"
    ):
        works_at.setdefault(org_id, []).append(est_key)
    doc["organisations"] = [
        {
            "id": o.key,
            "name": o.name,
            "parent": o.parent.key if o.parent else None,
            "sector": o.sector,
            "works_at": sorted(works_at.get(o.pk, [])),
        }
        for o in Organisation.objects.select_related("parent").order_by("key")
    ]
    visiting = {}
    for est_id, body_key in Establishment.visiting_bodies.through.objects.values_list(
        "establishment_id", "body__key"
    ):
        visiting.setdefault(est_id, []).append(body_key)
    doc["establishments"] = [
        {
            "id": e.key,
            "name": e.name,
            "type": e.type,
            "operator": e.operator.key if e.operator else None,
            "region": e.region or None,
            "jurisdiction": e.jurisdiction,
            "visiting_bodies": sorted(visiting.get(e.pk, [])),
        }
        for e in Establishment.objects.select_related("operator").order_by("key")
    ]
    doc["people"] = [_person_record(p, include_special_category) for p in people_qs.order_by("key")]
    doc["secondments"] = [
        {
            "person": s.person.key,
            "origin": s.origin.key if s.origin else None,
            "origin_establishment": s.origin_establishment.key if s.origin_establishment else None,
            "return_establishment": s.return_establishment.key if s.return_establishment else None,
            "start": _date(s.start),
            "end": _date(s.end),
            "recruitment": {
                "open_process": s.open_process,
                "published_criteria": s.published_criteria,
                "justification": s.justification,
                # None: not recorded (not judged)
                "inclusive": s.inclusive,
                "merit_based": s.merit_based,
            },
        }
        for s in mine(Secondment.objects)
        .select_related("person", "origin", "origin_establishment", "return_establishment")
        .order_by("person__key", "start", "pk")
    ]
    doc["affiliations"] = [
        {
            "person": a.person.key,
            "kind": a.kind,
            **(
                {"establishment": a.establishment.key}
                if a.establishment_id
                else {"organisation": a.organisation.key}
            ),
            "role": a.role,
            "detail": a.detail,
            "with_role": a.with_role or None,
            "start": _date(a.start),
            "end": _date(a.end),
            "on_leave": a.on_leave,
            "status": a.status,
            "declared_at": a.declared_at.isoformat(),
            "review_note": a.review_note,
            "reviewed_by": _username(a.reviewed_by, a.reviewed_by_name),
            "reviewed_at": a.reviewed_at.isoformat() if a.reviewed_at else None,
        }
        for a in mine(Affiliation.objects)
        .select_related("person", "establishment", "organisation", "reviewed_by")
        .order_by("person__key", "start", "pk")
    ]
    cleared = {}
    for assessment_id, org_key in Assessment.cleared_organisations.through.objects.values_list(
        "assessment_id", "organisation__key"
    ):
        cleared.setdefault(assessment_id, []).append(org_key)
    doc["assessments"] = [
        {
            "person": a.person.key,
            "date": _date(a.date),
            "cleared_organisations": sorted(cleared.get(a.pk, [])),
            "next_review": _date(a.next_review),
            "areas_considered": a.areas_considered,
            "restrictions": a.restrictions,
        }
        # Only signed-off assessments count (UK-12): a draft clears nothing.
        for a in mine(Assessment.objects.filter(signed_off_at__isnull=False))
        .select_related("person")
        .order_by("person__key", "date")
    ]
    doc["supervisions"] = [
        {"person": s.person.key, "date": _date(s.date), "supervisor": s.supervisor}
        for s in mine(Supervision.objects).select_related("person").order_by("person__key", "date")
    ]
    doc["acknowledgements"] = [
        {
            "person": a.person.key,
            "kind": a.kind,
            "date": _date(a.date),
            "text_version": a.text_version,
        }
        for a in mine(Acknowledgement.objects)
        .select_related("person")
        .order_by("person__key", "date")
    ]
    partners = {}
    for visit_id, body_key in Visit.partner_bodies.through.objects.values_list(
        "visit_id", "body__key"
    ):
        partners.setdefault(visit_id, []).append(body_key)
    doc["visits"] = [
        {
            "id": v.key,
            "body": v.body.key,
            "establishment": v.establishment.key,
            "start": _date(v.start),
            "end": _date(v.end),
            "type": v.type,
            "status": v.status,
            "partner_bodies": sorted(partners.get(v.pk, [])),
        }
        for v in Visit.objects.select_related("body", "establishment").order_by("start", "key")
    ]
    if people is None:  # the NPM's policy history travels with the whole register
        doc["policy_versions"] = [
            {
                "version": v.version,
                "text": v.text,
                "note": v.note,
                "adopted_at": v.created_at.isoformat(),
                "adopted_by": _username(v.created_by, v.created_by_name),
            }
            for v in PolicyVersion.objects.select_related("created_by").order_by("created_at", "pk")
        ]
    return doc


def _person_record(p: Person, include_special_category: bool = False) -> dict:
    term = None
    if p.term_start or p.term_end:
        term = {
            "start": _date(p.term_start),
            "end": _date(p.term_end),
            "appointing_process": p.term_appointing_process,
            "renewable": p.term_renewable,
        }
    return {
        "id": p.key,
        "name": p.name,
        "body": p.body.key,
        "category": p.category,
        "npm_role": p.npm_role or None,
        "expertise": p.expertise,
        "gender": p.gender,
        "leadership": p.leadership,
        "full_time_npm": p.full_time_npm,
        "reports_to_origin": p.reports_to_origin,
        "left": _date(p.left),
        "term": term,
        "joined": _date(p.joined),
        "email": p.email,
        "unit": p.unit,
        "languages": p.languages,
        "skills": p.skills,
        "home_region": p.home_region,
        "can_lead": p.can_lead,
        "npm_share": str(p.npm_share) if p.npm_share is not None else None,
        "reports_to": p.reports_to.key if p.reports_to else None,
        **(
            {"ethnicity": p.ethnicity, "minority_status": p.minority_status}
            if include_special_category
            else {}
        ),
    }


def register_dataset(as_of: dt.date, **kwargs) -> Dataset:
    """The register as engine facts, through the same document `armslength screen` reads."""
    return load_dataset(export_document(as_of, **kwargs))


# --- import -------------------------------------------------------------------


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    #: expertise the dataset used that the managed list lacked, added to it
    added_expertise: list[str] = field(default_factory=list)

    def count(self, section: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[section] = target.get(section, 0) + 1

    def summary(self) -> str:
        parts = []
        for section in sorted(set(self.created) | set(self.updated)):
            parts.append(
                f"{section}: {self.created.get(section, 0)} new, "
                f"{self.updated.get(section, 0)} updated"
            )
        text = "; ".join(parts) or "nothing to import"
        if self.added_expertise:
            text += "; added to the list of expertise: " + ", ".join(self.added_expertise)
        return text


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(errors[0] + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""))
        self.errors = errors


class _Rollback(Exception):
    pass


def import_document(
    document, *, dry_run: bool = False, today: dt.date | None = None, actor=None
) -> ImportReport:
    """Import a dataset document: all or nothing. Raises `ImportFailed` listing every error.

    Records with an id (bodies, organisations, establishments, people, visits)
    are matched by that stable key and updated; the facts of each imported
    person (secondments, declarations, assessments, supervisions,
    acknowledgements) are replaced by the document's.
    """
    try:
        load_dataset(document, today=today)  # structure, codes, references, dates
    except DatasetError as exc:
        raise ImportFailed([str(exc)]) from None
    report = ImportReport()
    try:
        with transaction.atomic():
            _Importer(document, report, actor).run()
            if report.errors:
                raise _Rollback
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if report.errors:
        raise ImportFailed(report.errors)
    return report


#: a model field that holds a document field under another name, for error messages
DOCUMENT_NAMES = {"reviewed_by_name": "reviewed_by", "created_by_name": "adopted_by"}


class _Importer:
    def __init__(self, doc: dict, report: ImportReport, actor):
        self.doc = doc
        self.report = report
        self.actor = actor
        self.bodies: dict[str, Body] = {}
        self.orgs: dict[str, Organisation] = {}
        self.ests: dict[str, Establishment] = {}
        self.people: dict[str, Person] = {}

    def run(self) -> None:
        # one batch: the consequences (visit alerts, findings) run once, after the last record
        with facts_batch():
            self._expertise()
            self._bodies()
            self._organisations()
            self._establishments()
            self._works_at()
            self._people()
            self._facts()
            self._visits()
            self._policy_versions()
            facts_changed(people=self.people.values(), user=self.actor)

    def through(self, service, path: str, section: str, **kwargs):
        """A record written by its service (as through the web), its errors kept by path."""
        try:
            saved = service(**kwargs)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                where = path if name == "__all__" else f"{path}.{name}"
                self.report.errors.extend(f"{where}: {m}" for m in messages)
            return None
        self.report.count(section, True)
        return saved

    def _policy_versions(self) -> None:
        """Adopted versions, each once: matched by version and adoption time."""
        for i, r in self.rows("policy_versions"):
            adopted_at = dt.datetime.fromisoformat(r["adopted_at"])
            if PolicyVersion.objects.filter(version=r["version"], created_at=adopted_at).exists():
                continue
            try:
                check_guidance_sources(r["text"])  # no made-up guidance citation comes in
            except PolicyError as exc:
                self.report.errors.append(f"policy_versions[{i}].text: {exc}")
                continue
            v = PolicyVersion(
                text=r["text"],
                version=r["version"],
                note=r.get("note") or "",
                created_by=_user(r.get("adopted_by")),
                created_by_name=_unmatched(r.get("adopted_by")),
            )
            if self.save(v, f"policy_versions[{i}]", "policy_versions", True):
                PolicyVersion.objects.filter(pk=v.pk).update(created_at=adopted_at)

    def valid(self, obj, path: str, exclude=()) -> bool:
        try:
            obj.full_clean(exclude=list(exclude), validate_unique=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                name = DOCUMENT_NAMES.get(name, name)
                where = path if name == "__all__" else f"{path}.{name}"
                self.report.errors.extend(f"{where}: {m}" for m in messages)
            return False
        return True

    def checked(self, model, name: str, value, path: str):
        """One field's value checked as the model's field checks it (its length…); a
        refusal is reported at the document's field and the value left out."""
        try:
            return model._meta.get_field(name).clean(value, None)
        except ValidationError as exc:
            where = f"{path}.{DOCUMENT_NAMES.get(name, name)}"
            self.report.errors.extend(f"{where}: {m}" for m in exc.messages)
            return model._meta.get_field(name).get_default()

    def save(self, obj, path: str, section: str, created: bool, exclude=()) -> bool:
        if not self.valid(obj, path, exclude):
            return False
        obj.save()
        self.report.count(section, created)
        return True

    def _expertise(self) -> None:
        """A dataset's people and visits may hold expertise the list lacks: add it, and say so.

        (A spreadsheet row is a person typed by hand, where an unknown code is a
        typo to fix; a dataset is another NPM's register, whose words are kept.)
        """
        used: set[str] = set()
        for r in self.doc.get("people") or []:
            used.update(str(c) for c in r.get("expertise") or [])
        for r in self.doc.get("visits") or []:
            used.update(str(c) for c in (r.get("requires") or {}))
        known = set(expertise_vocabulary())
        for code in sorted(used - known):
            item = Expertise(code=code, label=code.replace("_", " ").capitalize())
            if self.save(item, f"expertise {code!r}", "expertise", True):
                self.report.added_expertise.append(code)

    def upsert(self, model, key: str):
        obj = model.objects.filter(key=key).first()
        return (obj, False) if obj else (model(key=key), True)

    def rows(self, section: str):
        return enumerate(self.doc.get(section) or [])

    def _bodies(self) -> None:
        for i, r in self.rows("bodies"):
            body, new = self.upsert(Body, r["id"])
            body.name = r.get("name") or r["id"]
            body.abbreviation = r.get("abbreviation") or r["id"].upper()
            body.jurisdictions = r.get("jurisdictions") or ""
            body.place_types = r.get("place_types") or []
            body.mandate_beyond_npm = bool(r.get("mandate_beyond_npm"))
            body.is_coordinator = bool(r.get("coordinator"))
            body.npm_unit = r.get("npm_unit") or ""
            if self.save(body, f"bodies[{i}]", "bodies", new):
                self.bodies[body.key] = body

    def _organisations(self) -> None:
        pending = []
        for i, r in self.rows("organisations"):
            org, new = self.upsert(Organisation, r["id"])
            org.name = r.get("name") or r["id"]
            org.sector = r.get("sector") or "other"
            org.parent = None
            if self.save(org, f"organisations[{i}]", "organisations", new):
                self.orgs[org.key] = org
                pending.append((org, r.get("parent")))
        for org, parent in pending:  # parents may come later in the list
            if parent:
                org.parent = self.orgs.get(parent) or Organisation.objects.get(key=parent)
                org.save(update_fields=["parent"])

    def _works_at(self) -> None:
        """After the establishments: an organisation's `works_at` names them."""
        for _, r in self.rows("organisations"):
            org = self.orgs.get(r["id"])
            if org is not None and "works_at" in r:
                org.works_at.set(self._est(k) for k in r["works_at"] or [])

    def _establishments(self) -> None:
        for i, r in self.rows("establishments"):
            est, new = self.upsert(Establishment, r["id"])
            est.name = r.get("name") or r["id"]
            est.type = r.get("type") or ""
            est.operator = self._org(r.get("operator"))
            est.region = r.get("region") or ""
            est.jurisdiction = r.get("jurisdiction") or ""
            if self.save(est, f"establishments[{i}]", "establishments", new):
                self.ests[est.key] = est
                if "visiting_bodies" in r:
                    est.visiting_bodies.set(self._body(k) for k in r["visiting_bodies"] or [])

    def _people(self) -> None:
        # The facts of every imported person are replaced by the document's; clear
        # them first so that a person's own checks see only what is imported.
        keys = [r["id"] for _, r in self.rows("people")]
        existing = Person.objects.filter(key__in=keys)
        for model in (Secondment, Affiliation, Assessment, Supervision, Acknowledgement):
            model.objects.filter(person__in=existing).delete()
        reports_to = []
        for i, r in self.rows("people"):
            p, new = self.upsert(Person, r["id"])
            term = r.get("term") or {}
            p.name = r.get("name") or r["id"]
            p.body = self._body(r["body"])
            p.category = r["category"]
            p.npm_role = r.get("npm_role") or ""
            p.expertise = list(r.get("expertise") or [])
            p.gender = r.get("gender") or "undisclosed"
            p.leadership = bool(r.get("leadership"))
            p.full_time_npm = r.get("full_time_npm", True) is not False
            p.reports_to_origin = bool(r.get("reports_to_origin"))
            p.left = _parse(r.get("left"))
            p.joined = _parse(r.get("joined"))
            p.term_start, p.term_end = _parse(term.get("start")), _parse(term.get("end"))
            p.term_appointing_process = term.get("appointing_process") or ""
            p.term_renewable = term.get("renewable")
            for name in ("email", "unit", "home_region"):
                setattr(p, name, r.get(name) or "")
            p.languages = list(r.get("languages") or [])
            p.skills = list(r.get("skills") or [])
            p.can_lead = bool(r.get("can_lead"))
            p.npm_share = Decimal(r["npm_share"]) if r.get("npm_share") else None
            for name in ("ethnicity", "minority_status"):  # only when exported with the flag
                if name in r:
                    setattr(p, name, r.get(name) or "")
            # The secondment check needs the person's facts, which follow below.
            if self.save(p, f"people[{i}]", "people", new, exclude=["reports_to"]):
                self.people[p.key] = p
                reports_to.append((p, r.get("reports_to")))
        for p, boss in reports_to:
            if boss:
                p.reports_to = self.people.get(boss) or Person.objects.filter(key=boss).first()
                p.save(update_fields=["reports_to"])

    def _facts(self) -> None:
        for i, r in self.rows("secondments"):
            rec = r.get("recruitment") or {}
            self.through(
                secondment_create,
                f"secondments[{i}]",
                "secondments",
                person=self._person(r["person"]),
                values={
                    "origin": self._org(r.get("origin")),
                    "origin_establishment": self._est(r.get("origin_establishment")),
                    "return_establishment": self._est(r.get("return_establishment")),
                    "start": _parse(r.get("start")),
                    "end": _parse(r.get("end")),
                    "open_process": bool(rec.get("open_process")),
                    "published_criteria": bool(rec.get("published_criteria")),
                    "justification": rec.get("justification") or "",
                    "inclusive": rec.get("inclusive"),
                    "merit_based": rec.get("merit_based"),
                },
                user=self.actor,
            )
        for i, r in self.rows("affiliations"):
            a = self.through(
                declaration_create,
                f"affiliations[{i}]",
                "affiliations",
                person=self._person(r["person"]),
                values={
                    "kind": r["kind"],
                    "establishment": self._est(r.get("establishment")),
                    "organisation": self._org(r.get("organisation")),
                    "role": r.get("role") or "",
                    "detail": r.get("detail") or "",
                    "with_role": r.get("with_role") or "",
                    "start": _parse(r.get("start")),
                    "end": _parse(r.get("end")),
                    "on_leave": bool(r.get("on_leave")),
                },
                user=self.actor,
                status=r.get("status") or ReviewStatus.PENDING,
            )
            if a is not None:
                if r.get("declared_at"):
                    a.declared_at = dt.datetime.fromisoformat(r["declared_at"])
                a.review_note = r.get("review_note") or ""
                # the document's review, as it was (not the moment of this import)
                reviewed_at = r.get("reviewed_at")
                a.reviewed_at = dt.datetime.fromisoformat(reviewed_at) if reviewed_at else None
                # the reviewer's account, where it exists in this register; else their name
                a.reviewed_by = _user(r.get("reviewed_by"))
                a.reviewed_by_name = self.checked(
                    Affiliation,
                    "reviewed_by_name",
                    _unmatched(r.get("reviewed_by")),
                    f"affiliations[{i}]",
                )
                a.save(
                    update_fields=[
                        "declared_at",
                        "review_note",
                        "reviewed_at",
                        "reviewed_by",
                        "reviewed_by_name",
                    ]
                )
        for i, r in self.rows("assessments"):
            a = Assessment(
                person=self._person(r["person"]),
                date=_parse(r["date"]),
                next_review=_parse(r.get("next_review")),
                areas_considered=r.get("areas_considered") or "",
                restrictions=r.get("restrictions") or "",
            )
            if self.save(a, f"assessments[{i}]", "assessments", True):
                a.cleared_organisations.set(
                    self._org(k) for k in r.get("cleared_organisations") or []
                )
                # The dataset lists assessments that were carried out: signed off as on the web.
                assessment_sign_off(assessment=a, user=self.actor)
        for i, r in self.rows("supervisions"):
            s = Supervision(
                person=self._person(r["person"]),
                date=_parse(r["date"]),
                supervisor=r.get("supervisor") or "",
            )
            self.save(s, f"supervisions[{i}]", "supervisions", True)
        for i, r in self.rows("acknowledgements"):
            a = Acknowledgement(
                person=self._person(r["person"]),
                kind=r["kind"],
                date=_parse(r["date"]),
                text_version=r.get("text_version") or "",
            )
            self.save(a, f"acknowledgements[{i}]", "acknowledgements", True)

    def _visits(self) -> None:
        for i, r in self.rows("visits"):
            v, new = self.upsert(Visit, r["id"])
            v.body = self._body(r.get("body")) if r.get("body") else None
            v.establishment = self._est(r["establishment"])
            v.start, v.end = _parse(r["start"]), _parse(r["end"])
            v.type = r.get("type") or v.type
            v.status = r.get("status") or v.status
            if v.body is None:
                self.report.errors.append(f"visits[{i}].body: is required to import a visit")
                continue
            partners = [self._body(k) for k in r.get("partner_bodies") or []]
            if new:
                if self.save(v, f"visits[{i}]", "visits", new):
                    v.partner_bodies.set(partners)
            elif self.valid(v, f"visits[{i}]"):
                # a visit moved or re-dated re-checks its whole team, as on the web
                from armslength.visits.services import visit_update

                visit_update(visit=v, values={}, partner_bodies=partners, user=self.actor)
                self.report.count("visits", False)

    # A reference to a record that failed validation resolves to None; the
    # record's own error is already reported, and the dependant's check adds
    # its own ("this field cannot be null") rather than crashing the import.
    def _body(self, key):
        return self.bodies.get(key) or Body.objects.filter(key=key).first()

    def _org(self, key):
        return (self.orgs.get(key) or Organisation.objects.filter(key=key).first()) if key else None

    def _est(self, key):
        return (
            (self.ests.get(key) or Establishment.objects.filter(key=key).first()) if key else None
        )

    def _person(self, key):
        return self.people.get(key) or Person.objects.filter(key=key).first()


def _username(account, imported_name: str) -> str | None:
    """Who did it, for the document: their account's user name, or the name an imported
    register gave when that account is not in this one (kept, so a round trip loses nobody)."""
    return account.get_username() if account is not None else (imported_name or None)


def _unmatched(username) -> str:
    """The document's user name when no account of this register has it, else ""."""
    return str(username) if username and _user(username) is None else ""


def _user(username):
    if not username:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).first()


def _parse(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
