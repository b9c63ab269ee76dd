"""Why a visit is unplanned, in words a manager can act on, true of the final plan.

Each reason names one requirement of the visit (team size, a lead, an
expertise, women) and says what became of the people clear of conflicts who
could meet it: on leave then, on other visits then, or out of their year's
visits or visit days. "No woman clear for e12 is free on 3-5 May: of the 6
clear, 2 are on leave then, 4 are on other visits then." The counts are
taken against the final plan, so the reason is true of the plan handed out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from armslength.planner.occupancy import Occupancy
from armslength.planner.problem import SEVERITY, Problem


@dataclass(frozen=True)
class Finding:
    """One failed requirement: who could meet it and how many of them are free."""

    visit: int
    need: str  # "team", "lead", "women" or "expertise:<tag>"
    needed: int
    free: tuple[int, ...]  # people clear, available and within limits, holding the need
    text: str


DASH = "\u2013"  # an en dash, as in "3-5 May"


def dates(start: int, end: int) -> str:
    a, b = dt.date.fromordinal(start), dt.date.fromordinal(end)
    if a == b:
        return f"{a.day} {a:%b}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}{DASH}{b.day} {b:%b}"
    return f"{a.day} {a:%b}{DASH}{b.day} {b:%b}"


def holds(problem: Problem, p: int, need: str) -> bool:
    person = problem.people[p]
    if need == "team":
        return True
    if need == "lead":
        return person.may_lead
    if need == "women":
        return person.gender == "female"
    return need.removeprefix("expertise:") in person.expertise


def clear(problem: Problem, p: int, v: int) -> bool:
    return SEVERITY[problem.verdict(p, v)] < SEVERITY["preparation_only"]


def needs_of(problem: Problem, v: int) -> list[tuple[str, int]]:
    visit = problem.visits[v]
    out = [("team", visit.team_size)]
    if visit.needs_lead:
        out.append(("lead", 1))
    out += [(f"expertise:{tag}", n) for tag, n in visit.requires]
    if visit.min_women:
        out.append(("women", visit.min_women))
    return out


def free_people(problem: Problem, v: int, occupancy: Occupancy) -> list[int]:
    """Clear of conflicts, not on leave, not on an overlapping visit, within limits."""
    return [
        p
        for p in range(len(problem.people))
        if clear(problem, p, v) and problem.available(p, v) and occupancy.fits(p, v)
    ]


_NOUN = {
    "team": ("person", "people"),
    "lead": ("person who may lead", "people who may lead"),
    "women": ("woman", "women"),
}


def _noun(need: str, many: bool) -> str:
    if need.startswith("expertise:"):
        tag = need.removeprefix("expertise:")
        return f"{'people' if many else 'person'} with {tag} expertise"
    return _NOUN[need][1 if many else 0]


class Explainer:
    """Reasons for the unplanned visits of one plan; who holds what is worked out once."""

    def __init__(self, problem: Problem, occupancy: Occupancy):
        self.problem, self.occupancy = problem, occupancy
        self.holders: dict[str, list[int]] = {}

    def holders_of(self, need: str) -> list[int]:
        found = self.holders.get(need)
        if found is None:
            found = self.holders[need] = [
                p for p in range(len(self.problem.people)) if holds(self.problem, p, need)
            ]
        return found

    def explain(self, v: int) -> list[Finding]:
        """The requirements that the people free for visit v cannot meet, each with why."""
        problem, occupancy = self.problem, self.occupancy
        visit = problem.visits[v]
        place, when = visit.establishment, dates(visit.start, visit.end)
        state: dict[int, str] = {}
        out = []
        for need, n in needs_of(problem, v):
            holders = self.holders_of(need)
            groups: dict[str, list[int]] = {
                "barred": [],
                "leave": [],
                "busy": [],
                "spent": [],
                "free": [],
            }
            for p in holders:
                where = state.get(p)
                if where is None:
                    if not clear(problem, p, v):
                        where = "barred"
                    elif not problem.available(p, v):
                        where = "leave"
                    elif occupancy.overlaps(p, v):
                        where = "busy"
                    elif not occupancy.within_limits(p, v):
                        where = "spent"
                    else:
                        where = "free"
                    state[p] = where
                groups[where].append(p)
            if len(groups["free"]) >= n:
                continue
            cleared = len(holders) - len(groups["barred"])
            text = _sentence(need, n, place, when, holders, cleared, groups)
            out.append(Finding(v, need, n, tuple(groups["free"]), text))
        return out


def explain(problem: Problem, v: int, occupancy: Occupancy) -> list[Finding]:
    return Explainer(problem, occupancy).explain(v)


def _nobody(need: str, n: int) -> str:
    if need.startswith("expertise:"):
        return f"nobody in the programme has {need.removeprefix('expertise:')} expertise"
    if need == "lead":
        return "nobody in the programme may lead (secondees never lead)"
    if need == "women":
        return "there is no woman in the programme"
    return f"the programme has fewer than {n} people"


def _sentence(need, n, place, when, holders, cleared: int, groups) -> str:
    many = _noun(need, True)
    on_leave, busy, spent, free = groups["leave"], groups["busy"], groups["spent"], groups["free"]
    if not holders:
        return _nobody(need, n)
    if not cleared:
        if len(holders) == 1:
            return f"the only {_noun(need, False)} has a conflict barring them from {place}"
        return f"all {len(holders)} {many} have a conflict barring them from {place}"
    if not (on_leave or busy or spent):
        who = many if cleared > 1 else _noun(need, False)
        return f"only {cleared} {who} clear for {place} (needs {n})"
    parts = []
    if on_leave:
        parts.append(f"{len(on_leave)} {'is' if len(on_leave) == 1 else 'are'} on leave then")
    if busy:
        parts.append(f"{len(busy)} {'is' if len(busy) == 1 else 'are'} on other visits then")
    if spent:
        parts.append(
            f"{len(spent)} {'has' if len(spent) == 1 else 'have'} used their year's visits "
            "or visit days"
        )
    if not free and len(parts) == 1 and spent:
        return f"the {cleared} {many} clear for {place} have used their year's visits or visit days"
    if not free:
        head = f"no {_noun(need, False)} clear for {place} is free on {when}"
    else:
        who = many if len(free) > 1 else _noun(need, False)
        verb = "are" if len(free) > 1 else "is"
        head = f"only {len(free)} {who} clear for {place} {verb} free on {when} (needs {n})"
    return f"{head}: of the {cleared} clear, " + ", ".join(parts)


def combination(problem: Problem, v: int, occupancy: Occupancy, proved: bool = True) -> Finding:
    """Every need has enough free holders, but no team of the free people meets all at once
    (or, `proved` False, none was found in the time and none proved impossible)."""
    visit = problem.visits[v]
    free = tuple(free_people(problem, v, occupancy))
    wants = [f"{visit.team_size} people"]
    if visit.needs_lead:
        wants.append("a lead")
    wants += [f"{n} with {tag}" for tag, n in visit.requires]
    if visit.min_women:
        wants.append(f"{visit.min_women} {'woman' if visit.min_women == 1 else 'women'}")
    people = f"the {len(free)} people clear for {visit.establishment} and free on " + dates(
        visit.start, visit.end
    )
    if not proved:
        text = f"no team of {', '.join(wants)} was found in time among {people}"
        return Finding(v, "unproved", visit.team_size, free, text)
    text = f"{people} cannot together make a team of " + ", ".join(wants)
    return Finding(v, "combination", visit.team_size, free, text)
