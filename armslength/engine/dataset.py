"""Reading and validating an `armslength.dataset/1` document into facts.

Every problem is a `DatasetError` whose message names the entry, as the
spec's command requires: `people[3].body: unknown body 'hmi'`. Validation is
complete before anything is used, so a bad dataset never half-lands.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from armslength.engine import codes
from armslength.engine.facts import (
    Acknowledgement,
    Affiliation,
    Assessment,
    Body,
    Dataset,
    Establishment,
    Organisation,
    Person,
    Query,
    Recruitment,
    Secondment,
    Supervision,
    Term,
    Visit,
)
from armslength.engine.policy import PolicyError, default_policy

FORMAT = "armslength.dataset/1"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

CATEGORIES = codes.codes(codes.CATEGORIES)
NPM_ROLES = codes.codes(codes.NPM_ROLES)
GENDERS = codes.codes(codes.GENDERS)
SECTORS = codes.codes(codes.SECTORS)
KINDS = codes.codes(codes.AFFILIATION_KINDS)
WITH_ROLES = codes.codes(codes.WITH_ROLES)
ACK_KINDS = codes.codes(codes.ACKNOWLEDGEMENT_KINDS)
SECTIONS = (
    "bodies",
    "organisations",
    "establishments",
    "people",
    "secondments",
    "affiliations",
    "assessments",
    "supervisions",
    "acknowledgements",
    "visits",
)


class DatasetError(ValueError):
    """The dataset cannot be used; the message starts with the entry's path."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class _Entry:
    """Typed access to one JSON object, with errors that name its path."""

    def __init__(self, raw: Any, path: str):
        if not isinstance(raw, dict):
            raise DatasetError(path, "must be an object")
        self.raw = raw
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}"

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise DatasetError(self.at(key), "is required")
            return default
        if not isinstance(value, str):
            raise DatasetError(self.at(key), f"must be a string, not {_kind(value)}")
        if required and not value.strip():
            raise DatasetError(self.at(key), "must not be empty")
        return value

    def optional_flag(self, key: str) -> bool | None:
        """A yes/no question that may not have been answered: absent means not recorded."""
        if self.raw.get(key) is None:
            return None
        return self.flag(key)

    def optional_text(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is None:
            return None
        return self.text(key)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.raw.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise DatasetError(self.at(key), f"must be true or false, not {_kind(value)}")
        return value

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise DatasetError(self.at(key), "is required")
            return None
        return parse_date(value, self.at(key))

    def code(self, key: str, allowed: frozenset[str], *, required: bool = True) -> str | None:
        value = self.raw.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or value not in allowed:
            shown = "missing" if value is None else repr(value)
            raise DatasetError(self.at(key), f"{shown} is not one of {', '.join(sorted(allowed))}")
        return value

    def ref(self, key: str, known: dict | set, what: str, *, required: bool = True) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise DatasetError(self.at(key), "is required")
            return None
        if not isinstance(value, str):
            raise DatasetError(self.at(key), f"must be a {what} id, not {_kind(value)}")
        if value not in known:
            raise DatasetError(self.at(key), f"unknown {what} {value!r}")
        return value

    def tags(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DatasetError(self.at(key), "must be a list of strings")
        return tuple(value)


def _kind(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
        str: "a string",
    }.get(type(value), type(value).__name__)


def parse_date(value: Any, path: str) -> dt.date:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise DatasetError(path, f"{value!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DatasetError(path, f"{value!r} is not a real date") from None


def _check_range(start, end, path: str) -> None:
    if start and end and end < start:
        raise DatasetError(path, f"ends ({end}) before it starts ({start})")


def _section(document: dict, name: str) -> list:
    value = document.get(name, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise DatasetError(name, "must be a list")
    return value


def _unique(kept: dict, entry: _Entry) -> str:
    ident = entry.text("id", required=True)
    if ident in kept:
        raise DatasetError(entry.at("id"), f"duplicate id {ident!r}")
    return ident


def load_dataset(document: Any, *, today: dt.date | None = None) -> Dataset:
    """Validate a parsed JSON document and return its facts; raises `DatasetError`."""
    if not isinstance(document, dict):
        raise DatasetError("dataset", "must be a JSON object")
    if document.get("format") != FORMAT:
        raise DatasetError("format", f"must be {FORMAT!r}, not {document.get('format')!r}")
    as_of = parse_date(document["as_of"], "as_of") if document.get("as_of") else None
    data = Dataset(as_of=as_of or today or dt.date.today())
    policy_raw = document.get("policy") or {}
    try:
        default_policy().with_overrides(policy_raw)
    except PolicyError as exc:
        raise DatasetError(exc.path, exc.message) from None
    data.policy_overrides = policy_raw

    for i, raw in enumerate(_section(document, "bodies")):
        e = _Entry(raw, f"bodies[{i}]")
        ident = _unique(data.bodies, e)
        data.bodies[ident] = Body(ident, e.text("name"))

    raw_orgs = [
        _Entry(raw, f"organisations[{i}]")
        for i, raw in enumerate(_section(document, "organisations"))
    ]
    for e in raw_orgs:  # ids first: a parent may come later in the list
        data.organisations[_unique(data.organisations, e)] = None  # type: ignore[assignment]
    for e in raw_orgs:
        ident = e.raw["id"]
        data.organisations[ident] = Organisation(
            ident,
            e.text("name"),
            e.ref("parent", data.organisations, "organisation", required=False),
            e.code("sector", SECTORS, required=False),
        )
    _check_cycles(data, raw_orgs)

    for i, raw in enumerate(_section(document, "establishments")):
        e = _Entry(raw, f"establishments[{i}]")
        ident = _unique(data.establishments, e)
        data.establishments[ident] = Establishment(
            ident,
            e.text("name"),
            e.text("type"),
            e.ref("operator", data.organisations, "organisation", required=False),
            e.optional_text("region"),
        )
    for e in raw_orgs:  # `works_at` names establishments, which are read after organisations
        works_at = _works_at(e, data)
        if works_at:
            org = data.organisations[e.raw["id"]]
            data.organisations[org.id] = dataclasses.replace(org, works_at=works_at)

    for i, raw in enumerate(_section(document, "people")):
        e = _Entry(raw, f"people[{i}]")
        ident = _unique(data.people, e)
        data.people[ident] = _person(e, ident, data)

    for i, raw in enumerate(_section(document, "secondments")):
        data.secondments.append(_secondment(_Entry(raw, f"secondments[{i}]"), data, i))
    for i, raw in enumerate(_section(document, "affiliations")):
        data.affiliations.append(_affiliation(_Entry(raw, f"affiliations[{i}]"), data, i))
    for i, raw in enumerate(_section(document, "assessments")):
        e = _Entry(raw, f"assessments[{i}]")
        cleared = e.raw.get("cleared_organisations") or []
        if not isinstance(cleared, list):
            raise DatasetError(e.at("cleared_organisations"), "must be a list of organisation ids")
        for j, org in enumerate(cleared):
            if org not in data.organisations:
                raise DatasetError(
                    f"{e.at('cleared_organisations')}[{j}]", f"unknown organisation {org!r}"
                )
        date = e.date("date", required=True)
        review = e.date("next_review")
        _check_range(date, review, e.at("next_review"))
        data.assessments.append(
            Assessment(e.ref("person", data.people, "person"), date, frozenset(cleared), review)
        )
    for i, raw in enumerate(_section(document, "supervisions")):
        e = _Entry(raw, f"supervisions[{i}]")
        data.supervisions.append(
            Supervision(e.ref("person", data.people, "person"), e.date("date", required=True))
        )
    for i, raw in enumerate(_section(document, "acknowledgements")):
        e = _Entry(raw, f"acknowledgements[{i}]")
        data.acknowledgements.append(
            Acknowledgement(
                e.ref("person", data.people, "person"),
                e.code("kind", ACK_KINDS),
                e.date("date", required=True),
            )
        )
    for i, raw in enumerate(_section(document, "visits")):
        e = _Entry(raw, f"visits[{i}]")
        ident = _unique(data.visits, e)
        start, end = e.date("start", required=True), e.date("end", required=True)
        _check_range(start, end, e.at("end"))
        data.visits[ident] = Visit(
            ident,
            e.ref("establishment", data.establishments, "establishment"),
            start,
            end,
            e.ref("body", data.bodies, "body", required=False),
        )

    if "queries" in document and document["queries"] is not None:
        data.queries = [
            _query(_Entry(raw, f"queries[{i}]"), data)
            for i, raw in enumerate(_section(document, "queries"))
        ]
    return data


def _works_at(e: _Entry, data: Dataset) -> tuple[str, ...]:
    value = e.raw.get("works_at")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise DatasetError(e.at("works_at"), "must be a list of establishment ids")
    for j, est in enumerate(value):
        if not isinstance(est, str) or est not in data.establishments:
            raise DatasetError(f"{e.at('works_at')}[{j}]", f"unknown establishment {est!r}")
    return tuple(dict.fromkeys(value))


def _person(e: _Entry, ident: str, data: Dataset) -> Person:
    term = e.raw.get("term")
    term_fact = None
    if term is not None:
        t = _Entry(term, e.at("term"))
        term_fact = Term(t.date("start"), t.date("end"))
        _check_range(term_fact.start, term_fact.end, t.at("end"))
    joined, left = e.date("joined"), e.date("left")
    _check_range(joined, left, e.at("left"))
    return Person(
        id=ident,
        name=e.text("name"),
        body=e.ref("body", data.bodies, "body"),
        category=e.code("category", CATEGORIES),
        npm_role=e.code("npm_role", NPM_ROLES, required=False),
        expertise=e.tags("expertise"),
        gender=e.code("gender", GENDERS, required=False),
        leadership=e.flag("leadership"),
        full_time_npm=e.flag("full_time_npm", default=True),
        reports_to_origin=e.flag("reports_to_origin"),
        joined=joined,
        left=left,
        term=term_fact,
    )


def _secondment(e: _Entry, data: Dataset, index: int) -> Secondment:
    start, end = e.date("start"), e.date("end")
    _check_range(start, end, e.at("end"))
    recruitment = None
    if e.raw.get("recruitment") is not None:
        r = _Entry(e.raw["recruitment"], e.at("recruitment"))
        recruitment = Recruitment(
            r.flag("open_process"),
            r.flag("published_criteria"),
            r.text("justification"),
            r.optional_flag("inclusive"),
            r.optional_flag("merit_based"),
        )
    return Secondment(
        person=e.ref("person", data.people, "person"),
        origin=e.ref("origin", data.organisations, "organisation", required=False),
        origin_establishment=e.ref(
            "origin_establishment", data.establishments, "establishment", required=False
        ),
        return_establishment=e.ref(
            "return_establishment", data.establishments, "establishment", required=False
        ),
        start=start,
        end=end,
        recruitment=recruitment,
        index=index,
    )


def _affiliation(e: _Entry, data: Dataset, index: int) -> Affiliation:
    kind = e.code("kind", KINDS)
    has_est = e.raw.get("establishment") is not None
    has_org = e.raw.get("organisation") is not None
    if has_est == has_org:
        raise DatasetError(e.path, "must name exactly one of establishment or organisation")
    with_role = e.code("with_role", WITH_ROLES, required=kind in codes.TIE_KINDS)
    start, end = e.date("start"), e.date("end")
    _check_range(start, end, e.at("end"))
    return Affiliation(
        person=e.ref("person", data.people, "person"),
        kind=kind,
        establishment=e.ref("establishment", data.establishments, "establishment", required=False),
        organisation=e.ref("organisation", data.organisations, "organisation", required=False),
        role=e.text("role"),
        detail=e.text("detail"),
        with_role=with_role,
        start=start,
        end=end,
        on_leave=e.flag("on_leave"),
        index=index,
    )


def _query(e: _Entry, data: Dataset) -> Query:
    person = e.ref("person", data.people, "person")
    visit = e.ref("visit", data.visits, "visit", required=False)
    establishment = e.ref("establishment", data.establishments, "establishment", required=False)
    if (visit is None) == (establishment is None):
        raise DatasetError(e.path, "must name exactly one of visit or establishment")
    return Query(person, visit, establishment)


def _check_cycles(data: Dataset, entries: list[_Entry]) -> None:
    for e in entries:
        seen = {e.raw["id"]}
        node = data.organisations[e.raw["id"]].parent
        while node is not None:
            if node in seen:
                raise DatasetError(e.at("parent"), f"organisation cycle through {node!r}")
            seen.add(node)
            node = data.organisations[node].parent
