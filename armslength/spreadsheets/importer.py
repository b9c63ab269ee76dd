"""Checking a spreadsheet against the register, then writing it all or nothing.

`check()` reads every row, resolves every reference, runs the models' own
validation (the same `clean()` the web forms run) and returns a `Plan`: each
row's change (new, update, unchanged) and every error with its row and
column. Nothing is written. `apply()` writes a plan without errors in one
transaction, each save audited. `import_sheet()` does both, inside one
transaction, so the register cannot change between the check and the write.

A re-import of the same file finds every row unchanged and writes nothing:
rows are matched by their stable key (see each kind's `identity`), and a row
whose values equal the record's is left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from armslength.core.hooks import facts_batch, record_changed
from armslength.core.keys import in_namespace
from armslength.declarations.models import Affiliation, ReviewStatus
from armslength.declarations.services import (
    DECLARED_FIELDS,
    declaration_create,
    declaration_update,
)
from armslength.register.models import (
    RECRUITMENT_QUESTIONS,
    Body,
    Establishment,
    Organisation,
    Person,
    Secondment,
    unrecorded_secondee,
)
from armslength.register.services import secondment_create, secondment_update
from armslength.spreadsheets.columns import BODY_KINDS, CellError, Column, Kind, blank
from armslength.spreadsheets.reading import Sheet

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Change:
    row: int
    action: str  # "new", "update" or "unchanged"
    instance: models.Model
    many: dict[str, list] = field(default_factory=dict)


@dataclass
class Plan:
    kind: Kind
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: what the file leaves to do but does not stop it (a secondment to follow)
    warnings: list[RowError] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def summary(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("new", "update", "unchanged")}


class ImportRejected(Exception):
    def __init__(self, plan: Plan):
        self.plan = plan
        super().__init__(f"{len(plan.errors)} errors; nothing was imported")


class Mapping:
    """Which column of the file feeds which column of the kind."""

    def __init__(self, kind: Kind, header: list[str], chosen: dict[str, str]):
        self.kind = kind
        position = {h: i for i, h in enumerate(header)}
        self.index = {name: position[h] for name, h in chosen.items() if h in position}
        self.file_header = {name: h for name, h in chosen.items() if h in position}

    @classmethod
    def guess(cls, kind: Kind, header: list[str], remembered: dict[str, str] | None = None):
        """A remembered mapping where it still fits the file, else same-named columns."""
        normal = {_normal(h): h for h in header if h}
        chosen = {}
        for column in kind.columns:
            previous = (remembered or {}).get(column.name)
            if previous in header:
                chosen[column.name] = previous
            elif _normal(column.name) in normal:
                chosen[column.name] = normal[_normal(column.name)]
        return chosen

    def missing_required(self) -> list[str]:
        return [c.name for c in self.kind.columns if c.required and c.name not in self.index]

    def where(self, column: str) -> str:
        """The column as the person sees it in their file."""
        return self.file_header.get(column, column)


def _normal(title: str) -> str:
    return slugify(title).replace("-", "_")


# --- the register as the importer sees it -----------------------------------------


class Lookups:
    """Everything a row may refer to, loaded once (a national file is thousands of rows)."""

    def __init__(self, kind: Kind, body: Body | None):
        self.body = body
        self.organisations = {o.key: o for o in Organisation.objects.all()}
        self.establishments = {e.key: e for e in Establishment.objects.all()}
        self.bodies = {}
        for b in Body.objects.all():
            self.bodies[b.key.lower()] = b
            self.bodies[b.abbreviation.lower()] = b
        self.people: dict[str, Person] = {}
        self.other_bodies_keys: set[str] = set()
        if kind.key in BODY_KINDS and body is not None:
            for p in Person.objects.all():
                if p.body_id == body.pk:
                    self.people[p.key] = p
                else:
                    self.other_bodies_keys.add(p.key)
        self.existing = self._existing(kind)

    def _existing(self, kind: Kind) -> dict:
        if kind.key == "organisations":
            return dict(self.organisations)
        if kind.key == "establishments":
            return dict(self.establishments)
        if kind.key == "people":
            return dict(self.people)
        mine = [p.pk for p in self.people.values()]
        if kind.key == "secondments":
            return {
                (s.person_id, s.start): s for s in Secondment.objects.filter(person_id__in=mine)
            }
        return {
            (a.person_id, a.kind, a.establishment_id, a.organisation_id, a.start): a
            for a in Affiliation.objects.filter(person_id__in=mine)
        }

    def resolve(self, column: Column, value):
        if column.many and column.ref == "establishment":
            found = []
            for ref in value:
                est = self.establishments.get(ref)
                if est is None:
                    raise CellError(f"no establishment with key {ref!r}")
                found.append(est)
            return found
        if column.ref == "body":
            found = []
            for ref in value:
                body = self.bodies.get(ref.lower())
                if body is None:
                    raise CellError(f"no body {ref!r} (use the abbreviation, e.g. HMIP)")
                found.append(body)
            return found
        if not value:
            return None
        if column.ref == "organisation":
            table, what = self.organisations, "organisation"
        elif column.ref == "establishment":
            table, what = self.establishments, "establishment"
        else:
            table, what = self.people, "person"
        found = table.get(value)
        if found is None and what == "person" and self.body is not None:
            found = table.get(in_namespace(self.body.key, value))  # `alice` for `hmip-alice`
        if found is None:
            scope = f" in {self.body.abbreviation}" if what == "person" and self.body else ""
            raise CellError(f"no {what} with key {value!r}{scope}")
        return found


# --- checking -------------------------------------------------------------------


def check(
    kind: Kind,
    sheet: Sheet,
    chosen: dict[str, str],
    *,
    body: Body | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Every change the file would make and every error in it; writes nothing."""
    plan = Plan(kind)
    mapping = Mapping(kind, sheet.header, chosen)
    for name in mapping.missing_required():
        plan.errors.append(RowError(1, name, "this required column is not in the file"))
    if plan.errors:
        return plan
    if kind.key in BODY_KINDS and body is None:
        plan.errors.append(RowError(1, "", f"{kind.label} are imported into a body: name one"))
        return plan
    lookups = Lookups(kind, body)
    if kind.key == "organisations":
        _expect_new_organisations(kind, mapping, lookups, sheet)
    seen: dict[object, int] = {}
    total = len(sheet.rows)
    for done, (number, cells) in enumerate(sheet.rows, start=1):
        change = _check_row(kind, mapping, lookups, number, cells, seen, plan.errors)
        if change is not None:
            plan.changes.append(change)
            plan.warnings.extend(_row_warnings(kind, mapping, change))
        if progress and (done % 250 == 0 or done == total):
            progress(done, total)
    return plan


def _row_warnings(kind: Kind, mapping: Mapping, change: Change) -> list[RowError]:
    """UK-14 fails closed for a secondee with no secondment record: say so on their row.

    A warning, not an error: the secondments may follow in the next file.
    """
    person = change.instance
    if kind.key != "people" or not unrecorded_secondee(person):
        return []
    return [
        RowError(
            change.row,
            mapping.where("category"),
            "a secondee with no secondment record: record the secondment (import the "
            "secondments file next); until then they are blocked at every establishment (UK-14)",
        )
    ]


def _expect_new_organisations(kind, mapping, lookups, sheet) -> None:
    """A row may name as parent an organisation that a later row of the file adds."""
    for _number, cells in sheet.rows:
        try:
            key = (
                kind.column("key").parse(cells[mapping.index["key"]])
                if "key" in mapping.index
                else ""
            )
            name = kind.column("name").parse(cells[mapping.index["name"]])
        except CellError:
            continue
        key = key or slugify(name)[:80]
        if key and key not in lookups.organisations:
            lookups.organisations[key] = Organisation(key=key)


def _check_row(kind, mapping, lookups, number, cells, seen, errors) -> Change | None:
    """One row's change, or None after adding every error the row has to `errors`.

    A bad cell does not stop the row's other checks: a duplicate key or a
    leaving date before the joining date is found on the same pass as a
    misspelt category, so nobody has to upload a file twice to see it all.
    """
    values, many, failed = {}, {}, set()
    for name, index in mapping.index.items():
        column = kind.column(name)
        raw = cells[index]
        try:
            value = column.parse(raw)
            if column.ref:
                value = lookups.resolve(column, value)
        except CellError as exc:
            errors.append(RowError(number, mapping.where(name), str(exc), _shown(raw)))
            failed.add(column.field)
            continue
        if column.required and blank(value) and value is not False:
            errors.append(RowError(number, mapping.where(name), "is empty", ""))
            failed.add(column.field)
            continue
        if column.many:
            many[column.field] = value
        else:
            values[column.field] = value
    if not _identity_readable(kind, values, failed):
        return None
    if kind.key == "people" and lookups.body is not None and values.get("key"):
        # under the body's code, as the API and the web form do (issue 12, finding 4)
        values["key"] = in_namespace(lookups.body.key, values["key"])
    identity = _identity(kind, values, lookups)
    if identity in seen:
        errors.append(
            RowError(
                number,
                mapping.where(_identity_column(kind)),
                f"duplicate {kind.singular}: the same {kind.identity} as row {seen[identity]}",
                _cell(kind, mapping, cells, _identity_column(kind)),
            )
        )
        return None
    seen[identity] = number
    if kind.key == "people" and values["key"] in lookups.other_bodies_keys:
        errors.append(
            RowError(
                number,
                mapping.where("key"),
                "this key is already in use; choose another",
                values["key"],
            )
        )
        return None
    existing = lookups.existing.get(identity)
    if existing is not None:
        # an empty cell is "not recorded" for a new record only: it keeps an answer given
        for name in RECRUITMENT_QUESTIONS:
            if name in values and values[name] is None and getattr(existing, name) is not None:
                del values[name]
    instance = existing or _new(kind, lookups, identity)
    if not failed and existing is not None and _unchanged(existing, values, many):
        return Change(number, "unchanged", existing)
    if existing is not None and failed:
        # Checking a half-read row against a record must not change the record in memory.
        instance = type(existing)._default_manager.get(pk=existing.pk)
    for name, value in values.items():
        setattr(instance, name, value)
    problems = _validate(instance, skip=failed)
    for name, messages in problems.items():
        column = _column_for(kind, name)
        for message in messages:
            errors.append(
                RowError(
                    number, mapping.where(column), message, _cell(kind, mapping, cells, column)
                )
            )
    if failed or problems:
        return None
    return Change(number, "update" if existing else "new", instance, many)


def _validate(instance, *, skip: set[str]) -> dict[str, list[str]]:
    """The model's field checks and its `clean()` together, like a form's full clean.

    Fields whose cell could not be read are left out, so they are reported once.
    """
    found: dict[str, list[str]] = {}
    try:
        instance.clean_fields(exclude=_references(instance) + sorted(skip))
    except ValidationError as exc:
        found.update(exc.message_dict)
    try:
        instance.clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name not in skip:
                found.setdefault(name, []).extend(messages)
    except (TypeError, ValueError, AttributeError):
        # A row with unreadable cells may leave clean() facts it cannot compare;
        # those cells are already reported, and a full row is checked again on upload.
        if not skip:
            raise
    return found


def _identity_readable(kind: Kind, values: dict, failed: set[str]) -> bool:
    """Whether the cells that identify the row were read, so duplicates can be found."""
    if kind.key in ("organisations", "establishments"):
        return "key" not in failed and (bool(values.get("key")) or "name" not in failed)
    if kind.key == "people":
        needed = {"key"}
    elif kind.key == "secondments":
        needed = {"person", "start"}
    else:
        needed = {"person", "kind", "establishment", "organisation", "start"}
    return not (needed & failed)


def _cell(kind: Kind, mapping: Mapping, cells, column: str) -> str:
    """The cell as the file has it, to show beside an error about it."""
    index = mapping.index.get(column)
    return _shown(cells[index]) if index is not None else ""


def _shown(raw) -> str:
    return "" if raw is None else str(raw)[:80]


def _identity(kind: Kind, values: dict, lookups: Lookups):
    if kind.key in ("organisations", "establishments"):
        values["key"] = values.get("key") or slugify(values.get("name", ""))[:80]
        return values["key"]
    if kind.key == "people":
        return values["key"]
    person = values["person"].pk
    if kind.key == "secondments":
        return (person, values.get("start"))
    target_est = values.get("establishment")
    target_org = values.get("organisation")
    return (
        person,
        values["kind"],
        target_est.pk if target_est else None,
        target_org.pk if target_org else None,
        values.get("start"),
    )


def _identity_column(kind: Kind) -> str:
    return "person" if kind.key in ("secondments", "affiliations") else "key"


def _new(kind: Kind, lookups: Lookups, identity):
    if kind.key == "organisations":
        return lookups.organisations.get(identity) or Organisation()
    if kind.key == "establishments":
        return Establishment()
    if kind.key == "people":
        return Person(body=lookups.body)
    if kind.key == "secondments":
        return Secondment()
    return Affiliation(status=ReviewStatus.ACCEPTED, review_note="Imported from a spreadsheet")


def _unchanged(instance, values: dict, many: dict) -> bool:
    for name, value in values.items():
        if getattr(instance, name) != value:
            return False
    for name, targets in many.items():
        current = {b.pk for b in getattr(instance, name).all()}
        if current != {b.pk for b in targets}:
            return False
    return True


def _references(instance) -> list[str]:
    """Foreign keys were resolved from the register already; no query per row to re-check."""
    return [f.name for f in instance._meta.concrete_fields if f.is_relation]


def _column_for(kind: Kind, field_name: str) -> str:
    for column in kind.columns:
        if column.field == field_name:
            return column.name
    return "" if field_name == "__all__" else field_name


# --- writing ---------------------------------------------------------------------


def apply(plan: Plan, *, user=None, progress: Progress | None = None) -> dict[str, int]:
    """Write a checked plan in one transaction; every save is on the audit trail."""
    if plan.errors:
        raise ImportRejected(plan)
    writes = [c for c in plan.changes if c.action != "unchanged"]
    # one batch: the consequences (visit alerts, findings) run once, after the last row
    with transaction.atomic(), set_actor(user) if user else nullcontext(), facts_batch():
        for done, change in enumerate(_parents_first(writes), start=1):
            left_before = _left_before(change.instance)
            instance = _save(change.instance, user)
            for name, targets in change.many.items():
                getattr(instance, name).set(targets)
            _leaving(instance, left_before, user)
            if progress and done % 250 == 0:
                progress(done, len(writes))
    return plan.summary()


def _left_before(instance):
    """A person's leaving date as the register has it, before this row is written."""
    if not isinstance(instance, Person) or instance.pk is None:
        return None
    return Person.objects.filter(pk=instance.pk).values_list("left", flat=True).first()


def _leaving(instance, left_before, user) -> None:
    """A leaving date set by a row opens the exit checklist through the same service as the
    web and the API (the acknowledgement asked before the date)."""
    if isinstance(instance, Person) and instance.left and instance.left != left_before:
        from armslength.visits.services import person_leaving_set

        person_leaving_set(person=instance, left=instance.left, user=user)


def _save(instance, user):
    """Through the record type's service, as a change made on the web would be."""
    if isinstance(instance, Affiliation):
        values = {f: getattr(instance, f) for f in DECLARED_FIELDS}
        if instance.pk is None:
            # declarations kept elsewhere arrive reviewed, by the manager importing them
            return declaration_create(
                person=values.pop("person"),
                values=values,
                user=user,
                status=ReviewStatus.ACCEPTED,
                note=instance.review_note,
            )
        current = Affiliation.objects.select_for_update().get(pk=instance.pk)
        return declaration_update(declaration=current, values=values, user=user)
    if isinstance(instance, Secondment):
        values = {
            f.name: getattr(instance, f.name)
            for f in Secondment._meta.concrete_fields
            if f.name not in ("id", "person")
        }
        if instance.pk is None:
            return secondment_create(person=instance.person, values=values, user=user)
        return secondment_update(secondment=instance, values=values, user=user)
    instance.save()
    record_changed(instance, user=user)
    return instance


def _parents_first(changes: list[Change]) -> list[Change]:
    """New organisations after the new parents they name, so every reference is saved."""
    if not changes or not isinstance(changes[0].instance, Organisation):
        return changes

    def depth(org: Organisation) -> int:
        n, node, seen = 0, org.parent, set()
        while node is not None and id(node) not in seen:
            seen.add(id(node))
            n, node = n + 1, node.parent
        return n

    return sorted(changes, key=lambda c: depth(c.instance))


def import_sheet(
    kind: Kind,
    sheet: Sheet,
    chosen: dict[str, str],
    *,
    body: Body | None = None,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Plan:
    """Check and write in one transaction: all of it, or (on any error) none of it."""
    with transaction.atomic():
        plan = check(kind, sheet, chosen, body=body, progress=progress)
        if plan.errors:
            raise ImportRejected(plan)
        if not dry_run:
            apply(plan, user=user)
    return plan
