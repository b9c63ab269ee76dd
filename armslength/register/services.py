"""The register's state changes that carry rules: secondments.

A secondment changes what the engine says about the person (UK-14), so each
change is followed by the registered consequences (`core.hooks.facts_changed`:
visit alerts, findings) whichever door it came through.
"""

from __future__ import annotations

from django.db import transaction

from armslength.core.hooks import facts_changed
from armslength.register.models import Secondment


def _set(secondment: Secondment, values: dict) -> None:
    for name, value in values.items():
        setattr(secondment, name, value)
    secondment.full_clean(validate_unique=False)


@transaction.atomic
def secondment_create(*, person, values: dict, user=None) -> Secondment:
    """Record a secondment of `person` (APT: seconded officials; UK-10 to UK-15)."""
    secondment = Secondment(person=person)
    _set(secondment, {k: v for k, v in values.items() if k != "person"})
    secondment.save()
    facts_changed(people=[person], user=user)
    return secondment


@transaction.atomic
def secondment_update(*, secondment: Secondment, values: dict, user=None) -> Secondment:
    before = secondment.person
    _set(secondment, values)
    secondment.save()
    facts_changed(people=[before, secondment.person], user=user)
    return secondment


@transaction.atomic
def secondment_delete(*, secondment: Secondment, user=None) -> None:
    person = secondment.person
    secondment.delete()
    facts_changed(people=[person], user=user)
