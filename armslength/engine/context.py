"""Indexes over a dataset that the rules share: who controls what, each person's facts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from armslength.engine.dates import add_months
from armslength.engine.facts import (
    Affiliation,
    Assessment,
    Dataset,
    Person,
    Secondment,
    Window,
    overlaps,
)
from armslength.engine.policy import Policy

_NONE: list = []


@dataclass
class PersonFacts:
    person: Person
    secondments: list[Secondment] = field(default_factory=list)
    affiliations: list[Affiliation] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    #: affiliations naming an establishment, by establishment; and those naming an organisation
    by_establishment: dict[str, list[Affiliation]] = field(default_factory=dict)
    with_organisations: list[Affiliation] = field(default_factory=list)
    _window: Window | None = field(default=None, repr=False)
    _current: list[Secondment] = field(default_factory=list, repr=False)

    def add_affiliation(self, a: Affiliation) -> None:
        self.affiliations.append(a)
        if a.establishment is not None:
            self.by_establishment.setdefault(a.establishment, []).append(a)
        else:
            self.with_organisations.append(a)

    def at(self, est: str) -> list[Affiliation]:
        return self.by_establishment.get(est, _NONE)

    def current_secondments(self, window: Window) -> list[Secondment]:
        # Screening asks about the same window for every establishment: keep the
        # last answer (an identity check is far cheaper than hashing the window).
        if window is not self._window:
            self._current = [s for s in self.secondments if overlaps(s.start, s.end, window)]
            self._window = window
        return self._current

    def kinds(self) -> frozenset[str]:
        return frozenset(a.kind for a in self.affiliations)

    def is_secondee(self, window: Window) -> bool:
        """A secondee is anyone with a current secondment, whatever their category."""
        return any(overlaps(s.start, s.end, window) for s in self.secondments)


class Context:
    """A dataset with the indexes every rule needs, built once per screening."""

    def __init__(self, data: Dataset, policy: Policy):
        self.data = data
        self.policy = policy
        self.params = policy.parameters
        #: organisation id -> itself and its ancestors, nearest first
        self.lineage: dict[str, tuple[str, ...]] = {
            org_id: self._lineage(org_id) for org_id in data.organisations
        }
        #: establishment id -> organisations that control it (operator and its ancestors)
        self.controllers: dict[str, frozenset[str]] = {}
        #: organisation id -> establishments it controls
        self.controlled: dict[str, set[str]] = defaultdict(set)
        for est in data.establishments.values():
            chain = self.lineage[est.operator] if est.operator else ()
            self.controllers[est.id] = frozenset(chain)
            for org_id in chain:
                self.controlled[org_id].add(est.id)
        #: organisation id -> establishments it works at (`works_at`: an NGO that visits)
        self.works_at: dict[str, frozenset[str]] = {
            org.id: frozenset(org.works_at) for org in data.organisations.values() if org.works_at
        }
        self.without_operator = frozenset(
            e.id for e in data.establishments.values() if e.operator is None
        )
        #: per-screening memo for the rules (e.g. which rules may fire for whom)
        self.cache: dict[str, dict] = {}
        self.facts: dict[str, PersonFacts] = {
            pid: PersonFacts(person) for pid, person in data.people.items()
        }
        for s in data.secondments:
            self.facts[s.person].secondments.append(s)
        for a in data.affiliations:
            self.facts[a.person].add_affiliation(a)
        for a in data.assessments:
            self.facts[a.person].assessments.append(a)

    def _lineage(self, org_id: str) -> tuple[str, ...]:
        chain = []
        node: str | None = org_id
        while node is not None and node not in chain:
            chain.append(node)
            node = self.data.organisations[node].parent
        return tuple(chain)

    def controls(self, org_id: str | None, est_id: str) -> bool:
        return org_id is not None and org_id in self.controllers.get(est_id, ())

    def org_name(self, org_id: str | None) -> str:
        if org_id is None:
            return "an unknown organisation"
        return self.data.organisations[org_id].name or org_id

    def est_name(self, est_id: str | None) -> str:
        if est_id is None:
            return "an unknown establishment"
        return self.data.establishments[est_id].name or est_id

    def review_due(self, assessment: Assessment) -> dt.date:
        """A missing `next_review` falls due `assessment_review_months` after the date."""
        if assessment.next_review is not None:
            return assessment.next_review
        return add_months(assessment.date, self.params.assessment_review_months)
