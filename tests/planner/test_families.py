"""The planner on small instances of every problem family (benchmarks/generate_plan_problem.py).

Each family keeps its shape at a few dozen people, so these run in seconds:
the start is never worse than the independent scarce-first greedy, every plan
passes the checker, and every reason for an unplanned visit names a
requirement that the final plan really leaves unmet.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from armslength.planner.bound import lagrangian_bound
from armslength.planner.check import check_plan
from armslength.planner.matrix import build_pairs
from armslength.planner.problem import SEVERITY, load_problem
from armslength.planner.solve import _hopeless, _Ranked, make_plan
from armslength.planner.start import best_start
from tests.planner.exhaustive import optimum, valid_teams
from tests.planner.strategies import small_problem

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate_plan_problem import FAMILIES, family
from plan_baselines import Doc, scarce_first_greedy

SCALE = 0.06  # 36 people, 150 visits: beyond the one-model size, so the search runs


@pytest.fixture(scope="module", params=sorted(FAMILIES))
def planned(request):
    doc = family(request.param, seed=2, scale=SCALE)
    problem = load_problem(doc)
    plan = make_plan(problem, time_limit=8, workers=2)
    return request.param, doc, problem, plan


def test_the_start_never_leaves_more_unplanned_than_the_scarce_first_greedy(planned):
    _name, doc, problem, _plan = planned
    greedy = scarce_first_greedy(Doc(doc))
    pairs = build_pairs(problem)
    ranked = _Ranked(pairs)
    start, _tried = best_start(problem, pairs, _hopeless(problem, ranked, 1), lambda: False, ranked)
    assert len(problem.visits) - len(start) <= len(problem.visits) - len(greedy)


def test_every_plan_of_every_family_passes_the_checker(planned):
    _name, _doc, problem, plan = planned
    assert check_plan(problem, plan.as_json(problem)) == []


def test_the_plan_never_leaves_more_unplanned_than_the_greedy(planned):
    _name, doc, _problem, plan = planned
    greedy = scarce_first_greedy(Doc(doc))
    assert len(plan.teams) >= len(greedy)


def test_each_unplanned_reason_names_a_failed_requirement_true_of_the_final_plan(planned):
    _name, _doc, problem, plan = planned
    assert_reasons_true(problem, plan)


def assert_reasons_true(problem, plan):
    """Recompute, from the final teams alone, who is free for each unplanned visit."""
    busy: dict[int, list[int]] = {}
    for v, team in plan.teams.items():
        for p, _role in team:
            busy.setdefault(p, []).append(v)
    out = plan.as_json(problem)
    for entry in out["unplanned"]:
        v = next(x.index for x in problem.visits if x.id == entry["visit"])
        findings = plan.findings[v]
        assert findings and [f.text for f in findings] == entry["reasons"]
        free = [p for p in range(len(problem.people)) if _free(problem, busy, p, v)]
        for finding in findings:
            if finding.need == "combination":
                # Every need has enough free holders, but no team of them exists.
                assert set(finding.free) == set(free)
                assert not [t for t in valid_teams(problem, v) if set(t[1]) <= set(free)]
                continue
            holders = [p for p in free if _holds(problem.people[p], finding.need)]
            assert set(finding.free) == set(holders)
            assert len(holders) < finding.needed
            assert any(word in finding.text for word in _words(finding.need))


def _free(problem, busy, p, v) -> bool:
    person, visit = problem.people[p], problem.visits[v]
    if SEVERITY[problem.verdicts.get((p, v), "clear")] >= SEVERITY["preparation_only"]:
        return False
    if any(a <= visit.end and visit.start <= b for a, b in person.unavailable):
        return False
    mine = [problem.visits[u] for u in busy.get(p, [])]
    if any(u.start <= visit.end and visit.start <= u.end for u in mine):
        return False
    if person.max_visits is not None and len(mine) + 1 > person.max_visits:
        return False
    return person.max_days is None or sum(u.days for u in mine) + visit.days <= person.max_days


def _holds(person, need: str) -> bool:
    if need == "team":
        return True
    if need == "lead":
        return person.can_lead and person.category != "secondee"
    if need == "women":
        return person.gender == "female"
    return need.removeprefix("expertise:") in person.expertise


def _words(need: str) -> tuple[str, ...]:
    """The words a reason about this need must use to name it."""
    named = {"team": ("person", "people"), "lead": ("lead",), "women": ("woman", "women")}
    return named.get(need, (f"{need.removeprefix('expertise:')} expertise",))


SMALL = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SMALL
@given(small_problem())
def test_the_capacity_aware_bound_is_never_above_the_exhaustive_optimum(doc):
    problem = load_problem(doc)
    pairs = build_pairs(problem)
    hopeless = _hopeless(problem, _Ranked(pairs), 1)
    best = optimum(problem)
    assert lagrangian_bound(problem, pairs, hopeless, upper=best + 50_000, seconds=5) <= best


@SMALL
@given(small_problem())
def test_reasons_on_small_problems_are_true_of_the_final_plan(doc):
    problem = load_problem(doc)
    plan = make_plan(problem, time_limit=5, workers=1)
    assert_reasons_true(problem, plan)
