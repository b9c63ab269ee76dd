"""The planning problem (`armslength.plan-problem/1`): reading, validating, indexing.

Errors name the field and the entry (`visits[4].team_size: must be a whole
number of at least 1`), so `armslength plan` can exit 2 with one line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from armslength.engine.policy import PLANNING_WEIGHTS as DEFAULT_WEIGHTS

FORMAT = "armslength.plan-problem/1"
CATEGORIES = ("member", "staff", "secondee", "external_expert")
GENDERS = ("female", "male", "other", "undisclosed")
VERDICTS = ("block", "preparation_only", "restricted", "declared")
SEVERITY = {"block": 4, "preparation_only": 3, "restricted": 2, "declared": 1, "clear": 0}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ProblemError(ValueError):
    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass(frozen=True)
class Person:
    id: str
    index: int
    body: str
    category: str
    expertise: frozenset[str]
    gender: str
    region: str
    max_visits: int | None
    max_days: int | None
    unavailable: tuple[tuple[int, int], ...]  # inclusive day numbers
    can_lead: bool

    @property
    def is_secondee(self) -> bool:
        return self.category == "secondee"

    @property
    def may_lead(self) -> bool:
        """Leadership is never held by seconded staff (APT: seconded officials)."""
        return self.can_lead and not self.is_secondee


@dataclass(frozen=True)
class Visit:
    id: str
    index: int
    establishment: str
    region: str
    start: int  # day number (date.toordinal())
    end: int
    team_size: int
    requires: tuple[tuple[str, int], ...]
    min_women: int
    needs_lead: bool

    @property
    def days(self) -> int:
        return self.end - self.start + 1


@dataclass
class Problem:
    horizon: tuple[int, int]
    travel: dict[str, dict[str, int]]
    weights: dict[str, int]
    people: list[Person]
    visits: list[Visit]
    #: (person index, visit index) -> verdict, the most severe of every entry that hits the pair
    verdicts: dict[tuple[int, int], str] = field(default_factory=dict)

    def verdict(self, p: int, v: int) -> str:
        return self.verdicts.get((p, v), "clear")

    def travel_cost(self, person: Person, visit: Visit) -> int:
        return self.travel.get(person.region, {}).get(visit.region, 0) if self.travel else 0

    def cost(self, p: int, v: int) -> int:
        """The objective's cost of person p in visit v's team (specs/planning.md)."""
        person, visit, w = self.people[p], self.visits[v], self.weights
        verdict = self.verdict(p, v)
        return (
            w["travel"] * self.travel_cost(person, visit)
            + (w["secondee"] if person.is_secondee else 0)
            + (w["declared"] if verdict == "declared" else 0)
            + (w["restricted"] if verdict == "restricted" else 0)
        )

    def available(self, p: int, v: int) -> bool:
        person, visit = self.people[p], self.visits[v]
        return not any(a <= visit.end and visit.start <= b for a, b in person.unavailable)

    def covers(self, v: int, members: list[int]) -> bool:
        """Counts alone: enough holders of each tag, women, and a possible lead among members."""
        visit = self.visits[v]
        people = [self.people[p] for p in members]
        return (
            all(sum(1 for p in people if tag in p.expertise) >= n for tag, n in visit.requires)
            and sum(1 for p in people if p.gender == "female") >= visit.min_women
            and (not visit.needs_lead or any(p.may_lead for p in people))
        )

    def eligible(self, p: int, v: int) -> bool:
        """Hard rules 1 and 3, and limits a single visit already breaks (rule 4)."""
        person, visit = self.people[p], self.visits[v]
        if SEVERITY[self.verdict(p, v)] >= SEVERITY["preparation_only"]:
            return False
        if person.max_visits is not None and person.max_visits < 1:
            return False
        if person.max_days is not None and person.max_days < visit.days:
            return False
        return self.available(p, v)


def day(value: Any, path: str) -> int:
    if not isinstance(value, str) or not _ISO.match(value):
        raise ProblemError(path, f"{value!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value).toordinal()
    except ValueError:
        raise ProblemError(path, f"{value!r} is not a real date") from None


def iso(day_number: int) -> str:
    return dt.date.fromordinal(day_number).isoformat()


def _obj(raw: Any, path: str) -> dict:
    if not isinstance(raw, dict):
        raise ProblemError(path, "must be an object")
    return raw


def _whole(raw: dict, key: str, path: str, *, default=None, minimum: int = 0):
    value = raw.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ProblemError(f"{path}.{key}", f"must be a whole number of at least {minimum}")
    return value


def _text(raw: dict, key: str, path: str, *, required: bool = True) -> str:
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value:
        raise ProblemError(f"{path}.{key}", "must be a non-empty string")
    return value


def _flag(raw: dict, key: str, path: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise ProblemError(f"{path}.{key}", "must be true or false")
    return value


def load_problem(document: Any) -> Problem:
    doc = _obj(document, "problem")
    if doc.get("format") != FORMAT:
        raise ProblemError("format", f"must be {FORMAT!r}, not {doc.get('format')!r}")
    horizon = _obj(doc.get("horizon"), "horizon")
    start, end = day(horizon.get("start"), "horizon.start"), day(horizon.get("end"), "horizon.end")
    if end < start:
        raise ProblemError("horizon.end", "is before horizon.start")
    travel = _travel(doc.get("travel") or {})
    weights = dict(DEFAULT_WEIGHTS)
    for key, value in _obj(doc.get("weights") or {}, "weights").items():
        if key not in DEFAULT_WEIGHTS:
            raise ProblemError(f"weights.{key}", "unknown weight")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ProblemError(f"weights.{key}", "must be a whole number of at least 0")
        weights[key] = value
    people = _people(doc.get("people"), travel)
    visits = _visits(doc.get("visits"), travel)
    problem = Problem((start, end), travel, weights, people, visits)
    _conflicts(doc.get("conflicts") or [], problem)
    return problem


def _travel(raw: Any) -> dict[str, dict[str, int]]:
    travel = {}
    for a, row in _obj(raw, "travel").items():
        travel[a] = {}
        for b, cost in _obj(row, f"travel.{a}").items():
            if isinstance(cost, bool) or not isinstance(cost, int) or cost < 0:
                raise ProblemError(f"travel.{a}.{b}", "must be a whole number of at least 0")
            travel[a][b] = cost
    return travel


def _check_region(region: str, travel: dict, path: str, *, source: bool) -> None:
    if not travel:
        return
    if source and region not in travel:
        raise ProblemError(path, f"region {region!r} has no row in travel")
    if not source and not any(region in row for row in travel.values()):
        raise ProblemError(path, f"region {region!r} has no column in travel")


def _people(raw: Any, travel) -> list[Person]:
    if not isinstance(raw, list):
        raise ProblemError("people", "must be a list")
    people, seen = [], set()
    for i, item in enumerate(raw):
        path = f"people[{i}]"
        r = _obj(item, path)
        pid = _text(r, "id", path)
        if pid in seen:
            raise ProblemError(f"{path}.id", f"duplicate id {pid!r}")
        seen.add(pid)
        category = r.get("category")
        if category not in CATEGORIES:
            raise ProblemError(
                f"{path}.category", f"{category!r} is not one of {', '.join(CATEGORIES)}"
            )
        gender = r.get("gender")
        if gender not in GENDERS:
            raise ProblemError(f"{path}.gender", f"{gender!r} is not one of {', '.join(GENDERS)}")
        expertise = r.get("expertise", [])
        if not isinstance(expertise, list) or not all(isinstance(t, str) for t in expertise):
            raise ProblemError(f"{path}.expertise", "must be a list of strings")
        region = _text(r, "region", path)
        _check_region(region, travel, f"{path}.region", source=True)
        unavailable = []
        for j, rng in enumerate(r.get("unavailable") or []):
            rp = f"{path}.unavailable[{j}]"
            rr = _obj(rng, rp)
            a, b = day(rr.get("start"), f"{rp}.start"), day(rr.get("end"), f"{rp}.end")
            if b < a:
                raise ProblemError(f"{rp}.end", "is before start")
            unavailable.append((a, b))
        people.append(
            Person(
                id=pid,
                index=i,
                body=str(r.get("body", "")),
                category=category,
                expertise=frozenset(expertise),
                gender=gender,
                region=region,
                max_visits=_whole(r, "max_visits", path),
                max_days=_whole(r, "max_days", path),
                unavailable=tuple(unavailable),
                can_lead=_flag(r, "can_lead", path),
            )
        )
    return people


def _visits(raw: Any, travel) -> list[Visit]:
    if not isinstance(raw, list):
        raise ProblemError("visits", "must be a list")
    visits, seen = [], set()
    for i, item in enumerate(raw):
        path = f"visits[{i}]"
        r = _obj(item, path)
        vid = _text(r, "id", path)
        if vid in seen:
            raise ProblemError(f"{path}.id", f"duplicate id {vid!r}")
        seen.add(vid)
        start, end = day(r.get("start"), f"{path}.start"), day(r.get("end"), f"{path}.end")
        if end < start:
            raise ProblemError(f"{path}.end", "is before start")
        requires = []
        for tag, n in _obj(r.get("requires") or {}, f"{path}.requires").items():
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise ProblemError(f"{path}.requires.{tag}", "must be a whole number of at least 0")
            if n:
                requires.append((tag, n))
        region = _text(r, "region", path)
        _check_region(region, travel, f"{path}.region", source=False)
        visits.append(
            Visit(
                id=vid,
                index=i,
                establishment=_text(r, "establishment", path),
                region=region,
                start=start,
                end=end,
                team_size=_whole(r, "team_size", path, minimum=1)
                if "team_size" in r
                else _missing(f"{path}.team_size"),
                requires=tuple(sorted(requires)),
                min_women=_whole(r, "min_women", path, default=0),
                needs_lead=_flag(r, "needs_lead", path),
            )
        )
    return visits


def _missing(path: str):
    raise ProblemError(path, "is required")


def _conflicts(raw: Any, problem: Problem) -> None:
    if not isinstance(raw, list):
        raise ProblemError("conflicts", "must be a list")
    people = {p.id: p.index for p in problem.people}
    visits = {v.id: v.index for v in problem.visits}
    by_establishment: dict[str, list[int]] = {}
    for v in problem.visits:
        by_establishment.setdefault(v.establishment, []).append(v.index)
    for i, item in enumerate(raw):
        path = f"conflicts[{i}]"
        r = _obj(item, path)
        pid = r.get("person")
        if pid not in people:
            raise ProblemError(f"{path}.person", f"unknown person {pid!r}")
        verdict = r.get("verdict")
        if verdict not in VERDICTS:
            raise ProblemError(
                f"{path}.verdict", f"{verdict!r} is not one of {', '.join(VERDICTS)}"
            )
        has_visit, has_est = "visit" in r and r["visit"] is not None, r.get("establishment")
        if bool(has_visit) == bool(has_est):
            raise ProblemError(path, "must name exactly one of visit or establishment")
        if has_visit:
            if r["visit"] not in visits:
                raise ProblemError(f"{path}.visit", f"unknown visit {r['visit']!r}")
            targets = [visits[r["visit"]]]
        else:
            targets = by_establishment.get(r["establishment"], [])
        p = people[pid]
        for v in targets:
            old = problem.verdicts.get((p, v), "clear")
            if SEVERITY[verdict] > SEVERITY[old]:
                problem.verdicts[(p, v)] = verdict
