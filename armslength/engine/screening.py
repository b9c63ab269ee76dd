"""Screening: answer the dataset's queries, or screen everyone against everywhere."""

from __future__ import annotations

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
    window = Window.day(ctx.data.as_of)
    results = []
    for pid in sorted(people if people is not None else ctx.facts):
        facts = ctx.facts[pid]
        for est in sorted(reachable_establishments(ctx, facts, window)):
            result = evaluate(ctx, pid, est, window)
            if result.verdict != Verdict.CLEAR:
                results.append(result)
    return results
