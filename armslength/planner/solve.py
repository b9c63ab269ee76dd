"""Planning a whole programme: exact for small problems, a greedy start and a
large-neighbourhood search over time windows for large ones, with a proved
lower bound reported beside the objective."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from armslength.planner.bound import lagrangian_bound
from armslength.planner.matrix import build_pairs
from armslength.planner.model import Teams, solve_visits
from armslength.planner.occupancy import Occupancy
from armslength.planner.plan import Plan, objective_of
from armslength.planner.problem import Problem
from armslength.planner.reasons import Explainer, Finding, combination
from armslength.planner.repair import ejection_repair
from armslength.planner.start import best_start, covering_prefix, scarce_first_team

#: problems up to this many person-visit pairs are solved as one exact model
EXACT_PAIRS = 5_000
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
    # Leave time to repair, fill, explain and write the plan within the caller's limit.
    proofs = max(0.5, time_limit - 0.03 * time_limit)  # last proofs for the reasons
    finish = max(0.5, time_limit - min(1.0, 0.1 * time_limit) - 0.1 * time_limit)
    time_limit = max(0.4, finish - 0.06 * time_limit)
    workers = workers or min(8, os.cpu_count() or 1)

    def elapsed() -> float:
        return time.monotonic() - started

    pairs = build_pairs(problem)
    ranked = _Ranked(pairs)
    exact = len(problem.people) * len(problem.visits) <= EXACT_PAIRS
    hopeless = _hopeless(problem, ranked, workers, lambda: elapsed() > 0.1 * time_limit)
    # Each visit's cheapest people and then some, plus holders of its needs: the
    # windows of the search choose among these (targets of a repair among everyone).
    pools = {
        v: [] if v in hopeless else (ranked(v) if exact else _pool(problem, v, ranked(v)))
        for v in range(len(problem.visits))
    }
    teams, starts = best_start(
        problem, pairs, hopeless, lambda: elapsed() > 0.3 * time_limit, ranked
    )
    ejection_repair(problem, teams, ranked, hopeless, lambda: elapsed() > 0.45 * time_limit)
    objective = objective_of(problem, teams)
    bound = lagrangian_bound(
        problem, pairs, hopeless, objective, seconds=max(0.2, min(30.0, 0.06 * time_limit))
    )

    def report(obj: int, bnd: int) -> None:
        if progress:
            progress(obj, max(bound, bnd), min(1.0, elapsed() / max(time_limit, 1e-9)))

    report(objective, bound)
    optimal = objective <= bound
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
        optimal = result.optimal or objective <= bound
    elif not optimal:
        last_interim = [time.monotonic()]

        def improved(obj: int, current: Teams) -> None:
            report(obj, bound)
            if interim and time.monotonic() - last_interim[0] >= interim_every:
                last_interim[0] = time.monotonic()
                snapshot = Plan(
                    teams=dict(current), objective=obj, bound=min(bound, obj), seconds=elapsed()
                )
                # Mid-search nothing is settled: say so rather than spend the time explaining.
                snapshot.reasons = {
                    v: ["not planned yet: the search is still running"]
                    for v in range(len(problem.visits))
                    if v not in current
                }
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
            ranked,
        )
        optimal = objective <= bound
    if not exact:
        ejection_repair(problem, teams, ranked, hopeless, lambda: elapsed() > finish)
    unproved = fill_from_free(problem, teams, hopeless, ranked, workers, lambda: elapsed() > proofs)
    objective = objective_of(problem, teams)
    plan = Plan(
        teams=teams,
        status="optimal" if optimal or objective <= bound else "feasible",
        objective=objective,
        bound=min(bound, objective),
        seconds=elapsed(),
    )
    plan.starts = starts
    plan.findings = explain_unplanned(problem, teams, unproved)
    plan.reasons = {v: [f.text for f in fs] for v, fs in plan.findings.items()}
    return plan


class _Ranked:
    """Each visit's eligible people, cheapest first, computed once when first asked."""

    def __init__(self, pairs):
        self.pairs = pairs
        self.memo: dict[int, list[int]] = {}

    def __call__(self, v: int) -> list[int]:
        out = self.memo.get(v)
        if out is None:
            out = self.memo[v] = self.pairs.ranked(v)
        return out


def _occupancy(problem: Problem, teams: Teams, leave_out=()) -> Occupancy:
    occupancy = Occupancy(problem)
    for v, team in teams.items():
        if v not in leave_out:
            for p, _role in team:
                occupancy.add(p, v)
    return occupancy


def fill_from_free(
    problem: Problem, teams: Teams, hopeless: set[int], ranked, workers, out_of_time
) -> set[int]:
    """Last pass: any unplanned visit that the people still free can staff gets its team,
    so that what the reasons say (nobody free meets a need) is true of the plan.

    Returns the visits whose free people meet every need one by one but for which
    no team was found and none was proved impossible in the time."""
    occupancy = _occupancy(problem, teams)
    unproved = set()
    for visit in sorted(problem.visits, key=lambda v: (v.start, v.index)):
        v = visit.index
        if v in teams or v in hopeless:
            continue
        free = [p for p in ranked(v) if occupancy.fits(p, v)]
        team = scarce_first_team(problem, v, free)
        if team is None and len(free) >= visit.team_size and problem.covers(v, free):
            if out_of_time():
                unproved.add(v)
                continue
            alone = solve_visits(
                problem, [v], {v: free}, occupancy, {}, time_limit=1.0, workers=workers
            )
            team = (alone.teams or {}).get(v)
            if team is None and not alone.optimal:
                unproved.add(v)
        if team:
            teams[v] = team
            for p, _role in team:
                occupancy.add(p, v)
    return unproved


def _hopeless(problem: Problem, ranked, workers: int, out_of_time=lambda: False) -> set[int]:
    """Visits no team could staff even on their own, checked exactly where counts pass.

    Out of time, a visit not yet proved impossible is taken as possible: the
    search then tries it, and the bound stays valid (it only counts proved ones)."""
    hopeless = set()
    for visit in problem.visits:
        v = visit.index
        everyone = ranked(v)
        if scarce_first_team(problem, v, covering_prefix(problem, v, everyone)) is not None:
            continue
        if len(everyone) < visit.team_size or not problem.covers(v, everyone):
            hopeless.add(v)
            continue
        if out_of_time():
            continue
        # A team among the cheapest and the holders of each need proves it possible;
        # only failing that, everyone eligible is tried.
        for pool in (covering_prefix(problem, v, everyone, extra=20, holders=8), everyone):
            alone = solve_visits(
                problem, [v], {v: pool}, Occupancy(problem), {}, time_limit=5.0, workers=workers
            )
            if alone.teams:
                break
        if not alone.teams:
            hopeless.add(v)
    return hopeless


def _pool(problem: Problem, v: int, everyone: list[int]) -> list[int]:
    """The cheapest `team_size + 40` eligible people and enough holders of each need."""
    return covering_prefix(problem, v, everyone, extra=40, holders=4)


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
    ranked,
) -> tuple[Teams, int]:
    """Large-neighbourhood search: re-optimise a window of visits with the rest fixed.

    While visits are unplanned, windows are built around the people and the
    capacity they need (`_ejection_window`): the visits, anywhere in the year,
    holding the people who could staff them, so the solver can move someone
    across and refill behind them (an ejection chain across months). Then
    windows sweep the year by date to cut costs. A window's result is kept only
    if it is better; CP-SAT uses every worker given.
    """
    by_date = sorted(
        range(len(problem.visits)),
        key=lambda v: (problem.visits[v].start, problem.visits[v].end, v),
    )
    position = {v: i for i, v in enumerate(by_date)}
    tried: dict[int, int] = {}
    sweep = 0
    quiet = 0
    rounds = 0

    def left() -> float:
        return time_limit - (time.monotonic() - started)

    while left() > 0.3 and not (cancelled and cancelled()) and quiet < 3:
        rounds += 1
        open_visits = [v for v in by_date if v not in teams and v not in hopeless]
        open_visits.sort(key=lambda v: tried.get(v, 0))
        window_pools = pools
        # Repair and cost sweeps take turns once repair has had a first go at everything.
        repair = open_visits and tried.get(open_visits[0], 0) < 4
        if repair and rounds % 4 == 0 and tried.get(open_visits[0], 0) >= 1:
            repair = False
        if repair:
            targets = _targets(problem, open_visits, tried)
            for t in targets:
                tried[t] = tried.get(t, 0) + 1
            window, window_pools = _ejection_window(
                problem, pools, teams, targets, by_date, position, tried[targets[0]], ranked
            )
        else:
            window = by_date[sweep : sweep + WINDOW]
            sweep = sweep + WINDOW // 2 if sweep + WINDOW < len(by_date) else 0
            if sweep == 0:
                quiet += 1
        fixed = _occupancy(problem, teams, leave_out=set(window))
        before = _window_cost(problem, teams, window)
        result = solve_visits(
            problem,
            window,
            window_pools,
            fixed,
            teams,
            time_limit=min(left(), 3.0 if repair else 2.0),
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


def _targets(problem: Problem, open_visits: list[int], tried: dict[int, int]) -> list[int]:
    """The least-tried unplanned visit and up to two others unplanned in the same weeks."""
    first = open_visits[0]
    start = problem.visits[first].start
    near = [
        v
        for v in open_visits[1:]
        if abs(problem.visits[v].start - start) <= 21 and tried.get(v, 0) <= tried.get(first, 0)
    ]
    return [first, *near[:2]]


def everyone_eligible(problem: Problem, v: int) -> list[int]:
    return [p for p in range(len(problem.people)) if problem.eligible(p, v)]


def _ejection_window(
    problem, pools, teams: Teams, targets: list[int], by_date, position, attempt, ranked
):
    """The unplanned visits and the visits holding the people they could use.

    For each target, the eligible people holding its scarcest needs come first
    (a lead where it needs one, its expertise, women), then the cheapest. Each
    of them is either on an overlapping visit or has used their yearly limits
    on visits anywhere in the year; those visits join the window, so the solver
    can move the person across and refill behind them. The targets may take
    anyone eligible; the others keep their current team plus their candidates.
    """
    holding: dict[int, list[int]] = {}
    for v, team in teams.items():
        for p, _role in team:
            holding.setdefault(p, []).append(v)
    chosen: list[int] = list(targets)
    seen = set(targets)
    budget = WINDOW * (1 + min(attempt, 3)) // 2
    window_pools = dict(pools)
    for target in targets:
        visit = problem.visits[target]
        eligible = ranked(target)
        window_pools[target] = eligible
        scarce = [p for p in eligible if _holds_need(problem, p, visit)]
        people = list(dict.fromkeys([*scarce[: 12 * attempt], *eligible[: 10 * attempt]]))
        share = budget // len(targets)
        mine_count = 0
        for p in people:
            mine = holding.get(p, [])
            overlapping = [
                v
                for v in mine
                if problem.visits[v].start <= visit.end and visit.start <= problem.visits[v].end
            ]
            # Out of yearly capacity: any of their visits, anywhere in the year, frees it.
            for v in overlapping or mine[(attempt - 1) % 3 :: 3][:2]:
                if v not in seen and mine_count < share:
                    seen.add(v)
                    chosen.append(v)
                    mine_count += 1
    if len(chosen) < budget:
        for v in _around(by_date, position[targets[0]], budget):
            if v not in seen and len(chosen) < budget:
                seen.add(v)
                chosen.append(v)
    for v in chosen:
        if v in targets:
            continue
        current = [p for p, _role in teams.get(v, [])]
        window_pools[v] = list(dict.fromkeys([*current, *pools[v]]))
    return chosen, window_pools


def _holds_need(problem: Problem, p: int, visit) -> bool:
    person = problem.people[p]
    return (
        (visit.needs_lead and person.may_lead)
        or any(tag in person.expertise for tag, _ in visit.requires)
        or (visit.min_women > 0 and person.gender == "female")
    )


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
    problem: Problem, teams: Teams, unproved: set[int] = frozenset()
) -> dict[int, list[Finding]]:
    """For each unplanned visit, the requirements the people free for it cannot meet."""
    occupancy = _occupancy(problem, teams)
    explainer = Explainer(problem, occupancy)
    out = {}
    for visit in problem.visits:
        if visit.index in teams:
            continue
        found = explainer.explain(visit.index)
        out[visit.index] = found or [
            combination(problem, visit.index, occupancy, proved=visit.index not in unproved)
        ]
    return out
