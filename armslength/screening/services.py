"""The conflict engine applied to the register, for the web app.

One engine, no second copy: the register is turned into the same dataset
document that `armslength export` writes and `armslength screen` reads, and
screened by the same functions. Results are computed on request from the
current records, so they follow every change to a person, secondment,
declaration, assessment or establishment at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import threading
from dataclasses import dataclass, field

import yaml
from django.conf import settings
from django.utils import timezone

from armslength.core import access
from armslength.engine.context import Context
from armslength.engine.facts import Window
from armslength.engine.findings import compute_findings
from armslength.engine.policy import (
    PARAMETER_DEFAULTS,
    load_policy_text,
    settle_parameter_sources,
)
from armslength.engine.rules import evaluate
from armslength.engine.screening import policy_for, screen_all
from armslength.engine.verdicts import Finding, Result, Verdict
from armslength.register.models import Establishment, Person
from armslength.screening.dataset_io import register_dataset
from armslength.screening.models import PolicyVersion, current_policy, installation_policy_text


@dataclass
class RegisterScreening:
    """The register's facts, indexed for the engine, under the policy in force."""

    ctx: Context
    policy_version: PolicyVersion | None
    _findings: list[Finding] | None = field(default=None, repr=False, compare=False)

    @property
    def version(self) -> str:
        return self.ctx.policy.version

    def for_people(self, keys) -> list[Result]:
        return screen_all(self.ctx, people=[k for k in keys if k in self.ctx.facts])

    def for_pair(self, person_key: str, est_key: str, start: dt.date, end: dt.date) -> Result:
        return evaluate(self.ctx, person_key, est_key, Window(start, end))

    def findings(self) -> list[Finding]:
        """All findings of the register; computed once per screening (it is cached per process)."""
        if self._findings is None:
            self._findings = compute_findings(self.ctx)
        return self._findings


_LAST: dict[str, tuple] = {}
_LOCK = threading.Lock()


def policy_version_adopt(*, text: str, note: str, user) -> PolicyVersion:
    """Put a policy file in force as a new version (the edit form, `armslength demo --npm`).
    The text is read first: a policy that cannot be used (or weakens a protected rule)
    raises PolicyError and nothing is written. The version row is audited.
    Every door adopts through here, so here a figure's source is settled: a made-up
    guidance citation is refused, and a figure with no source becomes this NPM's own
    choice, adopted by `user` today."""
    text = policy_text_as_adopted(text, user)
    policy = load_policy_text(text)
    return PolicyVersion.objects.create(
        text=text, version=policy.version, note=note, created_by=user
    )


def policy_text_as_adopted(text: str, user) -> str:
    """The policy file as `user` would adopt it today: made-up guidance citations refused
    (PolicyError), figures with no source (or changed under an old one) theirs."""
    who = (user.get_full_name() or user.get_username()) if user else "armslength"
    return settle_parameter_sources(
        text, adopted_by=who, on=timezone.localdate(), before=policy_in_force_text()
    )


def policy_in_force_text() -> str:
    latest = PolicyVersion.objects.first()
    return latest.text if latest else installation_policy_text()


def policy_text_with_changes(
    base_text: str, *, parameters: dict, rules: dict, adopted_by: str, on: dt.date
) -> str:
    """The policy file with the parameter form's changes applied, as YAML.

    A parameter whose figure changes becomes this NPM's own choice, adopted by
    `adopted_by` on `on` (a figure quoted from the guidance that is changed is
    no longer the guidance's). `rules` maps rule id to {"enabled", "verdict"}.
    The result is read back by the engine, so a weakened UK-14 rule or a bad
    figure raises PolicyError naming the entry, and nothing is adopted.
    """
    document = yaml.safe_load(base_text)
    params = document.setdefault("parameters", {})
    sources = document.setdefault("parameter_sources", {})
    for name, value in parameters.items():
        if params.get(name, PARAMETER_DEFAULTS[name]) == value:
            continue
        params[name] = value
        before = sources.get(name) or {}
        sources[name] = {"source": "npm", "adopted_by": adopted_by, "adopted_on": on}
        if before.get("source") == "npm" and before.get("note"):
            sources[name]["note"] = before["note"]
    for rule_id, change in rules.items():
        document.setdefault("rules", {}).setdefault(rule_id, {}).update(change)
    text = policy_yaml(document)
    load_policy_text(text)  # raises PolicyError: the same checks as any policy file
    return text


def policy_yaml(document: dict) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def policy_diff(old_text: str, new_text: str) -> list[str]:
    """What adopting would change, line by line, both sides written the same way."""
    old = policy_yaml(yaml.safe_load(old_text)).splitlines()
    new = policy_yaml(yaml.safe_load(new_text)).splitlines()
    return list(difflib.unified_diff(old, new, "in force", "proposed", lineterm="", n=1))


def screen_register(as_of: dt.date | None = None) -> RegisterScreening:
    """The register under the policy in force, as of a day (today by default).

    Building it reads the whole register (seconds for a national one), so each
    process keeps the last one and reuses it while nothing has changed: every
    change to a record the engine reads is on the audit log, so the newest log
    entry (and the policy version) says whether it is still current.
    """
    day = as_of or timezone.localdate()
    key = (day, *_register_version()) if settings.SCREENING_CACHE else None
    with _LOCK:
        cached = _LAST.get("screening")
        if key is not None and cached and cached[0] == key:
            return cached[1]
    policy, version = current_policy()
    data = register_dataset(day)
    screening = RegisterScreening(Context(data, policy_for(data, policy)), version)
    if key is not None:
        with _LOCK:
            _LAST["screening"] = (key, screening)
    return screening


def _register_version() -> tuple:
    from auditlog.models import LogEntry

    latest = (
        LogEntry.objects.exclude(action=LogEntry.Action.ACCESS)
        .order_by("-pk")
        .values_list("pk", "timestamp")
        .first()
    )
    return (latest, PolicyVersion.objects.values_list("pk", flat=True).first())


def person_results(screening: RegisterScreening, person: Person) -> list[tuple]:
    """(establishment, result) for every establishment that is not clear for the person."""
    results = screening.for_people([person.key])
    ests = {
        e.key: e for e in Establishment.objects.filter(key__in={r.establishment for r in results})
    }
    return [(ests[r.establishment], r) for r in results]


def establishment_results(screening: RegisterScreening, user, est: Establishment) -> list[tuple]:
    """(person, result) for the people the user may see who are not clear for `est`."""
    people = {p.key: p for p in access.readable(user, Person).select_related("body")}
    results = [r for r in screening.for_people(people) if r.establishment == est.key]
    return [(people[r.person], r) for r in results]


def findings_for_people(screening: RegisterScreening, keys: set[str]) -> list[Finding]:
    return [f for f in screening.findings() if f.person in keys]


VERDICT_LABELS = {
    Verdict.BLOCK: "block",
    Verdict.PREPARATION_ONLY: "preparation only",
    Verdict.RESTRICTED: "restricted",
    Verdict.DECLARED: "declared",
    Verdict.CLEAR: "clear",
}
