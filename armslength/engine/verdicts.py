"""Verdict levels and the shapes of what the engine answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Verdict(IntEnum):
    """Verdicts ordered by severity, so `max()` picks the most severe."""

    CLEAR = 0
    DECLARED = 1
    RESTRICTED = 2
    PREPARATION_ONLY = 3
    BLOCK = 4

    @property
    def code(self) -> str:
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> Verdict:
        try:
            return cls[code.upper()]
        except KeyError:
            raise ValueError(f"unknown verdict {code!r}") from None


VERDICT_CODES = tuple(v.code for v in sorted(Verdict, reverse=True))


@dataclass(frozen=True)
class Reason:
    """One rule that fired, with its citation and a sentence naming the facts."""

    rule: str
    verdict: Verdict
    cites: tuple[str, ...]
    text: str
    #: the values `text` was made from (ids, names, dates), so a reader can
    #: translate or re-word the sentence without parsing it
    params: dict = field(default_factory=dict, compare=False)

    def as_json(self) -> dict:
        return {
            "rule": self.rule,
            "verdict": self.verdict.code,
            "cites": list(self.cites),
            "text": self.text,
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class Result:
    """The answer for one person and one establishment (or visit)."""

    person: str
    establishment: str
    visit: str | None
    verdict: Verdict
    reasons: tuple[Reason, ...] = ()

    def as_json(self) -> dict:
        return {
            "person": self.person,
            "visit": self.visit,
            "establishment": self.establishment,
            "verdict": self.verdict.code,
            "reasons": [r.as_json() for r in self.reasons],
        }


@dataclass(frozen=True)
class Finding:
    """A compliance finding about a person, a secondment or a body (not tied to a visit)."""

    rule: str
    severity: str
    cites: tuple[str, ...]
    text: str
    action: str = ""
    person: str | None = None
    body: str | None = None
    scope: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def key(self) -> tuple:
        return (self.rule, self.person or "", self.body or "", self.scope or "", self.text)

    def as_json(self) -> dict:
        data: dict = {"rule": self.rule, "severity": self.severity}
        if self.person is not None:
            data["person"] = self.person
        if self.body is not None:
            data["body"] = self.body
        if self.scope is not None:
            data["scope"] = self.scope
        data.update(cites=list(self.cites), text=self.text, action=self.action, **self.extra)
        return data
