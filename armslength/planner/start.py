"""Scarce-first starts: staff each visit's scarce needs first and spare scarce people.

"Visits by date, cheapest eligible first" spends leads, women and experts on
places anyone could fill, and capacity runs out in the last months. Here a
team is built need by need (the lead, each required expertise, women, then
the rest), and people who hold something scarce cost a little more when they
fill a place that does not need it. Several starts (date order and scarcest
visits first, with and without sparing) are made and the best is kept: one of
them is the plain scarce-first greedy, so the start is never worse than it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from armslength.planner.matrix import Pairs
from armslength.planner.occupancy import Occupancy
from armslength.planner.plan import objective_of
from armslength.planner.problem import Problem

Teams = dict[int, list[tuple[int, str]]]


@dataclass
class Spare:
    """What using a person wastes when their scarce attributes are not needed."""

    total: list[float]  # person -> sum over their scarce attributes
    parts: dict[tuple[int, str], float]  # (person, attribute) -> its share


def scarce_first_team(
    problem: Problem, v: int, free: list[int], spare: Spare | None = None
) -> list[tuple[int, str]] | None:
    """A team for visit v from `free` (cheapest first): lead, expertise, women, the rest.

    With `spare`, a person's choice cost is their cost plus `spare[p]` unless they
    are taken for a need they hold, so scarce people are kept for visits needing them.
    """
    visit = problem.visits[v]
    people = problem.people
    if spare is not None:
        # Among people who would only fill a place, prefer those holding nothing scarce.
        free = sorted(free, key=lambda p: problem.cost(p, v) + spare.total[p])
        needed = _needs_sorted(problem, v, free, spare)
    else:
        needed = None
    team: list[int] = []
    lead = None
    if visit.needs_lead:
        leads = needed["lead"] if needed else free
        lead = next((p for p in leads if people[p].may_lead), None)
        if lead is None:
            return None
        team.append(lead)
    for tag, n in visit.requires:
        have = sum(1 for p in team if tag in people[p].expertise)
        for p in needed[tag] if needed else free:
            if have >= n:
                break
            if p not in team and tag in people[p].expertise:
                team.append(p)
                have += 1
    women = sum(1 for p in team if people[p].gender == "female")
    for p in needed["women"] if needed else free:
        if women >= visit.min_women:
            break
        if p not in team and people[p].gender == "female":
            team.append(p)
            women += 1
    for p in free:
        if len(team) >= visit.team_size:
            break
        if p not in team:
            team.append(p)
    if len(team) != visit.team_size or not problem.covers(v, team):
        return None
    return [(p, "lead" if p == lead else "member") for p in team]


def covering_prefix(problem: Problem, v: int, people, extra: int = 30, holders: int = 4):
    """The first `team_size + extra` of `people` (cheapest first) and then as many
    more as give each need (lead, expertise, women) `holders` more than it needs.

    Any team built need by need, cheapest first, from everyone is also built
    from this prefix, so scanning stops early without changing the team.
    """
    visit = problem.visits[v]
    want = {tag: n + holders for tag, n in visit.requires}
    lead = holders if visit.needs_lead else 1
    women = visit.min_women + holders if visit.min_women else 0
    size = visit.team_size + extra
    out = []
    everyone = problem.people
    for p in people:
        person = everyone[p]
        useful = len(out) < size
        if person.may_lead and lead > 0:
            lead -= 1
            useful = True
        if person.gender == "female" and women > 0:
            women -= 1
            useful = True
        for tag in person.expertise:
            if want.get(tag, 0) > 0:
                want[tag] -= 1
                useful = True
        if useful:
            out.append(p)
        if len(out) >= size and lead <= 0 and women <= 0 and all(n <= 0 for n in want.values()):
            break
    return out


def _needs_sorted(problem: Problem, v: int, free: list[int], spare: Spare) -> dict:
    """For each need, its holders ordered by cost plus what else scarce they hold."""
    visit = problem.visits[v]
    wanted = {tag for tag, _ in visit.requires}
    if visit.needs_lead:
        wanted.add("lead")
    if visit.min_women:
        wanted.add("women")

    def extra(p: int) -> float:
        # Holding a need this visit has is no waste; holding others is.
        keep = spare.total[p]
        for tag in wanted:
            keep -= spare.parts.get((p, tag), 0.0)
        return problem.cost(p, v) + max(0.0, keep)

    ordered = sorted(free, key=extra)
    out = {"lead": ordered, "women": ordered}
    for tag, _ in visit.requires:
        out[tag] = ordered
    return out


def pressures(problem: Problem, pairs: Pairs) -> dict[str, float]:
    """Demand for each scarce attribute over the capacity of its holders (0 = plenty)."""
    people = problem.people
    capacity = {}
    for person in people:
        cap = person.max_visits if person.max_visits is not None else len(problem.visits)
        attrs = set(person.expertise)
        if person.may_lead:
            attrs.add("lead")
        if person.gender == "female":
            attrs.add("women")
        for a in attrs:
            capacity[a] = capacity.get(a, 0) + cap
    demand: dict[str, int] = {}
    for visit in problem.visits:
        for tag, n in visit.requires:
            demand[tag] = demand.get(tag, 0) + n
        if visit.needs_lead:
            demand["lead"] = demand.get("lead", 0) + 1
        if visit.min_women:
            demand["women"] = demand.get("women", 0) + visit.min_women
    return {a: demand[a] / capacity[a] for a in demand if capacity.get(a)}


def spare_costs(problem: Problem, pairs: Pairs, strength: float) -> Spare:
    """What using each person where their scarce attributes are not needed wastes."""
    pressure = pressures(problem, pairs)
    parts = {}
    out = []
    for person in problem.people:
        total = 0.0
        attrs = [(t, pressure.get(t, 0.0)) for t in person.expertise]
        if person.may_lead:
            attrs.append(("lead", pressure.get("lead", 0.0)))
        if person.gender == "female":
            attrs.append(("women", pressure.get("women", 0.0)))
        for tag, value in attrs:
            part = strength * value
            parts[(person.index, tag)] = part
            total += part
        out.append(total)
    return Spare(out, parts)


def greedy_start(
    problem: Problem,
    pairs: Pairs,
    order: list[int],
    skip: set[int],
    spare: Spare | None,
    ranked: Callable[[int], list[int]],
) -> Teams:
    """One pass over `order`: each visit the scarce-first team of people still free."""
    occupancy = Occupancy(problem)
    teams: Teams = {}
    for v in order:
        if v in skip:
            continue
        fits = occupancy.fits
        free = covering_prefix(problem, v, (p for p in ranked(v) if fits(p, v)))
        team = scarce_first_team(problem, v, free, spare)
        if team is None:
            continue
        teams[v] = team
        for p, _role in team:
            occupancy.add(p, v)
    return teams


def scarcity_order(problem: Problem, pairs: Pairs) -> list[int]:
    """Visits whose needs have the fewest eligible holders first, then by date."""
    eligible = pairs.eligible
    people = problem.people
    holders: dict[str, list[int]] = {}
    for person in people:
        for tag in person.expertise:
            holders.setdefault(tag, []).append(person.index)
        if person.may_lead:
            holders.setdefault("lead", []).append(person.index)
        if person.gender == "female":
            holders.setdefault("women", []).append(person.index)
    key = {}
    for visit in problem.visits:
        row = eligible[visit.index]
        ratios = [row.sum() / visit.team_size]
        for tag, n in visit.requires:
            ratios.append(row[holders.get(tag, [])].sum() / n)
        if visit.needs_lead:
            ratios.append(row[holders.get("lead", [])].sum())
        if visit.min_women:
            ratios.append(row[holders.get("women", [])].sum() / visit.min_women)
        key[visit.index] = (float(min(ratios)), visit.start, visit.index)
    return sorted(key, key=key.get)


def best_start(
    problem: Problem,
    pairs: Pairs,
    skip: set[int],
    deadline: Callable[[], bool],
    ranked: Callable[[int], list[int]],
) -> tuple[Teams, list[tuple[str, int]]]:
    """The best of several starts (lowest objective), the plain scarce-first greedy among them."""
    by_date = sorted(
        range(len(problem.visits)),
        key=lambda v: (problem.visits[v].start, problem.visits[v].end, v),
    )
    spare = spare_costs(problem, pairs, strength=20.0)
    strong = spare_costs(problem, pairs, strength=60.0)
    scarce = scarcity_order(problem, pairs)
    # The first two always run: sparing is usually best, the plain rule is the
    # guarantee (never worse than the scarce-first greedy).
    variants = [
        ("date, sparing scarce people", by_date, spare),
        ("date, scarce first", by_date, None),
        ("scarcest visits first, sparing", scarce, spare),
        ("date, sparing scarce people strongly", by_date, strong),
    ]
    best: Teams | None = None
    best_cost = None
    tried = []
    for name, order, weights in variants:
        if len(tried) >= 2 and deadline():
            break
        teams = greedy_start(problem, pairs, order, skip, weights, ranked)
        cost = objective_of(problem, teams)
        tried.append((name, len(problem.visits) - len(teams)))
        if best_cost is None or cost < best_cost:
            best, best_cost = teams, cost
    return best or {}, tried
