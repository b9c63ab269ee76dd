"""What each person is already committed to: busy days, number of visits, visit days.

Busy days are a bit mask per person (bit d = day `origin + d`), so "does this
visit clash with their other visits" is one AND, however long the year.
"""

from __future__ import annotations

from armslength.planner.problem import Problem


class Occupancy:
    def __init__(self, problem: Problem):
        self.problem = problem
        origin = min((v.start for v in problem.visits), default=0)
        self.span = [((1 << v.days) - 1) << (v.start - origin) for v in problem.visits]
        self.busy = [0] * len(problem.people)
        self.visits = [0] * len(problem.people)
        self.visit_days = [0] * len(problem.people)
        self.max_visits = [p.max_visits for p in problem.people]
        self.max_days = [p.max_days for p in problem.people]
        self.length = [v.days for v in problem.visits]

    def overlaps(self, p: int, v: int) -> bool:
        """Person p is on another visit on one of visit v's days."""
        return bool(self.busy[p] & self.span[v])

    def within_limits(self, p: int, v: int) -> bool:
        """One more visit (of visit v's length) keeps p within their yearly limits."""
        cap = self.max_visits[p]
        if cap is not None and self.visits[p] + 1 > cap:
            return False
        cap = self.max_days[p]
        return cap is None or self.visit_days[p] + self.length[v] <= cap

    def fits(self, p: int, v: int) -> bool:
        return not self.busy[p] & self.span[v] and self.within_limits(p, v)

    def add(self, p: int, v: int) -> None:
        self.busy[p] |= self.span[v]
        self.visits[p] += 1
        self.visit_days[p] += self.length[v]

    def remove(self, p: int, v: int) -> None:
        self.busy[p] &= ~self.span[v]
        self.visits[p] -= 1
        self.visit_days[p] -= self.length[v]
