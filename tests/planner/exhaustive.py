"""An exhaustive search with pruning, for checking proved optima on small problems."""

from __future__ import annotations

from itertools import combinations

from armslength.planner.problem import Problem


def valid_teams(problem: Problem, v: int) -> list[tuple[int, tuple[int, ...]]]:
    """(cost, members) of every valid team for visit v, ignoring other visits."""
    visit = problem.visits[v]
    eligible = [p for p in range(len(problem.people)) if problem.eligible(p, v)]
    teams = []
    for members in combinations(eligible, visit.team_size):
        people = [problem.people[p] for p in members]
        if any(sum(1 for x in people if tag in x.expertise) < n for tag, n in visit.requires):
            continue
        if sum(1 for x in people if x.gender == "female") < visit.min_women:
            continue
        if visit.needs_lead and not any(x.may_lead for x in people):
            continue
        teams.append((sum(problem.cost(p, v) for p in members), members))
    teams.sort()
    return teams


def optimum(problem: Problem) -> int:
    options = [valid_teams(problem, v) for v in range(len(problem.visits))]
    order = sorted(range(len(problem.visits)), key=lambda v: problem.visits[v].start)
    unplanned = problem.weights["unplanned"]
    floor = [min([unplanned] + [c for c, _ in options[v][:1]]) for v in range(len(options))]
    rest = [0] * (len(order) + 1)
    for i in range(len(order) - 1, -1, -1):
        rest[i] = rest[i + 1] + floor[order[i]]
    best = [sum(unplanned for _ in order)]
    days = [set() for _ in problem.people]
    counts = [0] * len(problem.people)
    visit_days = [0] * len(problem.people)

    def fits(p, v):
        person, visit = problem.people[p], problem.visits[v]
        if person.max_visits is not None and counts[p] + 1 > person.max_visits:
            return False
        if person.max_days is not None and visit_days[p] + visit.days > person.max_days:
            return False
        return not any(d in days[p] for d in range(visit.start, visit.end + 1))

    def search(i, cost):
        if cost + rest[i] >= best[0]:
            return
        if i == len(order):
            best[0] = cost
            return
        v = order[i]
        visit = problem.visits[v]
        span = range(visit.start, visit.end + 1)
        for team_cost, members in options[v]:
            if team_cost >= unplanned:
                break
            if all(fits(p, v) for p in members):
                for p in members:
                    days[p].update(span)
                    counts[p] += 1
                    visit_days[p] += visit.days
                search(i + 1, cost + team_cost)
                for p in members:
                    days[p].difference_update(span)
                    counts[p] -= 1
                    visit_days[p] -= visit.days
        search(i + 1, cost + unplanned)

    search(0, 0)
    return best[0]
