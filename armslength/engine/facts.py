"""The facts the engine reasons over: plain frozen dataclasses, no Django.

They mirror the records of the dataset format (`specs/screening.md`). Ids are
the dataset's string ids; dates are `datetime.date`; `None` means "open" for
an end date and "since always" for a start date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Window:
    """The days a question is asked about: a visit's dates, or the single day `as_of`."""

    first: dt.date
    last: dt.date

    @classmethod
    def day(cls, day: dt.date) -> Window:
        return cls(day, day)


def overlaps(start: dt.date | None, end: dt.date | None, window: Window) -> bool:
    """A date range is *current* when it covers any day of the window."""
    return (start is None or start <= window.last) and (end is None or end >= window.first)


def ended_before(end: dt.date | None, window: Window) -> bool:
    """A range is *former* when it ended before the window's first day."""
    return end is not None and end < window.first


@dataclass(frozen=True)
class Body:
    id: str
    name: str = ""


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str = ""
    parent: str | None = None
    sector: str | None = None
    #: establishments where the organisation works (an NGO that visits, a contractor)
    works_at: tuple[str, ...] = ()


@dataclass(frozen=True)
class Establishment:
    id: str
    name: str = ""
    type: str = ""
    operator: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class Term:
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Person:
    id: str
    name: str = ""
    body: str | None = None
    category: str = "staff"
    npm_role: str | None = None
    expertise: tuple[str, ...] = ()
    gender: str | None = None
    leadership: bool = False
    full_time_npm: bool = True
    reports_to_origin: bool = False
    joined: dt.date | None = None
    left: dt.date | None = None
    term: Term | None = None

    def is_current(self, day: dt.date) -> bool:
        """Current from `joined` (if given) until `left`; on and after `left` they have left."""
        return (self.joined is None or self.joined <= day) and (
            self.left is None or day < self.left
        )


def secondment_unrecorded(category: str, left: dt.date | None, has_secondment: bool, day) -> bool:
    """UK-14 fails closed: recorded as a secondee, not left on `day`, no secondment record.

    Without the record nobody can tell where they were seconded from, so every
    establishment might be their origin. The one statement of the condition:
    `incomplete-facts`, `secondment-unrecorded` and the register's warnings
    (person page, spreadsheet import) all ask it here.
    """
    return category == "secondee" and not has_secondment and (left is None or day < left)


@dataclass(frozen=True)
class Recruitment:
    """How a secondee was recruited (UK-11, APT: seconded officials).

    `inclusive` and `merit_based` are `None` when not recorded: absent values
    are not judged.
    """

    open_process: bool = False
    published_criteria: bool = False
    justification: str = ""
    inclusive: bool | None = None
    merit_based: bool | None = None


@dataclass(frozen=True)
class Secondment:
    person: str
    origin: str | None = None
    origin_establishment: str | None = None
    return_establishment: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    recruitment: Recruitment | None = None
    index: int = 0  # position in the dataset, for messages and stable order

    def period(self) -> str:
        start = self.start.isoformat() if self.start else "…"
        end = self.end.isoformat() if self.end else "open-ended"
        return f"{start} to {end}"


@dataclass(frozen=True)
class Affiliation:
    person: str
    kind: str
    establishment: str | None = None
    organisation: str | None = None
    role: str = ""
    detail: str = ""
    with_role: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    on_leave: bool = False
    index: int = 0


@dataclass(frozen=True)
class Assessment:
    person: str
    date: dt.date
    cleared_organisations: frozenset[str] = frozenset()
    next_review: dt.date | None = None


@dataclass(frozen=True)
class Supervision:
    person: str
    date: dt.date


@dataclass(frozen=True)
class Acknowledgement:
    person: str
    kind: str
    date: dt.date


@dataclass(frozen=True)
class Visit:
    id: str
    establishment: str
    start: dt.date
    end: dt.date
    body: str | None = None

    @property
    def window(self) -> Window:
        return Window(self.start, self.end)


@dataclass(frozen=True)
class Query:
    person: str
    visit: str | None = None
    establishment: str | None = None


@dataclass
class Dataset:
    """Everything the engine needs, validated and indexed by id."""

    as_of: dt.date
    bodies: dict[str, Body] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    establishments: dict[str, Establishment] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    secondments: list[Secondment] = field(default_factory=list)
    affiliations: list[Affiliation] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    supervisions: list[Supervision] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    visits: dict[str, Visit] = field(default_factory=dict)
    queries: list[Query] | None = None
    policy_overrides: dict = field(default_factory=dict)
