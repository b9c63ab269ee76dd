"""Consequences of a changed fact, registered from the outside in.

A service in a lower layer (the register, declarations, safeguard records)
says "these people's facts changed" once; the apps above it (visits raise
alerts, compliance recomputes findings) register what follows in their
`AppConfig.ready()`. The lower layer never imports them (docs/architecture.md).

An import of thousands of rows wraps its writes in `facts_batch()`: the
consequences then run once, for everyone, when the batch ends, instead of
once per row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

_FACT_HOOKS: list[tuple[int, Callable]] = []
_BATCH = threading.local()


def on_facts_changed(hook: Callable, *, order: int = 50) -> Callable:
    """Register `hook(people=[Person, ...], user=...)`, run after each change of facts.

    Lower `order` runs first (findings, which write nothing the screening cache
    watches, before visit alerts, which do).
    """
    if all(h is not hook for _o, h in _FACT_HOOKS):
        _FACT_HOOKS.append((order, hook))
        _FACT_HOOKS.sort(key=lambda item: item[0])
    return hook


def facts_changed(*, people: Iterable, user=None) -> None:
    """Run every registered consequence for these people (now, or at the batch's end)."""
    people = [p for p in people if p is not None]
    batch = getattr(_BATCH, "people", None)
    if batch is not None:
        batch.extend(people)
        _BATCH.user = user
        return
    _run(people, user)


def _run(people: list, user) -> None:
    # even with nobody named (an establishment changed) the findings hook has work to do
    unique = list({p.pk: p for p in people}.values())
    for _order, hook in _FACT_HOOKS:
        hook(people=unique, user=user)


@contextmanager
def facts_batch():
    """Collect every `facts_changed` inside the block; run the consequences once at its end
    (not when the block raises: the writes are rolled back with it)."""
    if getattr(_BATCH, "people", None) is not None:  # already batching: the outer one runs
        yield
        return
    _BATCH.people, _BATCH.user = [], None
    try:
        yield
        people, user = _BATCH.people, _BATCH.user
    finally:
        _BATCH.people = None
    _run(people, user)


#: record types the engine reads (`screening/dataset_io.register_dataset`): a change to one
#: can change verdicts and findings, whichever door it came through
FACT_RECORDS = frozenset(
    {
        "register.body",
        "register.organisation",
        "register.establishment",
        "register.person",
        "register.secondment",
        "declarations.affiliation",
        "compliance.assessment",
        "compliance.supervision",
        "compliance.acknowledgement",
        "compliance.recruitmentrecord",
        "screening.policyversion",
    }
)


def record_changed(obj, *, user=None) -> None:
    """A record was saved or deleted through a generic door (a form, the API): if the engine
    reads it, run the consequences for the person it is about (or for nobody in particular)."""
    if obj._meta.label_lower not in FACT_RECORDS:
        return
    if obj._meta.label_lower == "register.person":
        person = obj if obj.pk is not None else None  # a deleted person has no visits left
    else:
        person = getattr(obj, "person", None)
    facts_changed(people=[person] if person is not None else [], user=user)
