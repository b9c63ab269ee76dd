"""Who may be on which visit and at what cost, for every pair at once (numpy).

A body's year has 1.5 million person-visit pairs and a national programme 80
million: checking them one by one in Python takes longer than the search.
Here eligibility (hard rules 1 and 3, and limits one visit already breaks)
and the objective's cost of each pair are built as arrays, visit-major, so a
visit's eligible people cheapest first is one numpy call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from armslength.planner.problem import SEVERITY, Problem


@dataclass
class Pairs:
    eligible: np.ndarray  # bool [visit, person]
    cost: np.ndarray  # int32 [visit, person], the objective's cost of the pair
    days: np.ndarray  # int32 [visit], visit length
    team_size: np.ndarray  # int32 [visit]
    needs_lead: np.ndarray  # bool [visit]

    def ranked(self, v: int) -> list[int]:
        """Visit v's eligible people, cheapest first (ties by index)."""
        people = np.flatnonzero(self.eligible[v])
        order = np.argsort(self.cost[v, people], kind="stable")
        return people[order].tolist()


def build_pairs(problem: Problem) -> Pairs:
    n_people, n_visits = len(problem.people), len(problem.visits)
    w = problem.weights
    starts = np.array([v.start for v in problem.visits], dtype=np.int64)
    ends = np.array([v.end for v in problem.visits], dtype=np.int64)
    days = (ends - starts + 1).astype(np.int32)
    eligible = np.ones((n_visits, n_people), dtype=bool)
    for person in problem.people:
        column = eligible[:, person.index]
        for a, b in person.unavailable:
            column[(starts <= b) & (ends >= a)] = False
        if person.max_visits is not None and person.max_visits < 1:
            column[:] = False
        if person.max_days is not None:
            column[days > person.max_days] = False
    regions = sorted(
        set(problem.travel)
        | {p.region for p in problem.people}
        | {v.region for v in problem.visits}
    )
    at = {r: i for i, r in enumerate(regions)}
    travel = np.zeros((len(regions), len(regions)), dtype=np.int32)
    for a, row in problem.travel.items():
        for b, value in row.items():
            if b in at:
                travel[at[a], at[b]] = value
    home = np.array([at[p.region] for p in problem.people], dtype=np.int64)
    where = np.array([at[v.region] for v in problem.visits], dtype=np.int64)
    secondee = np.array(
        [w["secondee"] if p.is_secondee else 0 for p in problem.people], dtype=np.int32
    )
    cost = (w["travel"] * travel[home[None, :], where[:, None]] + secondee[None, :]).astype(
        np.int32
    )
    surcharge = {"declared": w["declared"], "restricted": w["restricted"]}
    barred = SEVERITY["preparation_only"]
    for (p, v), verdict in problem.verdicts.items():
        if SEVERITY[verdict] >= barred:
            eligible[v, p] = False
        else:
            cost[v, p] += surcharge.get(verdict, 0)
    team_size = np.array([v.team_size for v in problem.visits], dtype=np.int32)
    needs_lead = np.array([v.needs_lead for v in problem.visits], dtype=bool)
    return Pairs(eligible, cost, days, team_size, needs_lead)
