"""The greedy baseline (and warm start): visits by date, cheapest eligible people first."""

from __future__ import annotations

from armslength.planner.problem import Problem


class Occupancy:
    """What each person is already committed to: days, number of visits, visit days."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.days: list[set[int]] = [set() for _ in problem.people]
        self.visits = [0] * len(problem.people)
        self.visit_days = [0] * len(problem.people)

    def fits(self, p: int, v: int) -> bool:
        person, visit = self.problem.people[p], self.problem.visits[v]
        if person.max_visits is not None and self.visits[p] + 1 > person.max_visits:
            return False
        if person.max_days is not None and self.visit_days[p] + visit.days > person.max_days:
            return False
        busy = self.days[p]
        return not any(d in busy for d in range(visit.start, visit.end + 1))

    def exhausted(self, p: int) -> bool:
        """No visit at all fits any more: the yearly limits are used up."""
        person = self.problem.people[p]
        return (person.max_visits is not None and self.visits[p] >= person.max_visits) or (
            person.max_days is not None and self.visit_days[p] >= person.max_days
        )

    def add(self, p: int, v: int) -> None:
        visit = self.problem.visits[v]
        self.days[p].update(range(visit.start, visit.end + 1))
        self.visits[p] += 1
        self.visit_days[p] += visit.days

    def remove(self, p: int, v: int) -> None:
        visit = self.problem.visits[v]
        self.days[p].difference_update(range(visit.start, visit.end + 1))
        self.visits[p] -= 1
        self.visit_days[p] -= visit.days


def greedy_team(
    problem: Problem, v: int, pool: list[int], occupancy: Occupancy | None
) -> list[tuple[int, str]] | None:
    """A valid team for visit v from `pool`, picking cheapest first; None if it gets stuck."""
    visit = problem.visits[v]
    free = [p for p in pool if occupancy is None or occupancy.fits(p, v)]
    free.sort(key=lambda p: (problem.cost(p, v), p))
    team: list[int] = []
    lead = None
    if visit.needs_lead:
        lead = next((p for p in free if problem.people[p].may_lead), None)
        if lead is None:
            return None
        team.append(lead)
    for tag, n in visit.requires:
        have = sum(1 for p in team if tag in problem.people[p].expertise)
        for p in free:
            if have >= n:
                break
            if p not in team and tag in problem.people[p].expertise:
                team.append(p)
                have += 1
    women = sum(1 for p in team if problem.people[p].gender == "female")
    for p in free:
        if women >= visit.min_women:
            break
        if p not in team and problem.people[p].gender == "female":
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


def greedy_plan(
    problem: Problem, pools: dict[int, list[int]] | None = None
) -> dict[int, list[tuple[int, str]]]:
    """The greedy baseline and warm start: visits by date, each given the cheapest
    valid team still free, from its pool or (without pools) from everyone.

    Over everyone the scan is lazy, in order of base cost (travel and secondee,
    the same for a whole region group), and stops as soon as no one further
    could be cheaper, so a national programme does not check every person for
    every visit.
    """
    groups: dict[tuple[str, bool], list[int]] = {}
    for person in problem.people:
        groups.setdefault((person.region, person.is_secondee), []).append(person.index)
    order_by_region: dict[str, list[tuple[tuple[str, bool], list[int]]]] = {}
    occupancy = Occupancy(problem)
    teams = {}
    for visit in sorted(problem.visits, key=lambda v: (v.start, v.end, v.index)):
        if pools is not None:
            pool = pools[visit.index]
        else:
            order = order_by_region.get(visit.region)
            if order is None:
                order = sorted(
                    groups.items(), key=lambda item: _group_cost(problem, item[0], visit)
                )
                order_by_region[visit.region] = order
            pool = _lazy_pool(problem, visit, order, occupancy)
        team = greedy_team(problem, visit.index, pool, occupancy)
        if team is None:
            continue
        teams[visit.index] = team
        for p, _role in team:
            occupancy.add(p, visit.index)
    return teams


def _group_cost(problem: Problem, key: tuple[str, bool], visit) -> int:
    """The base cost (travel and secondee) shared by everyone of a (region, secondee) group."""
    region, secondee = key
    travel = problem.travel.get(region, {}).get(visit.region, 0) if problem.travel else 0
    return problem.weights["travel"] * travel + (problem.weights["secondee"] if secondee else 0)


def _lazy_pool(problem: Problem, visit, order, occupancy: Occupancy) -> list[int]:
    """Free eligible people, cheapest first, until every part of a team is covered.

    Conflicts only add to a person's cost, so once the team is covered nobody
    dearer by base cost can be cheaper, except than someone whose conflict made
    them dearer: the scan goes on exactly as far as the largest such surcharge.
    """
    need_tags = dict(visit.requires)
    need_women, need_lead = visit.min_women, visit.needs_lead
    pool: list[int] = []
    surcharge = 0
    cutoff = None
    for key, members in order:
        cost = _group_cost(problem, key, visit)
        if cutoff is not None and cost > cutoff:
            break
        for p in members:
            if occupancy.exhausted(p) or not occupancy.fits(p, visit.index):
                continue
            if not problem.eligible(p, visit.index):
                continue
            person = problem.people[p]
            pool.append(p)
            surcharge = max(surcharge, problem.cost(p, visit.index) - cost)
            for tag in person.expertise:
                if tag in need_tags:
                    need_tags[tag] -= 1
            need_women -= person.gender == "female"
            need_lead = need_lead and not person.may_lead
        covered = (
            len(pool) >= visit.team_size
            and need_women <= 0
            and not need_lead
            and all(n <= 0 for n in need_tags.values())
        )
        if covered and cutoff is None:
            cutoff = cost + surcharge
        elif cutoff is not None:
            cutoff = max(cutoff, cost + surcharge) if surcharge else cutoff
    return pool
