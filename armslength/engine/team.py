"""Who may be on a visit's team, and what is wrong with a team: each team rule written once.

Pure functions of plain facts and dates (no Django). The live check when a
manager adds someone (`visits.services.assignment_add`), the team warnings on
the visit page and the web planner's problem builder all call these, so the
three can never disagree (issue 13). The planner's independent plan checker
(`planner/check.py`) deliberately keeps its own reading of the rules.

- `eligibility`: in post on every day of the visit (joined, not left, term of
  office current for members, secondment current for secondees) and doing NPM
  work (UK-9); an unrecorded NPM role is eligible with a warning.
- `is_secondee_on`: the one answer to "is this person a secondee on that day".
- `counts`, `clash`, `workload`, `lead_refusal`, `team_problems`: overlaps
  (cancelled visits and preparation never count), unavailability, workload,
  lead, expertise and women.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Span = tuple[dt.date | None, dt.date | None]  # inclusive; None = open on that side

#: the one role code that takes a person out of visit teams (UK-9: NPM work identified)
NON_NPM = "non_npm"


@dataclass(frozen=True)
class Post:
    """What the register says about a person being in post."""

    name: str
    category: str
    npm_role: str = ""
    joined: dt.date | None = None
    left: dt.date | None = None  # the first day they are no longer with the body
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    secondments: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...] = ()  # why not (empty when eligible)
    warnings: tuple[str, ...] = ()  # eligible, but something is missing from the record


def covers(span: Span, day: dt.date) -> bool:
    start, end = span
    return (start is None or start <= day) and (end is None or day <= end)


def is_secondee_on(post: Post, day: dt.date) -> bool:
    """The one answer to "is this person a secondee on that day"."""
    return is_secondee_during(post, day, day)


def is_secondee_during(post: Post, first: dt.date, last: dt.date) -> bool:
    """A secondee on some day of [first, last]: a secondment covers one of the days, or the
    person is recorded as a secondee and no secondment is recorded at all (an incomplete
    record, on which the engine fails closed: it must never make them count as staff)."""
    for start, end in post.secondments:
        if (start is None or start <= last) and (end is None or first <= end):
            return True
    return post.category == "secondee" and not post.secondments


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    for n in range((last - first).days + 1):
        yield first + dt.timedelta(days=n)


def out_of_post(post: Post, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    """The runs of days in [first, last] on which the person is not in post, with why.

    The planner's problem builder turns these runs into unavailable days; `eligibility`
    refuses a visit that touches any of them.
    """
    runs: list[tuple[dt.date, dt.date, str]] = []
    for day in _days(first, last):
        why = _why_not_in_post(post, day)
        if why is None:
            continue
        if runs and runs[-1][2] == why and runs[-1][1] == day - dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day, why)
        else:
            runs.append((day, day, why))
    return runs


def _why_not_in_post(post: Post, day: dt.date) -> str | None:
    if post.joined is not None and day < post.joined:
        return f"joins only on {post.joined.isoformat()}"
    if post.left is not None and day >= post.left:
        return f"left on {post.left.isoformat()}"
    if post.category == "member" and (post.term_start or post.term_end):
        if post.term_start is not None and day < post.term_start:
            return f"term of office starts only on {post.term_start.isoformat()}"
        if post.term_end is not None and day > post.term_end:
            return f"term of office ended on {post.term_end.isoformat()}"
    covered = any(covers(s, day) for s in post.secondments)
    if post.category == "secondee" and post.secondments and not covered:
        ends = [s[1] for s in post.secondments if s[1] is not None and s[1] < day]
        if ends:
            return f"secondment ended on {max(ends).isoformat()}"
        return "no secondment covers these days"
    return None


def eligibility(post: Post, first: dt.date, last: dt.date) -> Eligibility:
    """May this person be on a team for a visit from `first` to `last` (inclusive)?"""
    reasons = []
    if post.npm_role == NON_NPM:
        reasons.append(f"{post.name} does no NPM work (NPM role: not NPM work; UK-9).")
    for a, b, why in out_of_post(post, first, last):
        when = a.isoformat() if a == b else f"{a.isoformat()} to {b.isoformat()}"
        reasons.append(f"{post.name} is not in post on {when}: {why}.")
    warnings = ()
    if not post.npm_role:
        warnings = (f"{post.name}'s NPM role is not recorded (UK-9).",)
    return Eligibility(not reasons, tuple(reasons), warnings)


# --- the team ------------------------------------------------------------------------------

PREPARATION = "preparation"
LEAD = "lead"


@dataclass(frozen=True)
class Booking:
    """A place on a visit's team: the visit's key and days, the role, whether cancelled."""

    visit: str
    first: dt.date
    last: dt.date
    role: str
    cancelled: bool = False
    label: str = ""

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def counts(booking: Booking) -> bool:
    """Only places on the visit itself count: preparation help and cancelled visits never do."""
    return booking.role != PREPARATION and not booking.cancelled


def clash(bookings: Iterable[Booking], first: dt.date, last: dt.date, *, visit: str):
    """The first other counting booking that overlaps [first, last], or None."""
    for b in bookings:
        if b.visit != visit and counts(b) and b.first <= last and first <= b.last:
            return b
    return None


def workload(bookings: Iterable[Booking], year: int, *, exclude: Sequence[str] = ()):
    """Counting visits and visit days starting in `year` (UK-13), as (visits, days)."""
    mine = [b for b in bookings if counts(b) and b.first.year == year and b.visit not in exclude]
    return len(mine), sum(b.days for b in mine)


def unavailable(spans: Iterable[Span], first: dt.date, last: dt.date) -> bool:
    return any((a is None or a <= last) and (b is None or first <= b) for a, b in spans)


def lead_refusal(post: Post, *, can_lead: bool, first: dt.date, last: dt.date) -> str:
    """Why this person may not lead the visit ('' when they may)."""
    if is_secondee_during(post, first, last) or post.category == "secondee":
        return (
            f"{post.name} is seconded: leadership is never held by seconded staff "
            "(APT: seconded officials)."
        )
    if not can_lead:
        return f"{post.name} is not recorded as able to lead visits."
    return ""


@dataclass(frozen=True)
class Member:
    """A person on (or considered for) a team, with what the team rules need about them."""

    post: Post
    role: str
    gender: str = ""
    expertise: tuple[str, ...] = ()
    max_visits: int | None = None
    max_days: int | None = None
    unavailable: tuple[Span, ...] = ()
    bookings: tuple[Booking, ...] = ()  # every place they hold, this visit's included


@dataclass(frozen=True)
class Needs:
    """What a visit asks of its team."""

    key: str
    first: dt.date
    last: dt.date
    team_size: int
    requires: dict = field(default_factory=dict)
    min_women: int = 0
    needs_lead: bool = True


def team_problems(
    needs: Needs, members: Sequence[Member], labels: dict[str, str] | None = None
) -> list[str]:
    """What is still wrong or worth knowing about the team as it stands, as sentences.

    `labels` names each expertise code as people read it ("Social work").
    """
    labels = labels or {}
    problems = []
    on_visit = [m for m in members if m.role != PREPARATION]
    if len(on_visit) < needs.team_size:
        problems.append(f"{len(on_visit)} of {needs.team_size} team members so far.")
    for tag, n in (needs.requires or {}).items():
        have = sum(1 for m in on_visit if tag in m.expertise)
        if have < n:
            name = labels.get(tag) or tag.replace("_", " ")
            problems.append(f"Needs {n} with {name} expertise; has {have}.")
    women = sum(1 for m in on_visit if m.gender == "female")
    if women < needs.min_women:
        noun = "woman" if needs.min_women == 1 else "women"
        problems.append(f"Needs at least {needs.min_women} {noun}; has {women}.")
    if needs.needs_lead and not any(m.role == LEAD for m in on_visit):
        problems.append("No lead yet.")
    for m in members:
        name = m.post.name
        verdict = eligibility(m.post, needs.first, needs.last)
        problems.extend(verdict.reasons)
        problems.extend(verdict.warnings)
        if m.role == PREPARATION:
            continue
        if unavailable(m.unavailable, needs.first, needs.last):
            problems.append(f"{name} is unavailable on some of these days.")
        other = clash(m.bookings, needs.first, needs.last, visit=needs.key)
        if other is not None:
            problems.append(f"{name} is also on {other.label or other.visit}.")
        visits, days = workload(m.bookings, needs.first.year)
        if m.max_visits is not None and visits > m.max_visits:
            problems.append(f"{name} is over their limit of {m.max_visits} visits a year.")
        if m.max_days is not None and days > m.max_days:
            problems.append(f"{name} is over their limit of {m.max_days} visit days a year.")
    return problems
