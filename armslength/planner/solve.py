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
WINDOW = 40  # visits re-optimised together in one neighbourhood

Progress = Callable[[int, int, float], None]  # objective, bound, fraction of time used


def make_plan(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    workers: int | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    interim: Callable[[Plan], None] | None = None,
    interim_every: float = 30.0,
) -> Plan:
    """Plan the programme within `time_limit` seconds.

    `progress` hears every improvement (objective, bound, fraction of time);
    `interim`, if given, receives a complete valid plan at most every
    `interim_every` seconds while a long search goes on.
    """
    started = time.monotonic()
    # Leave time to explain and write the plan within the caller's limit.
    time_limit = max(0.5, time_limit - min(2.0, 0.03 * time_limit))
    workers = workers or min(8, os.cpu_count() or 1)
    pairs = len(problem.people) * len(problem.visits)
    exact = pairs <= EXACT_PAIRS
    # Large problems keep, per visit, the cheapest people and then some: at 80 % of
    # capacity most people are needed somewhere, and the search needs room to move them.
    cands = build_candidates(problem, extra=150, limit=None if exact else 1)
    hopeless = _hopeless(problem, cands, workers)
    bound = sum(
        problem.weights["unplanned"] if v in hopeless else cands.cheapest_team[v]
        for v in range(len(problem.visits))
    )
    pools = {v: ([] if v in hopeless else ps) for v, ps in cands.by_visit.items()}
    if exact:
        teams = _repair(problem, greedy_plan(problem, pools), hopeless)
    else:
        # Over everyone, not only each visit's cheapest: at 80 % of capacity the
        # cheapest people are soon fully booked.
        teams = {v: t for v, t in greedy_plan(problem).items() if v not in hopeless}
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
        last_interim = [time.monotonic()]

        def improved(obj: int, current: Teams) -> None:
            report(obj, bound)
            if interim and time.monotonic() - last_interim[0] >= interim_every:
                last_interim[0] = time.monotonic()
                snapshot = Plan(
                    teams=dict(current), objective=obj, bound=min(bound, obj), seconds=elapsed()
                )
                snapshot.reasons = explain_unplanned(problem, cands, hopeless, current)
                interim(snapshot)

        teams, objective = _search(
            problem,
            pools,
            teams,
            objective,
            started,
            time_limit,
            workers,
            improved,
            cancelled,
            hopeless,
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
    hopeless: set[int],
) -> tuple[Teams, int]:
    """Large-neighbourhood search: re-optimise a window of visits with the rest fixed.

    Windows first go where a visit is still unplanned (the visits around it in
    time, whose people could be moved), then sweep the year by date to cut
    costs; each window keeps its result only if it is better.
    """
    by_date = sorted(
        range(len(problem.visits)),
        key=lambda v: (problem.visits[v].start, problem.visits[v].end, v),
    )
    position = {v: i for i, v in enumerate(by_date)}
    tried: dict[int, int] = {}
    sweep = 0
    quiet = 0

    def left() -> float:
        return time_limit - (time.monotonic() - started)

    while left() > 0.3 and not (cancelled and cancelled()) and quiet < 3:
        open_visits = [v for v in by_date if v not in teams and v not in hopeless]
        open_visits.sort(key=lambda v: tried.get(v, 0))
        window_pools = pools
        if open_visits and tried.get(open_visits[0], 0) < 3:
            target = open_visits[0]
            tried[target] = tried.get(target, 0) + 1
            window, window_pools = _ejection_window(
                problem, pools, teams, target, by_date, position, tried[target]
            )
        else:
            window = by_date[sweep : sweep + WINDOW]
            sweep = sweep + WINDOW // 2 if sweep + WINDOW < len(by_date) else 0
            if sweep == 0:
                quiet += 1
        fixed = Occupancy(problem)
        chosen = set(window)
        for v, team in teams.items():
            if v not in chosen:
                for p, _role in team:
                    fixed.add(p, v)
        before = _window_cost(problem, teams, window)
        result = solve_visits(
            problem,
            window,
            window_pools,
            fixed,
            teams,
            time_limit=min(left(), 2.0),
            workers=workers,
            cancelled=cancelled,
        )
        if result.teams is None or result.objective >= before:
            continue
        quiet = 0
        for v in window:
            teams.pop(v, None)
        teams.update(result.teams)
        objective = objective_of(problem, teams)
        report(objective, teams)
    return teams, objective


def everyone_eligible(problem: Problem, v: int) -> list[int]:
    return [p for p in range(len(problem.people)) if problem.eligible(p, v)]


def _repair(problem: Problem, teams: Teams, hopeless: set[int]) -> Teams:
    """After the greedy pass: give each still-unplanned visit a team from anyone free."""
    occupancy = Occupancy(problem)
    for v, team in teams.items():
        for p, _role in team:
            occupancy.add(p, v)
    for visit in problem.visits:
        if visit.index in teams or visit.index in hopeless:
            continue
        team = greedy_team(problem, visit.index, everyone_eligible(problem, visit.index), occupancy)
        if team is not None:
            teams[visit.index] = team
            for p, _role in team:
                occupancy.add(p, visit.index)
    return teams


def _ejection_window(problem, pools, teams: Teams, target: int, by_date, position, attempt):
    """The unplanned visit and the visits holding the people it could use.

    People who could staff it are either busy on overlapping visits or have
    used up their yearly limits on other visits; putting those visits in the
    window lets the solver move someone across and refill behind them. The
    unplanned visit may take anyone eligible; the others keep their current
    team plus their usual candidates.
    """
    eligible = everyone_eligible(problem, target)
    visit = problem.visits[target]
    holding: dict[int, list[int]] = {}
    for v, team in teams.items():
        for p, _role in team:
            holding.setdefault(p, []).append(v)
    eligible.sort(key=lambda p: problem.cost(p, target))
    chosen: list[int] = [target]
    seen = {target}
    budget = WINDOW * (1 + attempt) // 2
    for p in eligible[: 20 * attempt]:
        mine = holding.get(p, [])
        overlapping = [
            v
            for v in mine
            if problem.visits[v].start <= visit.end and visit.start <= problem.visits[v].end
        ]
        for v in overlapping or mine[:2]:
            if v not in seen and len(chosen) < budget:
                seen.add(v)
                chosen.append(v)
    if len(chosen) < budget:
        for v in _around(by_date, position[target], budget):
            if v not in seen and len(chosen) < budget:
                seen.add(v)
                chosen.append(v)
    window_pools = dict(pools)
    window_pools[target] = eligible
    for v in chosen[1:]:
        current = [p for p, _role in teams.get(v, [])]
        window_pools[v] = list(dict.fromkeys([*current, *pools[v]]))
    return chosen, window_pools


def _around(by_date: list[int], middle: int, size: int) -> list[int]:
    first = max(0, min(middle - size // 2, len(by_date) - size))
    return by_date[first : first + size]


def _window_cost(problem, teams: Teams, window: list[int]) -> int:
    cost = 0
    for v in window:
        team = teams.get(v)
        if team is None:
            cost += problem.weights["unplanned"]
        else:
            cost += sum(problem.cost(p, v) for p, _role in team)
    return cost


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
