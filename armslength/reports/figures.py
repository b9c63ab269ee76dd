"""A body's figures for one reporting year, counted from the register.

The reporting year is the calendar year; figures about people are taken "as at"
the last day of the year (or today, for the year still running). Everything is
read in a handful of queries for all bodies at once and counted in Python, so
the NPM-wide report of a national register stays fast (benchmarks/RESULTS.md).

Definitions, stated in the report beside each figure:
- a person is *with the body* on a day when they have joined and not yet left;
  a secondee (or anyone with a secondment) counts only on the days a
  secondment covers, and counts as a secondee on those days;
- *on NPM work* means an NPM role other than "not NPM work" (UK-9);
- FTE is 1 for someone full time on NPM work, else their recorded share.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from armslength.compliance.models import (
    Acknowledgement,
    Assessment,
    FindingRecord,
    InterferenceReport,
    Supervision,
)
from armslength.engine import team
from armslength.engine.dates import add_months
from armslength.engine.facts import Window, overlaps
from armslength.register.models import (
    Body,
    Person,
    Secondment,
    TrainingRecord,
    outside_npm_unit,
)
from armslength.screening.models import current_policy
from armslength.visits.models import Assignment, Override, OverrideStatus, Visit, VisitStatus

#: The shape of `Snapshot.figures`; bump when a key changes meaning.
FIGURES_VERSION = 1
#: "members and staff" (APT: skills and expertise of NPM members and staff)
EXPERTISE_CATEGORIES = frozenset({"member", "staff", "secondee"})


@dataclass(frozen=True)
class Period:
    year: int
    start: dt.date
    end: dt.date
    as_of: dt.date

    @classmethod
    def of(cls, year: int, today: dt.date) -> Period:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return cls(year, start, end, min(end, today))

    def moment(self, day: dt.date, *, end_of_day: bool = False) -> dt.datetime:
        time = dt.time.max if end_of_day else dt.time.min
        return timezone.make_aware(dt.datetime.combine(day, time))


def collect(year: int, *, today: dt.date, body_ids: list[int] | None = None) -> dict[int, dict]:
    """Raw figures of each body (all bodies when `body_ids` is None), keyed by body id."""
    period = Period.of(year, today)
    people = _people(body_ids)
    secondments = _by_person(
        _scoped(Secondment.objects, body_ids).values(
            "person_id", "start", "end", "justification", "origin__name", "origin__sector"
        )
    )
    parameters = current_policy()[0].parameters
    units = dict(Body.objects.values_list("id", "npm_unit"))
    ids = body_ids if body_ids is not None else Body.objects.values_list("id", flat=True)
    figures: dict[int, dict] = {body_id: empty(period) for body_id in ids}
    for body_id, members in _group(people.values(), "body_id").items():
        status = {
            p["id"]: _status_at(p, secondments.get(p["id"], []), period.as_of) for p in members
        }
        figures[body_id]["people"] = _staffing(members, status)
        figures[body_id]["npm_unit"] = _npm_unit(members, status, units.get(body_id, ""))
        figures[body_id]["secondees"] = _secondees(members, status, secondments, period)
    _add_compliance(figures, people, secondments, period, parameters, body_ids)
    _add_visits(figures, period, secondments)
    _add_findings(figures, period, body_ids)
    _add_interference(figures, period, body_ids)
    _add_diversity(figures, people, secondments, period, body_ids)
    return figures


def empty(period: Period) -> dict:
    """The figures of a body with nobody on record (every count zero)."""
    return {
        "version": FIGURES_VERSION,
        "as_of": period.as_of.isoformat(),
        "people": _staffing([], {}),
        "secondees": _secondees([], {}, {}, period),
        "compliance": _compliance_counts([], {}, {}, period, None),
        "visits": {
            "count": 0,
            "days": 0,
            "with_secondee": 0,
            "refused": {},
            "refused_attempts": 0,
            "overrides": 0,
        },
        "findings": {"opened": 0, "closed": 0, "open_at_end": 0, "open_by_rule": {}},
        "interference": {"count": 0, "by_kind": {}, "by_outcome": {}},
        "expertise": {"base": 0, "tags": {}, "skills": {}},
        "gender": {},
        "minority": {},
    }


# --- people -----------------------------------------------------------------

PERSON_FIELDS = (
    "id",
    "body_id",
    "category",
    "npm_role",
    "unit",
    "full_time_npm",
    "npm_share",
    "joined",
    "left",
    "gender",
    "minority_status",
    "expertise",
    "skills",
)


def _people(body_ids):
    qs = Person.objects.all()
    if body_ids is not None:
        qs = qs.filter(body_id__in=body_ids)
    return {p["id"]: p for p in qs.values(*PERSON_FIELDS)}


def _post(person: dict, secondments: list[dict]) -> team.Post:
    return team.Post(
        name="",
        category=person["category"],
        secondments=tuple((s["start"], s["end"]) for s in secondments),
    )


def _overlap_days(secondment: dict, period: Period) -> int:
    start = max(secondment["start"] or period.start, period.start)
    end = min(secondment["end"] or period.as_of, period.as_of)
    return max(0, (end - start).days + 1)


def _status_at(person: dict, secondments: list[dict], day: dt.date) -> str | None:
    """The category a person held on `day`, or None when they were not with the body."""
    if (person["joined"] and person["joined"] > day) or (person["left"] and person["left"] <= day):
        return None
    if team.is_secondee_on(_post(person, secondments), day):
        return "secondee"
    if person["category"] == "secondee":
        return None  # secondments are recorded and none covers the day
    return person["category"]


def _on_npm_work(person: dict) -> bool:
    return person["npm_role"] != "non_npm"


def fte(person: dict) -> float:
    if person["full_time_npm"]:
        return 1.0
    return float(person["npm_share"] or 0)


def _staffing(members: list[dict], status: dict[int, str | None]) -> dict:
    """UK-9: who does NPM work, by category and by NPM role."""
    by_category: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    by_role: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    headcount, total = 0, 0.0
    non_npm = 0
    for p in members:
        category = status.get(p["id"])
        if category is None:
            continue
        if not _on_npm_work(p):
            non_npm += 1
            continue
        share = fte(p)
        headcount += 1
        total += share
        for table, key in ((by_category, category), (by_role, p["npm_role"] or "not_recorded")):
            table[key][0] += 1
            table[key][1] += share
    return {
        "headcount": headcount,
        "fte": round(total, 2),
        "non_npm_headcount": non_npm,
        "by_category": _rounded(by_category),
        "by_role": _rounded(by_role),
    }


def _npm_unit(members: list[dict], status: dict[int, str | None], npm_unit: str) -> dict:
    """UK-9: how many on NPM work at the year end are outside the body's NPM unit (counts only)."""
    if not npm_unit.strip():
        return {"recorded": False}
    on_npm = [p for p in members if status.get(p["id"]) is not None and _on_npm_work(p)]
    outside = sum(outside_npm_unit(npm_unit, p["unit"], p["npm_role"]) for p in on_npm)
    # the unit's name as it was: a frozen year keeps its words as well as its counts
    return {
        "recorded": True,
        "unit": npm_unit.strip(),
        "on_npm_work": len(on_npm),
        "outside_unit": outside,
    }


def _rounded(table: dict[str, list[float]]) -> dict[str, dict]:
    return {k: {"headcount": v[0], "fte": round(v[1], 2)} for k, v in sorted(table.items())}


def _secondees(members, status, secondments, period: Period) -> dict:
    """UK-10 and UK-11: how many secondees, from where, and why new ones were needed."""
    headcount, total = 0, 0.0
    by_origin: Counter[str] = Counter()
    by_sector: Counter[str] = Counter()
    new, justified = 0, 0
    justifications: Counter[str] = Counter()
    for p in members:
        mine = secondments.get(p["id"], [])
        if status.get(p["id"]) == "secondee" and _on_npm_work(p):
            headcount += 1
            total += fte(p)
            current = next(
                (s for s in mine if team.covers((s["start"], s["end"]), period.as_of)), None
            )
            by_origin[(current or {}).get("origin__name") or "Not recorded"] += 1
            by_sector[(current or {}).get("origin__sector") or "not_recorded"] += 1
        for s in mine:
            if s["start"] and period.start <= s["start"] <= period.as_of:
                new += 1
                text = s["justification"].strip()
                justified += bool(text)
                justifications[text or "(no justification recorded)"] += 1
    return {
        "headcount": headcount,
        "fte": round(total, 2),
        "by_origin": dict(sorted(by_origin.items())),
        "by_sector": dict(sorted(by_sector.items())),
        "new": new,
        "new_justified": justified,
        "justifications": dict(justifications.most_common()),
    }


# --- safeguards ---------------------------------------------------------------


def _add_compliance(figures, people, secondments, period: Period, parameters, body_ids) -> None:
    """UK-12, UK-13, UK-15: assessments, supervisions and acknowledgements due and done."""
    records = {
        "assessments": _by_person(
            # a draft counts for nothing until the assessor signs it off (docs/decisions.md)
            _scoped(Assessment.objects, body_ids)
            .filter(date__lte=period.as_of, signed_off_at__isnull=False)
            .values("person_id", "date", "next_review")
        ),
        "supervisions": _by_person(
            _scoped(Supervision.objects, body_ids)
            .filter(date__gte=period.start, date__lte=period.as_of)
            .values("person_id", "date")
        ),
        "acknowledgements": _by_person(
            _scoped(Acknowledgement.objects, body_ids)
            .filter(date__lte=period.as_of)
            .values("person_id", "kind", "date")
        ),
    }
    for body_id, members in _group(people.values(), "body_id").items():
        figures[body_id]["compliance"] = _compliance_counts(
            members, secondments, records, period, parameters
        )


def _compliance_counts(members, secondments, records, period: Period, parameters) -> dict:
    counts = {
        k: {"due": 0, "done": 0}
        for k in ("assessments", "supervisions", "acknowledgements", "exit_acknowledgements")
    }
    for p in members:
        pid = p["id"]
        in_post = sum(_overlap_days(s, period) for s in secondments.get(pid, []))
        if in_post:
            counts["assessments"]["due"] += 1
            counts["assessments"]["done"] += any(
                _assessment_in_force(a, period, parameters) for a in records["assessments"][pid]
            )
            due = in_post // parameters.supervision_days
            counts["supervisions"]["due"] += due
            counts["supervisions"]["done"] += min(due, len(records["supervisions"][pid]))
        kinds = {a["kind"] for a in records["acknowledgements"][pid]}
        due, done = uk15_due_done(
            p, secondments.get(pid, []), records["acknowledgements"][pid], period
        )
        counts["acknowledgements"]["due"] += due
        counts["acknowledgements"]["done"] += done
        if p["left"] and period.start <= p["left"] <= period.as_of:
            counts["exit_acknowledgements"]["due"] += 1
            counts["exit_acknowledgements"]["done"] += "exit_confidentiality" in kinds
    return counts


def uk15_due_done(person, secondments, acknowledgements, period: Period) -> tuple[bool, bool]:
    """UK-15: "where seconded staff are involved in NPM work, they will be made aware".

    Due: someone on NPM work with a secondment current on some day of the year
    (up to today, for the year still running). Done: they acknowledged the duty
    to act with independence on or before the year's end, and not before the
    start of that secondment (an acknowledgement from an earlier post does not
    cover a later secondment).
    """
    if not _on_npm_work(person):
        return False, False
    # the days of the year they were with the body: a secondment recorded as starting
    # before they joined does not make them due for a year they were not yet here
    first = max(period.start, person["joined"] or period.start)
    last = period.as_of
    if person["left"]:
        last = min(last, person["left"] - dt.timedelta(days=1))
    if first > last:
        return False, False
    with_the_body = Window(first, last)
    current = [s for s in secondments if overlaps(s["start"], s["end"], with_the_body)]
    if not current:
        return False, False
    dates = [a["date"] for a in acknowledgements if a["kind"] == "independence"]
    done = any(
        (s["start"] is None or s["start"] <= day) and day <= period.end
        for s in current
        for day in dates
    )
    return True, done


def _assessment_in_force(assessment: dict, period: Period, parameters) -> bool:
    """Made in the year, or made earlier and not yet due for review when the year began."""
    if assessment["date"] >= period.start:
        return True
    review = assessment["next_review"] or add_months(
        assessment["date"], parameters.assessment_review_months
    )
    return review >= period.start


# --- visits -------------------------------------------------------------------


def _add_visits(figures, period: Period, secondments) -> None:
    """UK-14: visits made, with or without a secondee, refused assignments, overrides."""
    visits = {
        v["id"]: v
        for v in Visit.objects.filter(start__gte=period.start, start__lte=period.as_of)
        .exclude(status=VisitStatus.CANCELLED)
        .values("id", "body_id", "start", "end")
    }
    seconded: set[int] = set()
    for a in (
        Assignment.objects.filter(visit__in=list(visits))
        .exclude(role="preparation")
        .values("visit_id", "person_id", "person__category")
    ):
        visit = visits[a["visit_id"]]
        person = {"category": a["person__category"]}
        post = _post(person, secondments.get(a["person_id"], []))
        if team.is_secondee_on(post, visit["start"]):
            seconded.add(a["visit_id"])
    for body_id, rows in _group(visits.values(), "body_id").items():
        if body_id in figures:
            figures[body_id]["visits"].update(
                count=len(rows),
                days=sum((v["end"] - v["start"]).days + 1 for v in rows),
                with_secondee=sum(v["id"] in seconded for v in rows),
            )
    _add_refusals(figures, period)
    overrides = Override.objects.filter(
        status=OverrideStatus.APPROVED,
        decided_at__gte=period.moment(period.start),
        decided_at__lte=period.moment(period.as_of, end_of_day=True),
    ).values_list("visit__body_id", flat=True)
    for body_id in overrides:
        if body_id in figures:
            figures[body_id]["visits"]["overrides"] += 1


def _add_refusals(figures, period: Period) -> None:
    """Assignments the rules refused, read from the visits' audit trail, by rule."""
    from auditlog.models import LogEntry

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Visit),
        timestamp__gte=period.moment(period.start),
        timestamp__lte=period.moment(period.as_of, end_of_day=True),
        additional_data__has_key="refused",
    ).values_list("object_pk", "additional_data")
    entries = list(entries)
    body_of = dict(
        Visit.objects.filter(pk__in={int(pk) for pk, _ in entries}).values_list("pk", "body_id")
    )
    for pk, data in entries:
        body_id = body_of.get(int(pk))
        if body_id not in figures:
            continue
        figures[body_id]["visits"]["refused_attempts"] += 1
        refused = figures[body_id]["visits"]["refused"]
        for rule in data["refused"].get("rules") or ["not recorded"]:
            refused[rule] = refused.get(rule, 0) + 1


# --- findings -----------------------------------------------------------------


def _add_findings(figures, period: Period, body_ids) -> None:
    start = period.moment(period.start)
    end = period.moment(period.as_of, end_of_day=True)
    qs = FindingRecord.objects.filter(opened_at__lte=end, body__isnull=False)
    if body_ids is not None:
        qs = qs.filter(body_id__in=body_ids)
    for row in qs.values("body_id", "rule", "opened_at", "closed_at"):
        if row["body_id"] not in figures:
            continue
        counts = figures[row["body_id"]]["findings"]
        counts["opened"] += row["opened_at"] >= start
        closed = row["closed_at"] is not None and row["closed_at"] <= end
        counts["closed"] += closed and row["closed_at"] >= start
        if not closed:
            counts["open_at_end"] += 1
            counts["open_by_rule"][row["rule"]] = counts["open_by_rule"].get(row["rule"], 0) + 1


def _add_interference(figures, period: Period, body_ids) -> None:
    """APT: privileges and guarantees: reports of interference or reprisals made in the
    year (by the day it happened), by kind and by outcome ("open" until closed), as the
    report stands at the year end (or today)."""
    end = period.moment(period.as_of, end_of_day=True)
    qs = _scoped(InterferenceReport.objects, body_ids).filter(
        date__gte=period.start, date__lte=period.as_of, reported_at__lte=end
    )
    for row in qs.values("person__body_id", "kind", "status", "outcome"):
        counts = figures.get(row["person__body_id"], {}).get("interference")
        if counts is None:
            continue
        outcome = row["outcome"] if row["status"] == "closed" and row["outcome"] else "open"
        counts["count"] += 1
        counts["by_kind"][row["kind"]] = counts["by_kind"].get(row["kind"], 0) + 1
        counts["by_outcome"][outcome] = counts["by_outcome"].get(outcome, 0) + 1


# --- expertise and diversity ----------------------------------------------------


def _add_diversity(figures, people, secondments, period: Period, body_ids) -> None:
    """APT (OPCAT art. 18.2): expertise, gender balance and minority representation."""
    trained = _by_person(
        _scoped(TrainingRecord.objects, body_ids)
        .filter(completed__lte=period.as_of)
        .exclude(skill="")
        .values("person_id", "skill")
    )
    for body_id, members in _group(people.values(), "body_id").items():
        tags: Counter[str] = Counter()
        skills: Counter[str] = Counter()
        gender: Counter[str] = Counter()
        minority: Counter[str] = Counter()
        base = 0
        for p in members:
            category = _status_at(p, secondments.get(p["id"], []), period.as_of)
            if category is None or not _on_npm_work(p):
                continue
            gender[p["gender"] or "undisclosed"] += 1
            minority[p["minority_status"] or "not_stated"] += 1
            if category not in EXPERTISE_CATEGORIES:
                continue
            base += 1
            tags.update(set(p["expertise"] or []))
            skills.update(set(p["skills"] or []) | {t["skill"] for t in trained[p["id"]]})
        figures[body_id]["expertise"] = {
            "base": base,
            "tags": dict(sorted(tags.items())),
            "skills": dict(sorted(skills.items())),
        }
        figures[body_id]["gender"] = dict(sorted(gender.items()))
        figures[body_id]["minority"] = dict(sorted(minority.items()))


# --- helpers ------------------------------------------------------------------


def _scoped(manager, body_ids):
    """Records about people, limited to the given bodies' people when asked."""
    if body_ids is None:
        return manager.all()
    return manager.filter(person__body_id__in=body_ids)


def _group(rows, key: str) -> dict:
    grouped: dict = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _by_person(rows) -> defaultdict:
    return defaultdict(list, _group(rows, "person_id"))
