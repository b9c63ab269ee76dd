"""The web planner: a problem built from the register, and its proposal read in words.

Teams are completed, never replaced: the people already on a visit's team stay,
and the problem only asks the planner for what they do not cover. Who may be on a
team at all is `engine/team.py`'s eligibility, the same rule as for a team built by
hand; the verdicts are the conflict engine's. The problem is in the format of
`specs/planning.md`, so `armslength plan` and its independent checker read it too.
Accepting a proposal goes through `services.plan_accept` (the one door).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from armslength.core.labels import VERDICT_LABELS
from armslength.engine import team
from armslength.engine.policy import PLANNING_WEIGHTS, travel_table
from armslength.engine.verdicts import Verdict
from armslength.register.models import Person, expertise_vocabulary
from armslength.visits.models import (
    Assignment,
    Override,
    OverrideStatus,
    PlaceRequest,
    PlaceRequestStatus,
    Role,
    Visit,
    VisitStatus,
)

#: the verdicts under which someone already on a team no longer counts on it
NOT_ON_THE_VISIT = (Verdict.BLOCK, Verdict.PREPARATION_ONLY)


@dataclass
class Standing:
    """A visit's team as it stands, and what it still needs from the planner.

    `members` are the people on the visit itself who are eligible on its dates and
    whose verdict lets them take part; they cover size, expertise, women and lead.
    `stale` are on the team but no longer eligible or now barred: they cover
    nothing, and the review names them so a manager can remove them.
    """

    visit: Visit
    body_id: int | None = None  # the planning body: the lead's, or a partner's
    members: list[tuple[Person, str]] = field(default_factory=list)
    stale: list[tuple[Person, str, list[str]]] = field(default_factory=list)
    places: int = 0  # every place on the visit itself, stale ones included
    asked_of_partners: int = 0  # places still asked of partner bodies: theirs to fill
    team_size: int = 0
    requires: dict[str, int] = field(default_factory=dict)
    min_women: int = 0
    needs_lead: bool = False

    @property
    def member_words(self) -> list[str]:
        """Who is on the team and counts, by name and role only (whatever their body)."""
        return [f"{p.name} ({Role(r).label.lower()})" for p, r in self.members]

    @property
    def own_stale(self) -> list[tuple[Person, str, list[str]]]:
        """Stale members of the planning body: its managers read why."""
        return [s for s in self.stale if s[0].body_id == self.body_id]

    @property
    def partner_stale(self) -> list[Person]:
        """Another body's stale members: only that body's managers may read why (SPEC)."""
        return [s[0] for s in self.stale if s[0].body_id != self.body_id]

    @property
    def complete(self) -> bool:
        return self.team_size == 0

    @property
    def shortfalls(self) -> list[str]:
        """What a full team still lacks (the planner can add nobody to a full team)."""
        labels = expertise_vocabulary()
        lacks = [
            _("%(n)s with %(expertise)s expertise")
            % {"n": n, "expertise": expertise_words(tag, labels)}
            for tag, n in self.requires.items()
        ]
        if self.min_women:
            lacks.append(_("%(n)s more women") % {"n": self.min_women})
        if self.needs_lead:
            lacks.append(_("a lead"))
        return lacks


def standing(visit: Visit, screening, body=None) -> Standing:
    """What the members of `visit`'s team cover, by the team and conflict rules as they are
    now (`team.eligibility`, the engine's verdict with any approved override).

    On a joint visit the places still asked of partner bodies (their open requests) are
    theirs to fill: the lead's planning leaves them out, and a partner's planning (with
    `body` a partner) asks only for those places, within what is left of the team's size;
    expertise (asked in free text), women and the lead stay the lead body's.
    """
    from armslength.visits.services import visit_verdict

    state = Standing(visit, body_id=body.pk if body is not None else visit.body_id)
    for a in _team(visit):
        if a.role == Role.PREPARATION:
            continue
        state.places += 1
        why = list(team.eligibility(a.person.post(), visit.start, visit.end).reasons)
        verdict = visit_verdict(screening, visit, a.person)
        if verdict.verdict in NOT_ON_THE_VISIT:
            why += [f"{r.text} ({', '.join(r.cites)})" for r in verdict.reasons]
        if why:
            state.stale.append((a.person, a.role, why))
        else:
            state.members.append((a.person, a.role))
    people = [p for p, _role in state.members]
    # Another body's stale member keeps their place until their own managers act: the
    # planning body cannot remove them, so a proposal must leave their place to them.
    held_by_others = sum(1 for p, _r, _w in state.stale if p.body_id != state.body_id)
    left = max(0, visit.team_size - len(people) - held_by_others)
    asked = _asked_of_partners(visit, people)
    if body is not None and body.pk != visit.body_id:
        state.team_size = min(left, asked.get(body.pk, 0))
        return state
    state.asked_of_partners = sum(asked.values())
    state.team_size = max(0, left - state.asked_of_partners)
    state.requires = {
        tag: n - have
        for tag, n in (visit.requires or {}).items()
        if (have := sum(1 for p in people if tag in (p.expertise or ()))) < n
    }
    state.min_women = max(0, visit.min_women - sum(1 for p in people if p.gender == "female"))
    state.needs_lead = visit.needs_lead and not any(r == Role.LEAD for _p, r in state.members)
    return state


def _asked_of_partners(visit: Visit, members: list[Person]) -> dict[int, int]:
    """Places still asked of each partner body: its open requests less its members."""
    asked: dict[int, int] = {}
    for request in visit.place_requests.filter(status=PlaceRequestStatus.OPEN):
        asked[request.body_id] = asked.get(request.body_id, 0) + request.places
    return {
        body_id: n - have
        for body_id, n in asked.items()
        if (have := sum(1 for p in members if p.body_id == body_id)) < n
    }


def expertise_words(code: str, labels: dict[str, str]) -> str:
    """An expertise as a sentence reads it: its label, lower-cased at the start
    ("mental health"), or the code with spaces when the list does not know it."""
    label = labels.get(code) or code.replace("_", " ")
    if len(label) > 1 and label[1:2].islower():
        label = label[0].lower() + label[1:]
    return label


def codes_to_words(text: str, labels: dict[str, str]) -> str:
    """The planner's sentence (pure package: it knows only codes) with each expertise code
    it names read as the app names it."""
    return re.sub(
        r"\b[a-z][a-z0-9_]*\b",
        lambda m: expertise_words(m.group(0), labels) if m.group(0) in labels else m.group(0),
        text,
    )


def _team(visit: Visit):
    cached = getattr(visit, "_prefetched_objects_cache", {}).get("assignments")
    if cached is not None:
        return cached
    return visit.assignments.select_related("person").prefetch_related("person__secondments")


def planned_by(body) -> Q:
    """The visits a body plans: those it leads, and the joint visits on which it is a
    partner with places asked of it (its people's places there are its to fill)."""
    asked = PlaceRequest.objects.filter(body=body).exclude(status=PlaceRequestStatus.WITHDRAWN)
    return Q(body=body) | Q(partner_bodies=body, pk__in=asked.values("visit_id"))


#: visits the planner never staffs: over, or not happening
CLOSED = (VisitStatus.CANCELLED, VisitStatus.DONE)


def period_visits(body, start: dt.date, end: dt.date, user=None):
    """The visits the body plans (`planned_by`) starting in the period that may still need
    people (planned or confirmed), each with its team. With `user`, only the visits they
    may read: a manager kept from an unannounced visit must not learn of it from the
    plan's cost or its count of visits without a team (need-to-know)."""
    visits = Visit.objects.filter(planned_by(body), start__gte=start, start__lte=end).exclude(
        status__in=CLOSED
    )
    if user is not None:
        from armslength.core import access

        visits = visits.filter(pk__in=access.readable(user, Visit).values("pk"))
    return (
        visits.distinct()
        .select_related("establishment")
        .prefetch_related("assignments__person__secondments", "assignments__person__body")
        .order_by("start", "pk")
    )


@dataclass
class Build:
    """A planner problem and what the builder found about the teams it completes."""

    problem: dict
    standings: list[Standing]
    policy_version: str


def planning_build(*, body, start: dt.date, end: dt.date, screening=None, user=None) -> Build:
    """The body's visits in the period that may still need people, and its people, as a
    planner problem.

    - Only the visits `user` may read (when given): the running manager's plan
      costs and counts nothing they may not know of.
    - The horizon runs from `start` to the last day of the last visit: a visit
      starting in the period but ending after it is planned on all its days.

    - A visit asks only for what its members do not cover: `team_size`, `requires`
      and `min_women` lowered by them, `needs_lead` cleared when one of them leads;
      a visit whose team is full is left out (the planner adds nobody to it).
    - People: the body's people eligible (`team.eligibility`) on the dates of at
      least one of those visits; their days out of post, leave and places already
      held on any team (those visits included) are unavailable days, and the
      year's visits and days they already hold come off their limits.
    - Verdicts: the conflict engine's, lowered by any approved override.
    Weights and travel costs are the policy's.
    """
    from armslength.screening.services import screen_register

    screening = screening or screen_register()
    visits = list(period_visits(body, start, end, user))
    standings = [standing(v, screening, body) for v in visits]
    open_ = [s for s in standings if not s.complete]
    # every day of every visit in the problem, not only those up to the period's end
    last = max([end, *(s.visit.end for s in open_)])
    people = [
        p
        for p in Person.objects.filter(body=body).prefetch_related("secondments", "unavailability")
        if any(team.eligibility(p.post(), s.visit.start, s.visit.end).eligible for s in open_)
    ]
    held = _bookings_of(people)
    regions = sorted(
        {p.home_region or "unknown" for p in people}
        | {s.visit.establishment.region or "unknown" for s in open_}
    )
    problem = {
        "format": "armslength.plan-problem/1",
        "horizon": {"start": start.isoformat(), "end": last.isoformat()},
        "travel": travel_table(regions),
        "weights": dict(PLANNING_WEIGHTS),
        "people": [_problem_person(p, body, start, last, held.get(p.pk, ())) for p in people],
        "visits": [_problem_visit(s) for s in open_],
        "conflicts": _conflicts(screening, [s.visit for s in open_], people),
    }
    return Build(problem, standings, screening.version)


def _problem_visit(s: Standing) -> dict:
    v = s.visit
    return {
        "id": v.key,
        "establishment": v.establishment.key,
        "region": v.establishment.region or "unknown",
        "start": v.start.isoformat(),
        "end": v.end.isoformat(),
        "team_size": s.team_size,
        "requires": dict(s.requires),
        "min_women": s.min_women,
        "needs_lead": s.needs_lead,
    }


def _bookings_of(people: list[Person]) -> dict[int, tuple[team.Booking, ...]]:
    """Every place these people hold, as the team rules read them (one query)."""
    out: dict[int, list[team.Booking]] = {}
    rows = Assignment.objects.filter(person__in=people).select_related(
        "visit", "visit__establishment"
    )
    for a in rows:
        out.setdefault(a.person_id, []).append(
            team.Booking(
                visit=a.visit.key,
                first=a.visit.start,
                last=a.visit.end,
                role=a.role,
                cancelled=a.visit.status == VisitStatus.CANCELLED,
                label=str(a.visit),
            )
        )
    return {k: tuple(v) for k, v in out.items()}


def _problem_person(p: Person, body, start: dt.date, end: dt.date, held) -> dict:
    """One person of a planner problem, with the team rules applied as days and limits."""
    post = p.post()
    busy = [(a, b) for a, b, _why in team.out_of_post(post, start, end)]
    busy += [(u.start, u.end) for u in p.unavailability.all() if u.end >= start and u.start <= end]
    # places already held, on this period's teams too: a member is busy on their visit
    busy += [(b.first, b.last) for b in held if team.counts(b) and b.last >= start]
    busy = [(max(a, start), min(b, end)) for a, b in busy if a <= end]
    person = {
        "id": p.key,
        "body": body.abbreviation,
        # a secondee on any day of the horizon never leads and costs the secondee weight
        "category": "secondee" if team.is_secondee_during(post, start, end) else p.category,
        "expertise": list(p.expertise or ()),
        "gender": p.gender,
        "region": p.home_region or "unknown",
        "can_lead": p.can_lead,
        "unavailable": [
            {"start": a.isoformat(), "end": b.isoformat()} for a, b in sorted(set(busy))
        ],
    }
    # Limits over the horizon are what is left of the allowance in the tightest
    # year the period touches, members' places on this period's teams included.
    used = [team.workload(held, year) for year in range(start.year, end.year + 1)]
    if p.max_visits is not None:
        person["max_visits"] = max(0, min(p.max_visits - n for n, _d in used))
    if p.max_days is not None:
        person["max_days"] = max(0, min(p.max_days - d for _n, d in used))
    return person


def _conflicts(screening, visits: list[Visit], people: list[Person]) -> list[dict]:
    """Each (person, visit) whose verdict is not clear. An approved override is read
    through `visit_verdict`; pairs without one take the engine's verdict directly."""
    from armslength.visits.services import visit_verdict

    overridden = set(
        Override.objects.filter(visit__in=visits, status=OverrideStatus.APPROVED).values_list(
            "visit_id", "person_id"
        )
    )
    out = []
    for v in visits:
        for p in people:
            if (v.pk, p.pk) in overridden:
                verdict = visit_verdict(screening, v, p).verdict
            else:
                verdict = screening.for_pair(p.key, v.establishment.key, v.start, v.end).verdict
            if verdict != Verdict.CLEAR:
                out.append({"person": p.key, "visit": v.key, "verdict": verdict.code})
    return out


# --- the review, in words -------------------------------------------------------------------

COST_WORDS = {
    "secondee": gettext_lazy(
        "secondee %(n)s (UK-10: the NPM reduces its reliance on seconded staff)"
    ),
    "declared": gettext_lazy("declared interest %(n)s"),
    "restricted": gettext_lazy("restricted %(n)s"),
}


@dataclass
class ProposedPerson:
    name: str
    role: str
    verdict: str  # the verdict the plan was made with (`clear` when none)
    reasons: list[str]  # why that verdict, as the engine says it now
    expertise: list[tuple[str, bool]]  # (label, needed by this visit)
    cost: int
    parts: list[str]  # "travel cost 3 (home region north, visit in south)", ...
    key: str = ""
    now: list[str] = field(default_factory=list)  # what the register says of them now
    warnings: list[str] = field(default_factory=list)  # eligible, but worth knowing

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def cost_words(self) -> str:
        if not self.cost:
            return _("cost 0: home region, no interest, not a secondee")
        return _("cost %(cost)s: %(parts)s") % {"cost": self.cost, "parts": "; ".join(self.parts)}


@dataclass
class ProposedTeam:
    visit: Visit
    standing: Standing
    people: list[ProposedPerson]

    @property
    def cost(self) -> int:
        return sum(p.cost for p in self.people)

    @property
    def accepted(self) -> bool:
        """Every proposed person is on the visit's team now: nothing left to accept."""
        on_team = {p.key for p, _r in self.standing.members} | {
            p.key for p, _r, _w in self.standing.stale
        }
        return bool(self.people) and all(p.key in on_team for p in self.people)


@dataclass
class Review:
    teams: list[ProposedTeam]
    unplanned: list[tuple[Visit, list[str]]]
    full: list[Standing]  # teams already full: nothing proposed
    total: int
    parts: list[str]
    bound: int
    cheapest: bool  # the planner proved no plan costs less

    @property
    def open_teams(self) -> list[ProposedTeam]:
        """Proposals not yet on their teams: what is left to accept."""
        return [t for t in self.teams if not t.accepted]

    @property
    def empty(self) -> bool:
        """No visit of the period needed planning, or was there to plan at all."""
        return not (self.teams or self.unplanned or self.full)

    @property
    def total_words(self) -> str:
        if self.empty:
            return str(_("There are no planned visits in this period: nothing to plan."))
        return _("This plan costs %(total)s: %(parts)s.") % {
            "total": self.total,
            "parts": "; ".join(self.parts),
        }

    @property
    def bound_words(self) -> str:
        if self.cheapest:
            return _("No plan can cost less than %(bound)s: this is a cheapest plan.") % {
                "bound": self.bound
            }
        return _("No plan can cost less than %(bound)s.") % {"bound": self.bound}


def cost_parts(problem: dict, person: dict, visit: dict, verdict: str) -> dict[str, int]:
    """A person's cost on a visit's team, by part (specs/planning.md's formula)."""
    weights = {**PLANNING_WEIGHTS, **(problem.get("weights") or {})}
    travel = (problem.get("travel") or {}).get(person.get("region"), {}).get(visit["region"], 0)
    return {
        "travel": weights["travel"] * travel,
        "secondee": weights["secondee"] if person.get("category") == "secondee" else 0,
        "declared": weights["declared"] if verdict == "declared" else 0,
        "restricted": weights["restricted"] if verdict == "restricted" else 0,
    }


def _part_words(parts: dict[str, int], person: dict, visit: dict) -> list[str]:
    words = []
    if parts["travel"]:
        words.append(
            _("travel cost %(n)s (home region %(home)s, visit in %(region)s)")
            % {"n": parts["travel"], "home": person.get("region"), "region": visit["region"]}
        )
    for key, text in COST_WORDS.items():
        if parts[key]:
            words.append(str(text) % {"n": parts[key]})
    return words


def plan_review(*, run, visits, screening) -> Review:
    """The run's proposal in words, against the register as it is now.

    `visits` are the visits the reader may know of (need-to-know applies): others
    are left out of every list.
    """
    from armslength.visits.services import visit_verdict

    problem, plan = run.problem, run.plan
    weights = {**PLANNING_WEIGHTS, **(problem.get("weights") or {})}
    by_key = {v.key: v for v in visits}
    in_problem = {v["id"]: v for v in problem["visits"]}
    entries = {p["id"]: p for p in problem["people"]}
    verdicts = {(c["person"], c["visit"]): c["verdict"] for c in problem["conflicts"]}
    people = {
        p.key: p
        for p in Person.objects.filter(key__in=entries).prefetch_related(
            "secondments", "unavailability"
        )
    }
    labels = expertise_vocabulary()
    proposals: dict[str, list[dict]] = {}
    for a in plan["assignments"]:
        proposals.setdefault(a["visit"], []).append(a)
    totals = dict.fromkeys(("travel", "secondee", "declared", "restricted"), 0)
    teams = []
    for key, team_ in proposals.items():
        visit, raw = by_key.get(key), in_problem[key]
        proposed = []
        for a in sorted(team_, key=lambda a: (a["role"] != "lead", a["person"])):
            entry, person = entries[a["person"]], people.get(a["person"])
            verdict = verdicts.get((a["person"], key), "clear")
            parts = cost_parts(problem, entry, raw, verdict)
            for k, n in parts.items():
                totals[k] += n
            if visit is None:
                continue
            reasons, now, warnings = [], [], []
            if person is not None:
                current = visit_verdict(screening, visit, person)
                if verdict != "clear":
                    reasons = [f"{r.text} ({', '.join(r.cites)})" for r in current.reasons]
                if current.verdict.code != verdict:
                    now.append(
                        _("now %(verdict)s: plan again")
                        % {
                            "verdict": VERDICT_LABELS.get(
                                current.verdict.code, current.verdict.code
                            )
                        }
                    )
                eligible = team.eligibility(person.post(), visit.start, visit.end)
                now.extend(eligible.reasons)
                warnings.extend(eligible.warnings)
                spans = [(u.start, u.end) for u in person.unavailability.all()]
                if team.unavailable(spans, visit.start, visit.end):
                    now.append(
                        _("%(name)s is now unavailable on some of its days") % {"name": person.name}
                    )
            needed = set(raw.get("requires") or {}) | set(visit.requires or {})
            proposed.append(
                ProposedPerson(
                    name=person.name if person else a["person"],
                    role=a["role"],
                    verdict=verdict,
                    reasons=reasons,
                    expertise=[
                        (labels.get(t) or t.replace("_", " "), t in needed)
                        for t in entry.get("expertise", [])
                    ],
                    cost=sum(parts.values()),
                    parts=_part_words(parts, entry, raw),
                    key=a["person"],
                    now=now,
                    warnings=warnings,
                )
            )
        if visit is not None:
            teams.append(ProposedTeam(visit, standing(visit, screening, run.body), proposed))
    teams.sort(key=lambda t: (t.visit.start, t.visit.pk))
    unplanned = [
        (by_key[u["visit"]], [codes_to_words(r, labels) for r in u.get("reasons") or []])
        for u in plan["unplanned"]
        if u["visit"] in by_key
    ]
    period = [
        v
        for v in visits
        if v.key not in in_problem and v.status not in CLOSED and run.start <= v.start <= run.end
    ]
    full = [s for s in (standing(v, screening, run.body) for v in period) if s.complete]
    n_unplanned = len(plan["unplanned"])
    parts = [
        ngettext(
            "%(n)s visit without a team, %(each)s each = %(total)s",
            "%(n)s visits without a team, %(each)s each = %(total)s",
            n_unplanned,
        )
        % {
            "n": n_unplanned,
            "each": weights["unplanned"],
            "total": n_unplanned * weights["unplanned"],
        },
        _("travel %(n)s") % {"n": totals["travel"]},
        _("secondees %(n)s (UK-10)") % {"n": totals["secondee"]},
        _("declared interests %(n)s") % {"n": totals["declared"]},
        _("restrictions %(n)s") % {"n": totals["restricted"]},
    ]
    total = n_unplanned * weights["unplanned"] + sum(totals.values())
    return Review(
        teams=teams,
        unplanned=unplanned,
        full=full,
        total=total,
        parts=parts,
        bound=plan.get("bound", total),
        cheapest=plan.get("status") == "optimal",
    )


def unplanned_count(problem: dict, cost: int) -> tuple[int, int]:
    """How many visits a plan of this cost leaves without a team, as (fewest, most).

    Each unplanned visit costs `weights.unplanned`; the rest of the cost is at most every
    visit's places at the dearest a person can cost, so the count is exact whenever that
    rest is below one unplanned visit's weight (as in every real programme)."""
    weights = {**PLANNING_WEIGHTS, **(problem.get("weights") or {})}
    each = weights["unplanned"]
    if each <= 0:
        return 0, len(problem.get("visits") or ())
    travel = max(
        (n for row in (problem.get("travel") or {}).values() for n in row.values()), default=0
    )
    dearest = (
        weights["travel"] * travel
        + weights["secondee"]
        + max(weights["declared"], weights["restricted"])
    )
    rest = sum(v.get("team_size", 0) for v in problem.get("visits") or ()) * dearest
    most = cost // each
    fewest = max(0, -(-(cost - rest) // each))
    return min(fewest, most), most


def progress_words(
    cost: int | None, bound: int | None, *, finished: bool = False, problem: dict | None = None
) -> str:
    """The progress bar's words, the review's words for the same two numbers; with the
    run's `problem`, how many visits the plan so far leaves without a team."""
    if cost is None:
        return ""
    if finished:
        words = _("the plan costs %(cost)s") % {"cost": cost}
    else:
        words = _("the best plan so far costs %(cost)s") % {"cost": cost}
    if problem is not None:
        fewest, most = unplanned_count(problem, cost)
        if fewest == most:
            words += ", " + ngettext(
                "%(n)s visit still without a team",
                "%(n)s visits still without a team",
                most,
            ) % {"n": most}
        else:
            words += ", " + _("%(fewest)s to %(most)s visits still without a team") % {
                "fewest": fewest,
                "most": most,
            }
    if bound is not None:
        words += "; " + _("no plan can cost less than %(bound)s") % {"bound": bound}
    return words


def earlier_runs(runs) -> list:
    """Runs, each with `accepted`: how many of its proposed places are on teams now."""
    runs = list(runs.select_related("created_by"))
    pairs = {
        (a["visit"], a["person"]) for r in runs for a in ((r.plan or {}).get("assignments") or [])
    }
    on_teams = set()
    if pairs:
        on_teams = set(
            Assignment.objects.filter(
                visit__key__in={v for v, _p in pairs}, person__key__in={p for _v, p in pairs}
            ).values_list("visit__key", "person__key")
        )
    for r in runs:
        proposed = {(a["visit"], a["person"]) for a in ((r.plan or {}).get("assignments") or [])}
        r.accepted = len(proposed & on_teams)
    return runs


# --- accepting ------------------------------------------------------------------------------


@dataclass
class Acceptance:
    """What accepting changed, team by team."""

    changed: list[tuple[Visit, list[str]]] = field(default_factory=list)  # names added
    unchanged: list[Visit] = field(default_factory=list)  # already had the proposed people
    refused: list[tuple[Visit | str, str]] = field(default_factory=list)  # each names its visit
    not_ready: bool = False  # the run has not finished: nothing was accepted
