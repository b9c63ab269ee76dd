"""Who could be on each visit's team, cheapest first, and a lower bound per visit.

A body's year has over a million person-visit pairs; the models only need,
for each visit, the cheapest eligible people plus enough holders of each
required expertise, women and possible leads to build every good team.
People are grouped by (region, secondee): within a group the base cost for a
visit is the same, so each visit scans groups in cost order and stops early.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from armslength.planner.problem import Problem


@dataclass
class Candidates:
    #: visit index -> eligible person indexes, cheapest base cost first
    by_visit: dict[int, list[int]]
    #: visit index -> lower bound on the cost of any valid team (ignoring other visits)
    cheapest_team: dict[int, int]
    #: visit indexes for which even the full eligible list cannot form a team
    hopeless: set[int]


def base_cost(problem: Problem, p: int, v: int) -> int:
    """The part of the cost that does not depend on conflicts (travel and secondee)."""
    person, visit, w = problem.people[p], problem.visits[v], problem.weights
    return w["travel"] * problem.travel_cost(person, visit) + (
        w["secondee"] if person.is_secondee else 0
    )


def build_candidates(problem: Problem, extra: int = 24, limit: int | None = None) -> Candidates:
    """Candidates for every visit: `team_size + extra` cheapest, plus coverage.

    With `limit=None` and a small problem every eligible person is kept, so the
    model over candidates is the exact model.
    """
    groups: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for person in problem.people:
        groups[(person.region, person.is_secondee)].append(person.index)
    by_region: dict[str, list[tuple[int, list[int]]]] = {}
    by_visit, cheapest, hopeless = {}, {}, set()
    for visit in problem.visits:
        order = by_region.get(visit.region)
        if order is None:
            any_member = {key: members[0] for key, members in groups.items()}
            order = sorted(
                (
                    (base_cost(problem, first, visit.index), members)
                    for key, members in groups.items()
                    for first in [any_member[key]]
                ),
                key=lambda item: item[0],
            )
            by_region[visit.region] = order
        chosen, costs = _scan(problem, visit, order, extra, limit)
        by_visit[visit.index] = chosen
        if len(chosen) < visit.team_size or not problem.covers(visit.index, chosen):
            hopeless.add(visit.index)
            cheapest[visit.index] = problem.weights["unplanned"]
        else:
            cheapest[visit.index] = min(
                problem.weights["unplanned"], sum(sorted(costs)[: visit.team_size])
            )
    return Candidates(by_visit, cheapest, hopeless)


def _scan(problem: Problem, visit, order, extra: int, limit: int | None):
    """Walk eligible people cheapest first until the team can be built every way."""
    want_total = visit.team_size + extra
    want_tags = {tag: n + 3 for tag, n in visit.requires}
    want_women = visit.min_women + 3 if visit.min_women else 0
    want_leads = 4 if visit.needs_lead else 1
    chosen: list[int] = []
    costs: list[int] = []
    for cost, members in order:
        for p in members:
            if not problem.eligible(p, visit.index):
                continue
            person = problem.people[p]
            needed = (
                len(chosen) < want_total
                or any(want_tags.get(t, 0) > 0 for t in person.expertise)
                or (want_women > 0 and person.gender == "female")
                or (want_leads > 0 and person.may_lead)
            )
            if limit is not None and not needed:
                continue
            chosen.append(p)
            costs.append(cost)
            for tag in person.expertise:
                if tag in want_tags:
                    want_tags[tag] -= 1
            if person.gender == "female":
                want_women -= 1
            if person.may_lead:
                want_leads -= 1
        if (
            limit is not None
            and len(chosen) >= want_total
            and want_women <= 0
            and want_leads <= 0
            and all(n <= 0 for n in want_tags.values())
        ):
            break
    return chosen, costs
