"""The CP-SAT model of specs/planning.md for a set of visits, the rest held fixed.

With every visit and every eligible person it is the exact problem; the
large-neighbourhood search solves it for one window of visits at a time with
everyone's other commitments fixed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from armslength.planner.occupancy import Occupancy
from armslength.planner.problem import Problem

Teams = dict[int, list[tuple[int, str]]]


@dataclass
class SubResult:
    teams: Teams | None  # None when no solution was found
    optimal: bool
    objective: int
    bound: int


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(
        self, report: Callable[[int, int], None] | None, cancelled: Callable[[], bool] | None
    ):
        super().__init__()
        self.report, self.cancelled = report, cancelled

    def on_solution_callback(self) -> None:
        if self.report:
            self.report(whole(self.ObjectiveValue()), floor_bound(self.BestObjectiveBound()))
        if self.cancelled and self.cancelled():
            self.StopSearch()


def solve_visits(
    problem: Problem,
    visits: list[int],
    pools: dict[int, list[int]],
    fixed: Occupancy,
    hint: Teams,
    *,
    time_limit: float,
    workers: int,
    report=None,
    cancelled=None,
) -> SubResult:
    model = cp_model.CpModel()
    w = problem.weights
    y: dict[int, cp_model.IntVar] = {}
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    lead: dict[tuple[int, int], cp_model.IntVar] = {}
    by_person: dict[int, list[int]] = defaultdict(list)
    cost_terms = []
    for v in visits:
        visit = problem.visits[v]
        y[v] = model.NewBoolVar(f"y{v}")
        members = []
        for p in pools[v]:
            if not fixed.fits(p, v):
                continue
            var = model.NewBoolVar(f"x{p}_{v}")
            x[p, v] = var
            members.append(p)
            by_person[p].append(v)
            cost = problem.cost(p, v)
            if cost:
                cost_terms.append(cost * var)
            if problem.people[p].may_lead:
                lead[p, v] = model.NewBoolVar(f"l{p}_{v}")
                model.AddImplication(lead[p, v], var)
        model.Add(sum(x[p, v] for p in members) == visit.team_size * y[v])
        for tag, n in visit.requires:
            holders = [x[p, v] for p in members if tag in problem.people[p].expertise]
            model.Add(sum(holders) >= n * y[v])
        if visit.min_women:
            women = [x[p, v] for p in members if problem.people[p].gender == "female"]
            model.Add(sum(women) >= visit.min_women * y[v])
        leads = [lead[p, v] for p in members if (p, v) in lead]
        if visit.needs_lead:
            model.Add(sum(leads) == y[v])
        elif leads:
            model.Add(sum(leads) <= 1)
    for p, mine in by_person.items():
        person = problem.people[p]
        # Visits overlap when their ranges share a day; a set of intervals that
        # pairwise overlap all contain the latest start, so one constraint per start day.
        spans = sorted((problem.visits[v].start, problem.visits[v].end, v) for v in mine)
        cliques = {frozenset(u for a, b, u in spans if a <= start <= b) for start, _, _ in spans}
        for clique in cliques:
            if len(clique) > 1:
                model.AddAtMostOne([x[p, u] for u in sorted(clique)])
        if person.max_visits is not None:
            model.Add(sum(x[p, v] for v in mine) <= person.max_visits - fixed.visits[p])
        if person.max_days is not None:
            model.Add(
                sum(problem.visits[v].days * x[p, v] for v in mine)
                <= person.max_days - fixed.visit_days[p]
            )
    model.Minimize(sum(w["unplanned"] * (1 - y[v]) for v in visits) + sum(cost_terms))
    for v in visits:
        team = dict(hint.get(v, []))
        model.AddHint(y[v], 1 if team else 0)
        for p in pools[v]:
            if (p, v) in x:
                model.AddHint(x[p, v], 1 if p in team else 0)
            if (p, v) in lead:
                model.AddHint(lead[p, v], 1 if team.get(p) == "lead" else 0)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = max(1, workers)
    status = solver.Solve(model, _Progress(report, cancelled))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SubResult(None, False, 0, floor_bound(solver.BestObjectiveBound()))
    teams: Teams = {}
    for v in visits:
        if solver.Value(y[v]):
            teams[v] = [
                (p, "lead" if (p, v) in lead and solver.Value(lead[p, v]) else "member")
                for p in pools[v]
                if (p, v) in x and solver.Value(x[p, v])
            ]
    return SubResult(
        teams,
        status == cp_model.OPTIMAL,
        whole(solver.ObjectiveValue()),
        floor_bound(solver.BestObjectiveBound()),
    )


# CP-SAT reports integer objectives as floats (10002.999999999998): round the
# objective, and round the bound up only by what the float error can hide.
def whole(value: float) -> int:
    return round(value)


def floor_bound(value: float) -> int:
    return math.ceil(value - 1e-6)
