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


def explain(problem: Problem, v: int, occupancy: Occupancy) -> list[Finding]:
    """The requirements that the people free for visit v cannot meet, each with why."""
    visit = problem.visits[v]
    place, when = visit.establishment, dates(visit.start, visit.end)
    out = []
    for need, n in needs_of(problem, v):
        holders = [p for p in range(len(problem.people)) if holds(problem, p, need)]
        cleared = [p for p in holders if clear(problem, p, v)]
        on_leave = [p for p in cleared if not problem.available(p, v)]
        rest = [p for p in cleared if problem.available(p, v)]
        busy = [p for p in rest if occupancy.overlaps(p, v)]
        spent = [p for p in rest if p not in busy and not occupancy.within_limits(p, v)]
        free = tuple(p for p in rest if p not in busy and p not in spent)
        if len(free) >= n:
            continue
        out.append(
            Finding(
                v,
                need,
                n,
                free,
                _sentence(need, n, place, when, holders, cleared, on_leave, busy, spent, free),
            )
        )
    return out


def _sentence(need, n, place, when, holders, cleared, on_leave, busy, spent, free) -> str:
    many = _noun(need, True)
    if not holders:
        return f"nobody in the programme is a {_noun(need, False)} (needs {n})"
    if not cleared:
        return f"all {len(holders)} {many} have a conflict barring them from {place}"
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
        return (
            f"the {len(cleared)} {many} clear for {place} have used their year's visits "
            f"or visit days"
        )
    if not free:
        head = f"no {_noun(need, False)} clear for {place} is free on {when}"
    else:
        head = (
            f"only {len(free)} {many if len(free) > 1 else _noun(need, False)} clear for "
            f"{place} {'are' if len(free) > 1 else 'is'} free on {when} (needs {n})"
        )
    return f"{head}: of the {len(cleared)} clear, " + ", ".join(parts)


def combination(problem: Problem, v: int, occupancy: Occupancy) -> Finding:
    """Every need has enough free holders, but no team of the free people meets all at once."""
    visit = problem.visits[v]
    free = tuple(free_people(problem, v, occupancy))
    wants = [f"{visit.team_size} people"]
    if visit.needs_lead:
        wants.append("a lead")
    wants += [f"{n} with {tag}" for tag, n in visit.requires]
    if visit.min_women:
        wants.append(f"{visit.min_women} {'woman' if visit.min_women == 1 else 'women'}")
    text = (
        f"the {len(free)} people clear for {visit.establishment} and free on "
        f"{dates(visit.start, visit.end)} cannot together make a team of " + ", ".join(wants)
    )
    return Finding(v, "combination", visit.team_size, free, text)
