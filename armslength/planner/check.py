"""An independent checker of plans against specs/planning.md.

It reads the plan file and the problem and checks every hard rule and the
objective on its own terms (dates as calendar days, verdicts from the
conflict entries), sharing nothing with the solver but the problem reader.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from armslength.planner.problem import SEVERITY, Problem


def check_plan(problem: Problem, plan: dict) -> list[str]:
    """Every broken rule, as sentences; an empty list means the plan is valid."""
    errors: list[str] = []
    people = {p.id: p for p in problem.people}
    visits = {v.id: v for v in problem.visits}
    teams: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a in plan.get("assignments", []):
        if a["visit"] not in visits or a["person"] not in people:
            errors.append(f"assignment names an unknown visit or person: {a}")
            continue
        if a.get("role") not in ("lead", "member"):
            errors.append(f"{a['person']} on {a['visit']}: role {a.get('role')!r}")
        teams[a["visit"]].append((a["person"], a.get("role")))
    unplanned = {u["visit"] for u in plan.get("unplanned", [])}
    for vid in visits:
        if (vid in teams) == (vid in unplanned):
            errors.append(f"{vid} must be either planned or unplanned, exactly once")
    busy: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for vid, team in teams.items():
        v = visits[vid]
        members = [people[pid] for pid, _ in team]
        ids = [m.id for m in members]
        if len(set(ids)) != len(ids):
            errors.append(f"{vid}: a person appears twice")
        if len(team) != v.team_size:
            errors.append(f"{vid}: team of {len(team)}, needs exactly {v.team_size}")
        for m in members:
            verdict = problem.verdicts.get((m.index, v.index), "clear")
            if SEVERITY[verdict] >= SEVERITY["preparation_only"]:
                errors.append(f"{vid}: {m.id} has verdict {verdict}")
            for a, b in m.unavailable:
                if a <= v.end and v.start <= b:
                    errors.append(f"{vid}: {m.id} is unavailable")
            busy[m.id].append((v.start, v.end, vid))
        for tag, n in v.requires:
            have = sum(1 for m in members if tag in m.expertise)
            if have < n:
                errors.append(f"{vid}: {have} with {tag}, needs {n}")
        women = sum(1 for m in members if m.gender == "female")
        if women < v.min_women:
            errors.append(f"{vid}: {women} women, needs {v.min_women}")
        leads = [people[pid] for pid, role in team if role == "lead"]
        if (v.needs_lead and len(leads) != 1) or len(leads) > 1:
            errors.append(f"{vid}: {len(leads)} leads")
        for lead in leads:
            if not lead.can_lead or lead.category == "secondee":
                errors.append(f"{vid}: {lead.id} may not lead")
    for pid, spans in busy.items():
        spans.sort()
        for (_a1, b1, v1), (a2, _b2, v2) in itertools.pairwise(spans):
            if a2 <= b1:
                errors.append(f"{pid}: {v1} and {v2} overlap")
        person = people[pid]
        if person.max_visits is not None and len(spans) > person.max_visits:
            errors.append(f"{pid}: {len(spans)} visits, at most {person.max_visits}")
        days = sum(b - a + 1 for a, b, _ in spans)
        if person.max_days is not None and days > person.max_days:
            errors.append(f"{pid}: {days} visit days, at most {person.max_days}")
    expected = objective(problem, teams)
    if plan.get("objective") != expected:
        errors.append(f"objective is {plan.get('objective')}, the formula gives {expected}")
    if plan.get("bound", 0) > expected:
        errors.append(f"bound {plan.get('bound')} is above the objective {expected}")
    return errors


def objective(problem: Problem, teams: dict[str, list[tuple[str, str]]]) -> int:
    w = problem.weights
    people = {p.id: p for p in problem.people}
    visits = {v.id: v for v in problem.visits}
    total = w["unplanned"] * (len(visits) - len(teams))
    for vid, team in teams.items():
        v = visits[vid]
        for pid, _role in team:
            p = people[pid]
            verdict = problem.verdicts.get((p.index, v.index), "clear")
            travel = problem.travel.get(p.region, {}).get(v.region, 0) if problem.travel else 0
            total += w["travel"] * travel
            total += w["secondee"] if p.category == "secondee" else 0
            total += w["declared"] if verdict == "declared" else 0
            total += w["restricted"] if verdict == "restricted" else 0
    return total
