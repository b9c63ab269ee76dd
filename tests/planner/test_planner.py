"""The team planner against specs/planning.md: validity, optimality, reasons, the command."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armslength.planner.check import check_plan
from armslength.planner.problem import ProblemError, load_problem
from armslength.planner.solve import make_plan
from tests.planner.exhaustive import optimum
from tests.planner.strategies import small_problem

ROOT = Path(__file__).resolve().parents[2]

SPEC_EXAMPLE = {
    "format": "armslength.plan-problem/1",
    "horizon": {"start": "2027-01-01", "end": "2027-12-31"},
    "travel": {"north": {"north": 0, "south": 4}, "south": {"north": 4, "south": 0}},
    "weights": {"unplanned": 10000, "travel": 1, "secondee": 6, "declared": 25, "restricted": 3},
    "people": [
        {
            "id": "p1",
            "body": "HMIP",
            "category": "staff",
            "expertise": ["legal"],
            "gender": "female",
            "region": "north",
            "max_visits": 12,
            "max_days": 40,
            "unavailable": [{"start": "2027-03-01", "end": "2027-03-05"}],
            "can_lead": True,
        },
        {
            "id": "p2",
            "body": "HMIP",
            "category": "staff",
            "expertise": ["medical"],
            "gender": "male",
            "region": "south",
        },
        {
            "id": "p3",
            "body": "HMIP",
            "category": "secondee",
            "expertise": ["medical"],
            "gender": "female",
            "region": "south",
            "can_lead": True,
        },
    ],
    "visits": [
        {
            "id": "v1",
            "establishment": "e1",
            "region": "south",
            "start": "2027-02-01",
            "end": "2027-02-03",
            "team_size": 3,
            "requires": {"medical": 1, "legal": 1},
            "min_women": 1,
            "needs_lead": True,
        },
    ],
    "conflicts": [{"person": "p2", "visit": "v1", "verdict": "declared"}],
}


def plan_for(doc, **kw):
    problem = load_problem(doc)
    plan = make_plan(problem, time_limit=kw.pop("time_limit", 10), workers=1, **kw)
    return problem, plan, plan.as_json(problem)


def test_the_spec_example():
    problem, _plan, out = plan_for(SPEC_EXAMPLE)
    assert out["status"] == "optimal" and out["objective"] == out["bound"] == 4 + 25 + 6
    roles = {a["person"]: a["role"] for a in out["assignments"]}
    assert roles == {"p1": "lead", "p2": "member", "p3": "member"}  # a secondee never leads
    assert check_plan(problem, out) == []


def test_an_impossible_visit_is_unplanned_with_a_reason():
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["visits"][0]["requires"] = {"psychology": 1}
    _, _, out = plan_for(doc)
    assert out["assignments"] == []
    assert out["unplanned"] == [
        {"visit": "v1", "reasons": ["nobody in the programme has psychology expertise"]}
    ]
    doc["conflicts"].append({"person": "p1", "establishment": "e1", "verdict": "block"})
    doc["visits"][0]["requires"] = {}
    _, _, out = plan_for(doc)
    assert out["unplanned"][0]["reasons"] == [
        "only 2 people clear for e1 (needs 3)",
        "the only person who may lead has a conflict barring them from e1",
    ]


@pytest.mark.parametrize(
    ("verdict", "planned"),
    [("block", False), ("preparation_only", False), ("restricted", True), ("declared", True)],
)
def test_block_and_preparation_only_never_join_a_team(verdict, planned):
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["conflicts"] = [{"person": "p3", "establishment": "e1", "verdict": verdict}]
    _, _, out = plan_for(doc)
    assert bool(out["assignments"]) is planned


def test_the_most_severe_of_several_entries_wins():
    doc = copy.deepcopy(SPEC_EXAMPLE)
    doc["conflicts"] = [
        {"person": "p3", "visit": "v1", "verdict": "declared"},
        {"person": "p3", "establishment": "e1", "verdict": "block"},
    ]
    assert load_problem(doc).verdict(2, 0) == "block"


SMALL = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SMALL
@given(small_problem())
def test_small_problems_are_proved_optimal_and_match_exhaustive_search(doc):
    problem, _plan, out = plan_for(doc)
    assert check_plan(problem, out) == []
    assert out["status"] == "optimal"
    assert out["objective"] == out["bound"] == optimum(problem)


@SMALL
@given(small_problem(), st.data())
def test_adding_a_block_never_makes_the_optimum_cheaper(doc, data):
    _, _, before = plan_for(doc)
    person = data.draw(st.sampled_from([p["id"] for p in doc["people"]]))
    visit = data.draw(st.sampled_from([v["id"] for v in doc["visits"]]))
    doc = copy.deepcopy(doc)
    doc["conflicts"].append({"person": person, "visit": visit, "verdict": "block"})
    _, _, after = plan_for(doc)
    assert after["status"] == before["status"] == "optimal"
    assert after["objective"] >= before["objective"]


@SMALL
@given(small_problem(max_people=8, max_visits=6))
def test_every_unplanned_visit_has_a_reason(doc):
    _, _, out = plan_for(doc)
    assert all(
        u["reasons"] and all(isinstance(r, str) and r for r in u["reasons"])
        for u in out["unplanned"]
    )


def test_the_checker_catches_broken_plans():
    problem, _, out = plan_for(SPEC_EXAMPLE)
    broken = copy.deepcopy(out)
    broken["assignments"] = [a for a in broken["assignments"] if a["person"] != "p2"]
    errors = check_plan(problem, broken)
    assert any("team of 2" in e for e in errors) and any("objective" in e for e in errors)
    broken = copy.deepcopy(out)
    for a in broken["assignments"]:
        a["role"] = "lead" if a["person"] == "p3" else "member"
    assert any("p3 may not lead" in e for e in check_plan(problem, broken))


def run_plan(tmp_path, doc, *extra):
    src, out = tmp_path / "problem.json", tmp_path / "plan.json"
    src.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    proc = subprocess.run(
        [sys.executable, "-m", "armslength.cli", "plan", str(src), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    return proc, out


def test_the_command_writes_a_plan(tmp_path):
    proc, out = run_plan(tmp_path, SPEC_EXAMPLE, "--time-limit", "5", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(out.read_text())
    assert plan["format"] == "armslength.plan/1" and plan["status"] == "optimal"


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d["visits"][0].pop("team_size"), "visits[0].team_size"),
        (lambda d: d["people"][1].update(gender="f"), "people[1].gender"),
        (lambda d: d["visits"][0].update(end="2027-01-01"), "visits[0].end"),
        (
            lambda d: d["conflicts"].append({"person": "p9", "visit": "v1", "verdict": "block"}),
            "conflicts[1].person",
        ),
        (lambda d: d["people"][0].update(region="west"), "people[0].region"),
        (lambda d: d["weights"].update(travel=-1), "weights.travel"),
    ],
)
def test_a_malformed_problem_exits_2_naming_the_field_and_writes_nothing(tmp_path, mutate, words):
    doc = copy.deepcopy(SPEC_EXAMPLE)
    mutate(doc)
    with pytest.raises(ProblemError, match=words.replace("[", r"\[").replace("]", r"\]")):
        load_problem(doc)
    proc, out = run_plan(tmp_path, doc)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and words in proc.stderr
    assert not out.exists()


def test_not_json_exits_2(tmp_path):
    proc, out = run_plan(tmp_path, "{not json")
    assert proc.returncode == 2 and "not valid JSON" in proc.stderr and not out.exists()


def test_a_large_programme_reports_valid_plans_as_the_search_goes_on():
    """Beyond the exact size the planner searches by neighbourhoods; every plan it
    hands out on the way, and the last, passes the independent checker."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate_plan_problem import generate

    doc = generate(seed=3, people=260, visits=240, establishments=40, impossible=2)
    problem = load_problem(doc)
    assert len(problem.people) * len(problem.visits) > 60_000  # not the exact model
    seen = []
    plan = make_plan(problem, time_limit=8, workers=2, interim=seen.append, interim_every=0)
    for interim in [*seen, plan]:
        assert check_plan(problem, interim.as_json(problem)) == []
    assert seen and plan.objective <= seen[0].objective
    unplanned = plan.as_json(problem)["unplanned"]
    assert sum("forensic_odontology expertise" in " ".join(u["reasons"]) for u in unplanned) == 2
