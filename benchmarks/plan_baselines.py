"""Baselines for the team planner, written independently of `armslength.planner`.

They read the problem file themselves (specs/planning.md) and share no code
with the planner, so they are a fair yardstick (issue 15):

- `scarce_first_greedy`: visits in date order; for each, the missing lead,
  then each required expertise, then women, then the cheapest, every choice
  the cheapest free eligible person.
- `windowed_cpsat`: visits in date order, windows of four weeks, each solved
  as one CP-SAT model with every hard rule and the exact objective over each
  visit's 30 cheapest eligible people plus the cheapest eligible holders of
  each required expertise, women and possible leads; earlier windows fixed;
  2 workers; the time shared evenly among the windows left.
- `alone_impossible`: visits no team could staff even with everyone free.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

#: bump when a baseline's results would change: benchmark caches are keyed on it
BASELINE_VERSION = 2
SEVERITY = {"block": 4, "preparation_only": 3, "restricted": 2, "declared": 1, "clear": 0}
WEIGHTS = {"unplanned": 10000, "travel": 1, "secondee": 6, "declared": 25, "restricted": 3}


def _day(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


class Doc:
    """The problem file as plain tables: people, visits, verdicts, costs."""

    def __init__(self, doc: dict):
        self.weights = {**WEIGHTS, **(doc.get("weights") or {})}
        self.travel = doc.get("travel") or {}
        self.people = doc["people"]
        self.visits = doc["visits"]
        self.span = [(_day(v["start"]), _day(v["end"])) for v in self.visits]
        self.leave = [
            [(_day(u["start"]), _day(u["end"])) for u in p.get("unavailable", [])]
            for p in self.people
        ]
        self.tags = [set(p.get("expertise", [])) for p in self.people]
        self.woman = [p["gender"] == "female" for p in self.people]
        self.leader = [bool(p.get("can_lead")) and p["category"] != "secondee" for p in self.people]
        person_index = {p["id"]: i for i, p in enumerate(self.people)}
        visit_index = {v["id"]: i for i, v in enumerate(self.visits)}
        at: dict[str, list[int]] = defaultdict(list)
        for i, v in enumerate(self.visits):
            at[v["establishment"]].append(i)
        self.verdict: dict[tuple[int, int], str] = {}
        for c in doc.get("conflicts", []):
            p = person_index[c["person"]]
            targets = [visit_index[c["visit"]]] if c.get("visit") else at[c["establishment"]]
            for v in targets:
                old = self.verdict.get((p, v), "clear")
                if SEVERITY[c["verdict"]] > SEVERITY[old]:
                    self.verdict[p, v] = c["verdict"]
        self.barred: dict[int, list[int]] = defaultdict(list)
        for (p, v), verdict in self.verdict.items():
            if SEVERITY[verdict] >= 3:
                self.barred[v].append(p)
        self.max_visits = [p.get("max_visits") for p in self.people]
        self.max_days = [p.get("max_days") for p in self.people]
        self._order: dict[int, list[int]] = {}

    def cheapest_eligible(self, v: int) -> list[int]:
        """Everyone eligible for visit v, cheapest first (ties by index); numpy, cached."""
        found = self._order.get(v)
        if found is None:
            a, b = self.span[v]
            ok = np.ones(len(self.people), dtype=bool)
            for p, ranges in enumerate(self.leave):
                if any(x <= b and a <= y for x, y in ranges):
                    ok[p] = False
            for p in range(len(self.people)):
                if (self.max_visits[p] is not None and self.max_visits[p] < 1) or (
                    self.max_days[p] is not None and self.max_days[p] < b - a + 1
                ):
                    ok[p] = False
            for p in self.barred.get(v, ()):
                ok[p] = False
            people = np.flatnonzero(ok)
            costs = np.array([self.cost(p, v) for p in people.tolist()], dtype=np.int64)
            found = people[np.argsort(costs, kind="stable")].tolist()
            self._order[v] = found
        return found

    def days(self, v: int) -> int:
        a, b = self.span[v]
        return b - a + 1

    def cost(self, p: int, v: int) -> int:
        w, person, visit = self.weights, self.people[p], self.visits[v]
        verdict = self.verdict.get((p, v), "clear")
        travel = self.travel.get(person["region"], {}).get(visit["region"], 0)
        return (
            w["travel"] * travel
            + (w["secondee"] if person["category"] == "secondee" else 0)
            + (w["declared"] if verdict == "declared" else 0)
            + (w["restricted"] if verdict == "restricted" else 0)
        )

    def eligible(self, p: int, v: int) -> bool:
        if SEVERITY[self.verdict.get((p, v), "clear")] >= 3:
            return False
        a, b = self.span[v]
        if self.max_visits[p] is not None and self.max_visits[p] < 1:
            return False
        if self.max_days[p] is not None and self.max_days[p] < b - a + 1:
            return False
        return not any(x <= b and a <= y for x, y in self.leave[p])

    def by_date(self) -> list[int]:
        return sorted(range(len(self.visits)), key=lambda v: (self.span[v], v))

    def objective(self, teams: dict[int, list[int]]) -> int:
        return self.weights["unplanned"] * (len(self.visits) - len(teams)) + sum(
            self.cost(p, v) for v, team in teams.items() for p in team
        )

    def as_plan(self, teams: dict[int, list[tuple[int, str]]]) -> dict:
        plain = {v: [p for p, _ in team] for v, team in teams.items()}
        return {
            "format": "armslength.plan/1",
            "status": "feasible",
            "objective": self.objective(plain),
            "bound": 0,
            "assignments": [
                {"visit": self.visits[v]["id"], "person": self.people[p]["id"], "role": role}
                for v, team in teams.items()
                for p, role in team
            ],
            "unplanned": [
                {"visit": self.visits[v]["id"], "reasons": ["baseline"]}
                for v in range(len(self.visits))
                if v not in teams
            ],
        }


class Booked:
    """Each person's days, visits and visit days so far."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.days = [set() for _ in doc.people]
        self.count = [0] * len(doc.people)
        self.used = [0] * len(doc.people)

    def free(self, p: int, v: int) -> bool:
        d = self.doc
        a, b = d.span[v]
        if d.max_visits[p] is not None and self.count[p] >= d.max_visits[p]:
            return False
        if d.max_days[p] is not None and self.used[p] + b - a + 1 > d.max_days[p]:
            return False
        return not any(x in self.days[p] for x in range(a, b + 1))

    def book(self, p: int, v: int) -> None:
        a, b = self.doc.span[v]
        self.days[p].update(range(a, b + 1))
        self.count[p] += 1
        self.used[p] += b - a + 1


def scarce_first_greedy(doc: Doc) -> dict[int, list[tuple[int, str]]]:
    booked = Booked(doc)
    teams = {}
    for v in doc.by_date():
        free = _enough(doc, v, (p for p in doc.cheapest_eligible(v) if booked.free(p, v)))
        team = scarce_first_team(doc, v, free)
        if team is not None:
            teams[v] = team
            for p, _ in team:
                booked.book(p, v)
    return teams


def _enough(doc: Doc, v: int, people) -> list[int]:
    """The cheapest free people up to the point where every need and the team size
    are met several times over: the greedy's choices never go beyond it."""
    visit = doc.visits[v]
    tags = {t: n + 1 for t, n in (visit.get("requires") or {}).items()}
    lead = 1 if visit.get("needs_lead") else 0
    women = visit.get("min_women", 0)
    out = []
    for p in people:
        out.append(p)
        lead -= doc.leader[p]
        women -= doc.woman[p]
        for t in doc.tags[p]:
            if t in tags:
                tags[t] -= 1
        if (
            len(out) >= 2 * visit["team_size"] + len(tags) + 2
            and lead <= 0
            and women <= 0
            and all(n <= 0 for n in tags.values())
        ):
            break
    return out


def scarce_first_team(doc: Doc, v: int, free: list[int]) -> list[tuple[int, str]] | None:
    """The missing lead, then each expertise, then women, then the cheapest."""
    visit = doc.visits[v]
    free = sorted(free, key=lambda p: (doc.cost(p, v), p))
    team: list[int] = []
    lead = None
    if visit.get("needs_lead"):
        lead = next((p for p in free if doc.leader[p]), None)
        if lead is None:
            return None
        team.append(lead)
    for tag, n in (visit.get("requires") or {}).items():
        have = sum(tag in doc.tags[p] for p in team)
        for p in free:
            if have >= n:
                break
            if p not in team and tag in doc.tags[p]:
                team.append(p)
                have += 1
    women = sum(doc.woman[p] for p in team)
    for p in free:
        if women >= visit.get("min_women", 0):
            break
        if p not in team and doc.woman[p]:
            team.append(p)
            women += 1
    for p in free:
        if len(team) >= visit["team_size"]:
            break
        if p not in team:
            team.append(p)
    if len(team) != visit["team_size"] or not _covers(doc, v, team):
        return None
    return [(p, "lead" if p == lead else "member") for p in team]


def _covers(doc: Doc, v: int, team: list[int]) -> bool:
    visit = doc.visits[v]
    return (
        all(
            sum(tag in doc.tags[p] for p in team) >= n
            for tag, n in (visit.get("requires") or {}).items()
        )
        and sum(doc.woman[p] for p in team) >= visit.get("min_women", 0)
        and (not visit.get("needs_lead") or any(doc.leader[p] for p in team))
    )


def _pool(doc: Doc, v: int, free: list[int], cheapest: int = 30, holders: int = 5) -> list[int]:
    """The 30 cheapest plus the cheapest few holders of each need."""
    visit = doc.visits[v]
    free = sorted(free, key=lambda p: (doc.cost(p, v), p))
    pool = dict.fromkeys(free[:cheapest])
    needs = [lambda p, t=tag: t in doc.tags[p] for tag in (visit.get("requires") or {})]
    if visit.get("min_women"):
        needs.append(lambda p: doc.woman[p])
    needs.append(lambda p: doc.leader[p])
    for need in needs:
        for p in [p for p in free if need(p)][:holders]:
            pool[p] = None
    return list(pool)


def windowed_cpsat(doc: Doc, seconds: float, workers: int = 2, weeks: int = 4):
    """Windows of `weeks` weeks by start date, each one CP-SAT model, earlier ones fixed."""
    started = time.monotonic()
    order = doc.by_date()
    first = doc.span[order[0]][0] if order else 0
    windows: list[list[int]] = []
    for v in order:
        k = (doc.span[v][0] - first) // (7 * weeks)
        while len(windows) <= k:
            windows.append([])
        windows[k].append(v)
    windows = [w for w in windows if w]
    booked = Booked(doc)
    teams: dict[int, list[tuple[int, str]]] = {}
    for i, window in enumerate(windows):
        left = seconds - (time.monotonic() - started)
        share = max(0.1, left / (len(windows) - i))
        found = _solve_window(doc, window, booked, share, workers)
        for v, team in found.items():
            teams[v] = team
            for p, _ in team:
                booked.book(p, v)
    return teams


def _solve_window(
    doc: Doc, window: list[int], booked: Booked, seconds: float, workers: int, whole=False
):
    model = cp_model.CpModel()
    w = doc.weights
    x, lead, y, pools = {}, {}, {}, {}
    mine: dict[int, list[int]] = defaultdict(list)
    terms = []
    for v in window:
        visit = doc.visits[v]
        free = [p for p in doc.cheapest_eligible(v) if booked.free(p, v)]
        pool = free if whole else _pool(doc, v, free)
        pools[v] = pool
        y[v] = model.NewBoolVar("")
        for p in pool:
            x[p, v] = model.NewBoolVar("")
            mine[p].append(v)
            terms.append(doc.cost(p, v) * x[p, v])
            if doc.leader[p]:
                lead[p, v] = model.NewBoolVar("")
                model.AddImplication(lead[p, v], x[p, v])
        model.Add(sum(x[p, v] for p in pool) == visit["team_size"] * y[v])
        for tag, n in (visit.get("requires") or {}).items():
            model.Add(sum(x[p, v] for p in pool if tag in doc.tags[p]) >= n * y[v])
        if visit.get("min_women"):
            model.Add(sum(x[p, v] for p in pool if doc.woman[p]) >= visit["min_women"] * y[v])
        leads = [lead[p, v] for p in pool if (p, v) in lead]
        if visit.get("needs_lead"):
            model.Add(sum(leads) == y[v])
        elif leads:
            model.Add(sum(leads) <= 1)
    for p, vs in mine.items():
        # At most one visit a day: one constraint for each day a visit of theirs starts.
        for day in {doc.span[v][0] for v in vs}:
            that_day = [x[p, v] for v in vs if doc.span[v][0] <= day <= doc.span[v][1]]
            if len(that_day) > 1:
                model.AddAtMostOne(that_day)
        if doc.max_visits[p] is not None:
            model.Add(sum(x[p, v] for v in vs) <= doc.max_visits[p] - booked.count[p])
        if doc.max_days[p] is not None:
            model.Add(sum(doc.days(v) * x[p, v] for v in vs) <= doc.max_days[p] - booked.used[p])
    model.Minimize(sum(w["unplanned"] * (1 - y[v]) for v in window) + sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}
    out = {}
    for v in window:
        if solver.Value(y[v]):
            out[v] = [
                (p, "lead" if (p, v) in lead and solver.Value(lead[p, v]) else "member")
                for p in pools[v]
                if solver.Value(x[p, v])
            ]
    return out


def alone_impossible(doc: Doc) -> int:
    """How many visits no team could staff even with everyone free."""
    count = 0
    empty = Booked(doc)
    for v in range(len(doc.visits)):
        free = doc.cheapest_eligible(v)
        visit = doc.visits[v]
        if len(free) < visit["team_size"] or not _covers(doc, v, free):
            count += 1
            continue
        if scarce_first_team(doc, v, free) is None and not _solve_window(
            doc, [v], empty, 5.0, 1, whole=True
        ):
            count += 1
    return count
