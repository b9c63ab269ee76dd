"""A plan: teams for planned visits, reasons for unplanned ones, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field

PLAN_FORMAT = "armslength.plan/1"


@dataclass
class Plan:
    #: visit index -> [(person index, role)] with role "lead" or "member"
    teams: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    status: str = "feasible"
    objective: int = 0
    bound: int = 0
    seconds: float = 0.0
    reasons: dict[int, list[str]] = field(default_factory=dict)
    #: visit index -> the failed requirements behind `reasons` (for checking them)
    findings: dict = field(default_factory=dict)
    #: the starts tried: (name, visits left unplanned)
    starts: list = field(default_factory=list)

    def as_json(self, problem) -> dict:
        assignments = [
            {"visit": problem.visits[v].id, "person": problem.people[p].id, "role": role}
            for v in sorted(self.teams)
            for p, role in sorted(self.teams[v])
        ]
        unplanned = [
            {"visit": problem.visits[v].id, "reasons": self.reasons.get(v, [])}
            for v in range(len(problem.visits))
            if v not in self.teams
        ]
        return {
            "format": PLAN_FORMAT,
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "seconds": round(self.seconds, 2),
            "assignments": assignments,
            "unplanned": unplanned,
        }


def objective_of(problem, teams: dict[int, list[tuple[int, str]]]) -> int:
    unplanned = len(problem.visits) - len(teams)
    return problem.weights["unplanned"] * unplanned + sum(
        problem.cost(p, v) for v, team in teams.items() for p, _role in team
    )
