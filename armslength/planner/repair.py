"""Fast repair of unplanned visits by ejection chains, across the whole year.

When nobody free meets a visit's need (a lead, an expertise, a woman), a
person who meets it is often on another visit: at the same time, or, when
their yearly limits are used up, at any time of year. If someone free can
take their place there, the person moves across and the visit gets its team.
This runs in Python in milliseconds a visit, so hundreds of unplanned visits
are tried before the slower CP-SAT neighbourhoods refine the plan.
"""

from __future__ import annotations

from collections.abc import Callable

from armslength.planner.occupancy import Occupancy
from armslength.planner.problem import Problem
from armslength.planner.start import covering_prefix, scarce_first_team

Teams = dict[int, list[tuple[int, str]]]


def _holds_need(problem: Problem, p: int, v: int) -> bool:
    person, visit = problem.people[p], problem.visits[v]
    return (
        (visit.needs_lead and person.may_lead)
        or any(tag in person.expertise for tag, _ in visit.requires)
        or (visit.min_women > 0 and person.gender == "female")
    )


def ejection_repair(
    problem: Problem,
    teams: Teams,
    ranked: Callable[[int], list[int]],
    hopeless: set[int],
    out_of_time: Callable[[], bool],
    borrow: int = 3,
) -> int:
    """Plan what can be planned by moving up to `borrow` people from other visits
    each; changes `teams` in place and returns how many visits were planned."""
    occupancy = Occupancy(problem)
    holding: dict[int, set[int]] = {}
    for v, team in teams.items():
        for p, _role in team:
            occupancy.add(p, v)
            holding.setdefault(p, set()).add(v)
    planned = 0
    for visit in sorted(problem.visits, key=lambda x: (x.start, x.index)):
        v = visit.index
        if v in teams or v in hopeless:
            continue
        if out_of_time():
            break
        if _try(problem, teams, occupancy, holding, ranked, v, borrow):
            planned += 1
    return planned


def _try(problem, teams, occupancy, holding, ranked, v: int, borrow: int) -> bool:
    moves: list[tuple[int, int, int]] = []  # (visit u, person out, person in)
    everyone = ranked(v)
    for _ in range(borrow + 1):
        free = covering_prefix(problem, v, (p for p in everyone if occupancy.fits(p, v)))
        team = scarce_first_team(problem, v, free)
        if team is not None:
            teams[v] = team
            for p, _role in team:
                occupancy.add(p, v)
                holding.setdefault(p, set()).add(v)
            return True
        if not _borrow_one(problem, teams, occupancy, holding, ranked, v, moves):
            break
    for u, out, into in reversed(moves):  # nothing gained: put everyone back
        _swap(problem, teams, occupancy, holding, u, into, out)
    return False


def _borrow_one(problem, teams, occupancy, holding, ranked, v: int, moves) -> bool:
    """Free one person holding a need of visit v by replacing them on another visit."""
    tried = 0
    for q in ranked(v):
        if occupancy.fits(q, v) or not _holds_need(problem, q, v):
            continue
        tried += 1
        if tried > 25:
            break
        mine = holding.get(q, set())
        clashing = [u for u in mine if occupancy.span[u] & occupancy.span[v]]
        if len(clashing) > 1:
            continue
        if clashing:
            candidates = clashing
        elif not occupancy.within_limits(q, v):
            candidates = sorted(mine, key=lambda u: problem.visits[u].days, reverse=True)
        else:
            continue
        for u in candidates:
            r = _replacement(problem, teams, occupancy, ranked, u, q, v)
            if r is None:
                continue
            _swap(problem, teams, occupancy, holding, u, q, r)
            if occupancy.fits(q, v):
                moves.append((u, q, r))
                return True
            _swap(problem, teams, occupancy, holding, u, r, q)
    return False


def _replacement(problem: Problem, teams: Teams, occupancy: Occupancy, ranked, u, q, v):
    """Someone free for visit u who can take q's place there without breaking its team,
    preferring people who hold nothing visit v needs (so they are not needed there)."""
    team = teams[u]
    role = dict(team)[q]
    others = [p for p, _role in team if p != q]
    best = None
    fits = occupancy.fits
    for r in covering_prefix(problem, u, (p for p in ranked(u) if fits(p, u))):
        if r in others or r == q:
            continue
        if role == "lead" and not problem.people[r].may_lead:
            continue
        if not problem.covers(u, [*others, r]):
            continue
        if not _holds_need(problem, r, v):
            return r
        best = best if best is not None else r
    return best


def _swap(problem, teams, occupancy, holding, u: int, out: int, into: int) -> None:
    teams[u] = [(into if p == out else p, role) for p, role in teams[u]]
    occupancy.remove(out, u)
    occupancy.add(into, u)
    holding[out].discard(u)
    holding.setdefault(into, set()).add(u)
