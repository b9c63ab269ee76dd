"""Declarations' state changes: each one function that every door calls.

The web forms, the API, the spreadsheet importer and the dataset import all
go through these, so a declaration is treated the same whichever way it comes
in (issue 13):

- a new declaration counts at once, reviewed or not (fail safe);
- once a manager has reviewed a declaration, its declarant's edit or end is a
  *proposal*: the record keeps what was reviewed (and the engine keeps reading
  it) and goes back to review; a manager's acceptance applies the change. So a
  backdated end cannot quietly turn `restricted` into `clear`;
- a reviewed declaration is ended, never deleted, by its declarant;
- every change that alters the facts is followed by the registered consequences
  (`core.hooks.facts_changed`: visit alerts, findings).
"""

from __future__ import annotations

import copy
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from armslength.core.hooks import facts_changed
from armslength.declarations.models import Affiliation, ReviewStatus

#: what a declarant declares; the review fields are the manager's
DECLARED_FIELDS = (
    "person",
    "kind",
    "establishment",
    "organisation",
    "role",
    "detail",
    "with_role",
    "start",
    "end",
    "on_leave",
)


class DeclarationRefused(Exception):
    """The change is not allowed (the message says why and what to do instead)."""


def is_declarant(user, declaration: Affiliation) -> bool:
    """The person the declaration is about, acting for themself."""
    return bool(user and getattr(user, "person_id", None) == declaration.person_id)


def is_reviewed(declaration: Affiliation) -> bool:
    return declaration.reviewed_at is not None


def _validated(declaration: Affiliation) -> None:
    try:
        declaration.full_clean(validate_unique=False)
    except ValidationError:
        raise


@transaction.atomic
def declaration_create(
    *, person, values: dict, user=None, status: str = ReviewStatus.PENDING, note: str = ""
) -> Affiliation:
    """Record a declaration about `person`. It counts from now, reviewed or not.

    `status` other than pending is for a manager's own record or an import of
    declarations already reviewed elsewhere; the manager is then the reviewer.
    """
    declaration = Affiliation(person=person, declared_by=user, declared_at=timezone.now())
    for name, value in values.items():
        if name != "person":
            setattr(declaration, name, value)
    if status != ReviewStatus.PENDING:
        declaration.status = status
        declaration.review_note = note
        declaration.reviewed_by = user
        declaration.reviewed_at = timezone.now()
    _validated(declaration)
    declaration.save()
    facts_changed(people=[person], user=user)
    return declaration


def _changes(declaration: Affiliation, values: dict) -> dict:
    changed = {}
    for name, value in values.items():
        if name not in DECLARED_FIELDS:
            raise ValueError(f"{name} is not something a declaration declares")
        if getattr(declaration, name) != value:
            changed[name] = value
    return changed


def _proposal(declaration: Affiliation, changed: dict) -> dict:
    """The changed values as stored while they wait for review (field attname -> text)."""
    proposal = dict(declaration.proposed or {})
    for name, value in changed.items():
        field = Affiliation._meta.get_field(name)
        holder = copy.copy(declaration)
        setattr(holder, name, value)
        proposal[field.attname] = field.value_to_string(holder)
    return proposal


def proposed_values(declaration: Affiliation) -> dict:
    """The declarant's proposed change, as model values (empty when none waits)."""
    values = {}
    for attname, text in (declaration.proposed or {}).items():
        field = next(f for f in Affiliation._meta.concrete_fields if f.attname == attname)
        values[attname] = None if text in (None, "") and field.null else field.to_python(text)
    return values


@transaction.atomic
def declaration_update(*, declaration: Affiliation, values: dict, user=None) -> Affiliation:
    """Change what a declaration says.

    The declarant's change of a reviewed declaration waits for review (see the
    module's docstring); any other change applies at once.
    """
    changed = _changes(declaration, values)
    if not changed:
        return declaration
    candidate = copy.copy(declaration)
    for name, value in changed.items():
        setattr(candidate, name, value)
    _validated(candidate)
    if is_declarant(user, declaration) and is_reviewed(declaration):
        declaration.proposed = _proposal(declaration, changed)
        declaration.status = ReviewStatus.PENDING
        declaration.save(update_fields=["proposed", "status"])
        return declaration
    for name, value in changed.items():
        setattr(declaration, name, value)
    if is_declarant(user, declaration):
        declaration.status = ReviewStatus.PENDING
    declaration.save()
    facts_changed(people=[declaration.person], user=user)
    return declaration


def declaration_end(*, declaration: Affiliation, end: dt.date, user=None) -> Affiliation:
    """End a declared position or tie on `end` (a tie can be temporary).

    By its declarant, once reviewed, the end is a proposal until a manager accepts it.
    """
    if declaration.start and end < declaration.start:
        raise ValidationError(
            {"end": f"It cannot end before it started ({declaration.start.isoformat()})."}
        )
    return declaration_update(declaration=declaration, values={"end": end}, user=user)


@transaction.atomic
def declaration_review(
    *, declaration: Affiliation, status: str, note: str = "", user=None
) -> Affiliation:
    """A manager's decision: accepted, queried (with a question) or corrected.

    Accepting (or correcting) applies the declarant's proposed change, if any;
    a query leaves it waiting. Nobody reviews their own declaration.
    """
    if status not in (ReviewStatus.ACCEPTED, ReviewStatus.QUERIED, ReviewStatus.CORRECTED):
        raise ValidationError({"status": "Accept, query or correct."})
    if status == ReviewStatus.QUERIED and not note:
        raise ValidationError({"note": "Write the question you are asking."})
    if is_declarant(user, declaration):
        raise DeclarationRefused("Nobody reviews their own declaration: another manager must.")
    applied = False
    if status != ReviewStatus.QUERIED and declaration.proposed:
        for attname, value in proposed_values(declaration).items():
            setattr(declaration, attname, value)
        declaration.proposed = {}
        _validated(declaration)
        applied = True
    declaration.status = status
    declaration.review_note = note
    declaration.reviewed_by = user
    declaration.reviewed_at = timezone.now()
    declaration.save()
    if applied:
        facts_changed(people=[declaration.person], user=user)
    return declaration


@transaction.atomic
def declaration_delete(*, declaration: Affiliation, user=None) -> None:
    """Remove a declaration made in error. Once reviewed, its declarant ends it instead:
    the record of what was declared and reviewed stays."""
    if is_declarant(user, declaration) and is_reviewed(declaration):
        raise DeclarationRefused(
            "This declaration has been reviewed: end it on the date it ended instead of "
            "deleting it."
        )
    person = declaration.person
    declaration.delete()
    facts_changed(people=[person], user=user)
