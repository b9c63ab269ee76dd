"""Planning a whole programme: exact for small problems, a greedy start and a
large-neighbourhood search over time windows for large ones, with a proved
lower bound reported beside the objective."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from armslength.planner.candidates import Candidates, build_candidates
from armslength.planner.greedy import Occupancy, greedy_plan, greedy_team
from armslength.planner.model import Teams, solve_visits
from armslength.planner.plan import Plan, objective_of
from armslength.planner.problem import Problem

#: problems up to this many person-visit pairs are solved as one exact model
EXACT_PAIRS = 60_000
WINDOW = 60  # visits re-optimised together in one neighbourhood

Progress = Callable[[int, int, float], None]  # objective, bound, fraction of time used


def make_plan(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    workers: int | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Plan:
    started = time.monotonic()
    workers = workers or min(8, os.cpu_count() or 1)
    pairs = len(problem.people) * len(problem.visits)
    exact = pairs <= EXACT_PAIRS
    cands = build_candidates(problem, limit=None if exact else 1)
    hopeless = _hopeless(problem, cands, workers)
    bound = sum(
        problem.weights["unplanned"] if v in hopeless else cands.cheapest_team[v]
        for v in range(len(problem.visits))
    )
    pools = {v: ([] if v in hopeless else ps) for v, ps in cands.by_visit.items()}
    teams = greedy_plan(problem, pools)
    objective = objective_of(problem, teams)

    def elapsed() -> float:
        return time.monotonic() - started

    def report(obj: int, bnd: int) -> None:
        if progress:
            progress(obj, max(bound, bnd), min(1.0, elapsed() / max(time_limit, 1e-9)))

    report(objective, bound)
    optimal = objective == bound
    if exact and not optimal:
        result = solve_visits(
            problem,
            list(range(len(problem.visits))),
            pools,
            Occupancy(problem),
            teams,
            time_limit=time_limit - elapsed(),
            workers=workers,
            report=report,
            cancelled=cancelled,
        )
        if result.teams is not None and result.objective <= objective:
            teams, objective = result.teams, result.objective
        bound = max(bound, result.bound)
        optimal = result.optimal or objective == bound
    elif not optimal:
        teams, objective = _search(
            problem,
            pools,
            teams,
            objective,
            started,
            time_limit,
            workers,
            lambda obj: report(obj, bound),
            cancelled,
        )
        optimal = objective == bound
    plan = Plan(
        teams=teams,
        status="optimal" if optimal else "feasible",
        objective=objective,
        bound=min(bound, objective),
        seconds=elapsed(),
    )
    plan.reasons = explain_unplanned(problem, cands, hopeless, teams)
    return plan


def _hopeless(problem: Problem, cands: Candidates, workers: int) -> set[int]:
    """Visits no team could staff even on their own, checked exactly where counts pass."""
    hopeless = set(cands.hopeless)
    for v, pool in cands.by_visit.items():
        if v in hopeless or greedy_team(problem, v, pool, None) is not None:
            continue
        alone = solve_visits(
            problem, [v], {v: pool}, Occupancy(problem), {}, time_limit=5.0, workers=workers
        )
        if not alone.teams:
            hopeless.add(v)
    return hopeless


def _search(
    problem,
    pools,
    teams: Teams,
    objective: int,
    started: float,
    time_limit: float,
    workers: int,
    report,
    cancelled,
) -> tuple[Teams, int]:
    """Re-optimise windows of consecutive visits with everything else fixed, until time is up."""
    order = sorted(
        range(len(problem.visits)),
        key=lambda v: (problem.visits[v].start, problem.visits[v].end, v),
    )
    size = min(WINDOW, len(order))
    offset = 0
    quiet_passes = 0
    while quiet_passes < 2:
        improved = False
        for first in range(offset, len(order), max(1, size // 2)):
            left = time_limit - (time.monotonic() - started)
            if left <= 0.2 or (cancelled and cancelled()):
                return teams, objective
            window = order[first : first + size]
            fixed = Occupancy(problem)
            for v, team in teams.items():
                if v not in window:
                    for p, _role in team:
                        fixed.add(p, v)
            before = objective_of(
                problem, {v: teams[v] for v in window if v in teams}
            ) - problem.weights["unplanned"] * (len(problem.visits) - len(window))
            result = solve_visits(
                problem,
                window,
                pools,
                fixed,
                teams,
                time_limit=min(left, 2.0),
                workers=workers,
                cancelled=cancelled,
            )
            if result.teams is None or result.objective >= before:
                continue
            for v in window:
                teams.pop(v, None)
            teams.update(result.teams)
            objective = objective_of(problem, teams)
            improved = True
            report(objective)
        quiet_passes = 0 if improved else quiet_passes + 1
        offset = (offset + size // 3) % max(1, size)
    return teams, objective


def explain_unplanned(
    problem: Problem, cands: Candidates, hopeless: set[int], teams: Teams
) -> dict[int, list[str]]:
    reasons = {}
    for visit in problem.visits:
        if visit.index in teams:
            continue
        if visit.index in hopeless:
            reasons[visit.index] = alone_reasons(problem, visit.index)
        else:
            reasons[visit.index] = [
                "every team that could staff it clashes with visits planned at the same "
                "time or with people's workload limits"
            ]
    return reasons


def alone_reasons(problem: Problem, v: int) -> list[str]:
    """Why no team can be formed for a visit even with everyone free."""
    visit = problem.visits[v]
    eligible = [problem.people[p] for p in range(len(problem.people)) if problem.eligible(p, v)]
    reasons = []
    if len(eligible) < visit.team_size:
        reasons.append(
            f"only {len(eligible)} people are available and not barred by a "
            f"conflict (team size {visit.team_size})"
        )
    for tag, n in visit.requires:
        have = sum(1 for p in eligible if tag in p.expertise)
        if have == 0:
            reasons.append(f"no available person with expertise {tag}")
        elif have < n:
            reasons.append(f"only {have} available people with expertise {tag} (needs {n})")
    women = sum(1 for p in eligible if p.gender == "female")
    if women < visit.min_women:
        reasons.append(f"only {women} available women (needs {visit.min_women})")
    if visit.needs_lead and not any(p.may_lead for p in eligible):
        reasons.append("no available person who may lead (secondees never lead)")
    return reasons or [
        "no combination of the available people meets every requirement of the team at once"
    ]
