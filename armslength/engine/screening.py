"""Screening: answer the dataset's queries, or screen everyone against everywhere."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass

from armslength.engine.context import Context
from armslength.engine.facts import Dataset, Window
from armslength.engine.findings import compute_findings
from armslength.engine.policy import Policy, default_policy
from armslength.engine.rules import evaluate, reachable_establishments
from armslength.engine.verdicts import Finding, Result, Verdict

RESULT_FORMAT = "armslength.screening/1"


@dataclass
class Screening:
    as_of: object
    policy: Policy
    results: list[Result]
    findings: list[Finding]

    def as_json(self) -> dict:
        return {
            "format": RESULT_FORMAT,
            "as_of": self.as_of.isoformat(),
            "policy": {"id": self.policy.id, "version": self.policy.version},
            "results": [r.as_json() for r in self.results],
            "findings": [f.as_json() for f in self.findings],
        }


def policy_for(data: Dataset, base: Policy | None = None) -> Policy:
    base = base or default_policy()
    return base.with_overrides(data.policy_overrides) if data.policy_overrides else base


def screen(data: Dataset, policy: Policy | None = None) -> Screening:
    """The screening of specs/screening.md: query answers (or all non-clear pairs) and findings."""
    ctx = Context(data, policy_for(data, policy))
    if data.queries is not None:
        results = [answer(ctx, q.person, q.establishment, q.visit) for q in data.queries]
    else:
        results = screen_all(ctx)
    return Screening(data.as_of, ctx.policy, results, compute_findings(ctx))


def answer(ctx: Context, person: str, establishment: str | None, visit: str | None) -> Result:
    if visit is not None:
        v = ctx.data.visits[visit]
        return evaluate(ctx, person, v.establishment, v.window, visit=visit)
    return evaluate(ctx, person, establishment, Window.day(ctx.data.as_of))


def screen_all(ctx: Context, people=None) -> list[Result]:
    """Every person against every establishment on `as_of`, listing only pairs not clear.

    Works from each person's facts to the establishments they can reach, which
    gives the same answer as checking every pair (see `reachable_establishments`).
    """
    return list(_screen_people(ctx, sorted(people if people is not None else ctx.facts)))


def _screen_people(ctx: Context, people: list[str]) -> Iterator[Result]:
    window = Window.day(ctx.data.as_of)
    for pid in people:
        facts = ctx.facts[pid]
        for est in sorted(reachable_establishments(ctx, facts, window)):
            result = evaluate(ctx, pid, est, window)
            if result.verdict != Verdict.CLEAR:
                yield result


def encode(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


# The context a forked worker inherits (copy-on-write: nothing is pickled).
_FORKED: Context | None = None


def _encode_slice(bounds: tuple[int, int]) -> str:
    assert _FORKED is not None
    people = sorted(_FORKED.facts)[bounds[0] : bounds[1]]
    return "\n".join(encode(r.as_json()) for r in _screen_people(_FORKED, people))


def screen_all_encoded(ctx: Context, workers: int | None = None) -> list[str]:
    """`screen_all` as JSON lines, split across processes for a national register.

    Each worker screens a contiguous, sorted slice of people and encodes its own
    results, so the output is in the same order as `screen_all`, and only text
    crosses between processes.
    """
    workers = workers or os.cpu_count() or 1
    people = len(ctx.facts)
    if workers <= 1 or people < 2_000 or "fork" not in multiprocessing.get_all_start_methods():
        return [encode(r.as_json()) for r in screen_all(ctx)]
    global _FORKED
    _FORKED = ctx
    try:
        step = -(-people // workers)
        bounds = [(i, min(i + step, people)) for i in range(0, people, step)]
        with multiprocessing.get_context("fork").Pool(len(bounds)) as pool:
            chunks = pool.map(_encode_slice, bounds)
    finally:
        _FORKED = None
    return [line for chunk in chunks if chunk for line in chunk.split("\n")]
