"""The policy: which rules apply, with what verdicts, parameters and citations.

Rules are implemented in `rules.py` and `findings.py`; this module says how
an NPM has configured them. Two policy packs ship in `policies/`: the UK
NPM's (`uk-npm.yaml`, cited to the UK guidance and the APT's) and a generic one
for any NPM (`generic.yaml`, cited to the APT guidance alone). A policy may
switch a rule off, change its verdict or change its parameters, but never
switch off or weaken the protected rules (UK-14 "on no occasion"), whatever
the pack cites for them: the protection belongs to the rule id, not the citation.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from armslength.engine.verdicts import VERDICT_CODES, Verdict

#: The rule table of specs/screening.md, in its order (reasons are sorted by it).
RULE_IDS = (
    "secondment-origin",
    "secondment-return",
    "close-affiliation",
    "secondment-operator",
    "former-employment",
    "current-position",
    "personal-tie-authority",
    "personal-tie",
    "client",
    "ngo-role",
    "former-operator-employment",
    "incomplete-facts",
)
FINDING_IDS = (
    "npm-role-unset",
    "secondee-recruitment",
    "secondee-selection",
    "secondee-assessment",
    "secondee-supervision",
    "secondee-awareness",
    "secondment-unrecorded",
    "secondee-leadership",
    "secondee-reporting",
    "secondee-part-time",
    "secondee-short-term",
    "incompatible-position",
    "other-employment",
    "political-allegiance",
    "term-ending",
    "exit-confidentiality",
    "expertise-missing",
    "gender-balance",
)
#: UK-14: "On no occasion will seconded staff be involved in the inspection of an
#: establishment from which they are seconded, are likely to return, or have an
#: otherwise close affiliation." These stay on and stay `block`.
PROTECTED_RULES = frozenset(
    {"secondment-origin", "secondment-return", "close-affiliation", "incomplete-facts"}
)
SEVERITIES = ("error", "warning")
#: Findings added to the contract after policy files were first adopted (issues 12
#: and 17). A policy file written before them does not name them; it takes their
#: shipped configuration rather than being refused, so adopted versions still load.
LATER_FINDINGS = ("secondee-selection", "secondment-unrecorded")

PARAMETER_DEFAULTS: dict[str, Any] = {
    "cooling_off_years": None,
    "supervision_days": 90,
    "assessment_review_months": 12,
    "min_secondment_months": 12,
    "term_notice_days": 90,
    "interference_remind_days": 14,
    "gender_balance_min_share": 0.3,
    "policy_start": dt.date(2014, 6, 1),
}


#: The planner's cost weights (specs/planning.md): the one table. The planner's
#: command line uses it for a problem that names no weights, and the web planner
#: writes it into every problem it builds, so both optimise the same objective.
PLANNING_WEIGHTS: dict[str, int] = {
    "unplanned": 10000,
    "travel": 1,
    "secondee": 6,
    "declared": 25,
    "restricted": 3,
}
#: Travel cost of a visit outside a person's home region (inside it: nothing).
TRAVEL_OTHER_REGION = 3


def travel_cost(home: str, region: str) -> int:
    """What a trip from `home` region to a visit in `region` costs the planner."""
    return 0 if home == region else TRAVEL_OTHER_REGION


def travel_table(regions) -> dict[str, dict[str, int]]:
    """The planner problem's `travel` matrix over these regions, from `travel_cost`."""
    return {a: {b: travel_cost(a, b) for b in regions} for a in regions}


@dataclass(frozen=True)
class ParameterSource:
    """Where a parameter's figure comes from.

    `guidance`: the figure is in the guidance; `cites` name the paragraph and
    `quote` gives its words, which contain the figure. `npm`: the figure is this
    NPM's own choice, adopted by `adopted_by` on `adopted_on`; it carries no
    citation (citations stay on the rules, never on a number the cited
    paragraph does not contain).
    """

    source: str
    cites: tuple[str, ...] = ()
    quote: str = ""
    adopted_by: str = ""
    adopted_on: dt.date | None = None
    note: str = ""


SOURCE_KINDS = ("guidance", "npm")


class PolicyError(ValueError):
    """A policy that cannot be used; `path` names the offending entry."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Parameters:
    cooling_off_years: int | None
    supervision_days: int
    assessment_review_months: int
    min_secondment_months: int
    term_notice_days: int
    gender_balance_min_share: float
    #: an open interference report with no action for this many days is chased
    interference_remind_days: int
    policy_start: dt.date


@dataclass(frozen=True)
class RuleSpec:
    id: str
    verdict: Verdict
    cites: tuple[str, ...]
    summary: str = ""
    enabled: bool = True
    cleared_verdict: Verdict | None = None


@dataclass(frozen=True)
class FindingSpec:
    id: str
    severity: str
    cites: tuple[str, ...]
    action: str = ""
    enabled: bool = True


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    parameters: Parameters
    rules: dict[str, RuleSpec]
    findings: dict[str, FindingSpec]
    document: dict  # the effective policy as plain data, for display and versioning
    #: parameter name -> where its figure comes from (absent in older policy files)
    parameter_sources: dict[str, ParameterSource] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """A short fingerprint of the effective policy: equal policies, equal versions."""
        canonical = json.dumps(self.document, sort_keys=True, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    def rule(self, rule_id: str) -> RuleSpec:
        return self.rules[rule_id]

    def with_overrides(self, overrides: dict, path: str = "policy") -> Policy:
        return build_policy(merge_overrides(self.document, overrides, path), path)


#: The policy packs shipped in `policies/`, by id; the first is the default.
PACKS = ("uk-npm", "generic")


def check_pack(pack: str) -> str:
    """The pack id if it is shipped; a PolicyError naming the choices if not."""
    if pack not in PACKS:
        raise PolicyError("policy pack", f"unknown pack {pack!r}; choose one of {', '.join(PACKS)}")
    return pack


@cache
def shipped_policy_text(pack: str = PACKS[0]) -> str:
    check_pack(pack)
    return resources.files("armslength.engine").joinpath(f"policies/{pack}.yaml").read_text()


@cache
def shipped_policy(pack: str = PACKS[0]) -> Policy:
    return load_policy_text(shipped_policy_text(pack), f"policies/{pack}.yaml")


def default_policy_text() -> str:
    """The UK NPM pack's text (what `armslength screen` uses unless told otherwise)."""
    return shipped_policy_text(PACKS[0])


@cache
def _shipped_document() -> dict:
    return yaml.safe_load(default_policy_text())


def default_policy() -> Policy:
    return shipped_policy(PACKS[0])


def load_policy_text(text: str, path: str = "policy") -> Policy:
    """Read a whole policy file (YAML or JSON, which is YAML too)."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PolicyError(path, f"not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(document, dict):
        raise PolicyError(path, "must be a mapping")
    return build_policy(document, path)


def merge_overrides(document: dict, overrides: dict, path: str = "policy") -> dict:
    """Apply a dataset's `policy` object: flat parameters plus `rules`/`findings` changes."""
    if not isinstance(overrides, dict):
        raise PolicyError(path, "must be an object")
    merged = copy.deepcopy(document)
    for key, value in overrides.items():
        if key in ("rules", "findings"):
            if not isinstance(value, dict):
                raise PolicyError(f"{path}.{key}", "must be an object")
            known = merged.setdefault(key, {})
            for item_id, change in value.items():
                if item_id not in known:
                    kind = "rule" if key == "rules" else "finding"
                    raise PolicyError(f"{path}.{key}.{item_id}", f"unknown {kind} id")
                if not isinstance(change, dict):
                    raise PolicyError(f"{path}.{key}.{item_id}", "must be an object")
                known[item_id] = {**known[item_id], **change}
        elif key == "parameters" and isinstance(value, dict):
            for name, param in value.items():
                _set_parameter(merged, name, param, f"{path}.parameters.{name}")
        else:
            _set_parameter(merged, key, value, f"{path}.{key}")
    return merged


def _set_parameter(document: dict, name: str, value: Any, path: str) -> None:
    if name not in PARAMETER_DEFAULTS:
        raise PolicyError(path, "unknown parameter or setting")
    document.setdefault("parameters", {})[name] = value


def build_policy(document: dict, path: str = "policy") -> Policy:
    params = _parameters(document.get("parameters") or {}, f"{path}.parameters")
    rules = _rules(document.get("rules") or {}, f"{path}.rules")
    findings = _findings(document.get("findings") or {}, f"{path}.findings")
    sources = _parameter_sources(
        document.get("parameter_sources") or {}, f"{path}.parameter_sources"
    )
    return Policy(
        parameter_sources=sources,
        id=str(document.get("id", "custom")),
        name=str(document.get("name", "Custom policy")),
        parameters=params,
        rules=rules,
        findings=findings,
        document=document,
    )


#: The largest figure each whole-number parameter may take: far beyond any sensible
#: choice, and small enough that date arithmetic on it can never overflow.
PARAMETER_MAXIMA = {
    "cooling_off_years": 100,
    "supervision_days": 3660,
    "assessment_review_months": 120,
    "min_secondment_months": 120,
    "term_notice_days": 3660,
    "interference_remind_days": 366,
}
#: OPCAT dates from 2002; a start outside these years is a typing slip.
POLICY_START_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))


def _parameters(raw: dict, path: str) -> Parameters:
    if not isinstance(raw, dict):
        raise PolicyError(path, "must be a mapping")
    for name in raw:
        if name not in PARAMETER_DEFAULTS:
            raise PolicyError(f"{path}.{name}", "unknown parameter")
    values = {**PARAMETER_DEFAULTS, **raw}

    def whole(name: str, minimum: int, allow_none: bool = False) -> int | None:
        value = values[name]
        if value is None and allow_none:
            return None
        # an upper bound too: a figure of 10**30 days would overflow every date sum
        maximum = PARAMETER_MAXIMA[name]
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise PolicyError(
                f"{path}.{name}", f"must be a whole number from {minimum} to {maximum}"
            )
        return value

    share = values["gender_balance_min_share"]
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 0.5:
        raise PolicyError(f"{path}.gender_balance_min_share", "must be a number from 0 to 0.5")
    start = values["policy_start"]
    if isinstance(start, str):
        try:
            start = dt.date.fromisoformat(start)
        except ValueError:
            raise PolicyError(f"{path}.policy_start", "must be an ISO date") from None
    if not isinstance(start, dt.date):
        raise PolicyError(f"{path}.policy_start", "must be an ISO date")
    if not POLICY_START_RANGE[0] <= start <= POLICY_START_RANGE[1]:
        raise PolicyError(
            f"{path}.policy_start",
            f"must be from {POLICY_START_RANGE[0]} to {POLICY_START_RANGE[1]}",
        )
    return Parameters(
        cooling_off_years=whole("cooling_off_years", 0, allow_none=True),
        supervision_days=whole("supervision_days", 1),
        assessment_review_months=whole("assessment_review_months", 1),
        min_secondment_months=whole("min_secondment_months", 0),
        term_notice_days=whole("term_notice_days", 0),
        gender_balance_min_share=float(share),
        interference_remind_days=whole("interference_remind_days", 1),
        policy_start=start,
    )


def _parameter_sources(raw: Any, path: str) -> dict[str, ParameterSource]:
    """Each parameter's source; a guidance source quotes its paragraph, an NPM one says who."""
    if not isinstance(raw, dict):
        raise PolicyError(path, "must be a mapping")
    sources = {}
    for name, item in raw.items():
        where = f"{path}.{name}"
        if name not in PARAMETER_DEFAULTS:
            raise PolicyError(where, "unknown parameter")
        if not isinstance(item, dict):
            raise PolicyError(where, "must be a mapping")
        _known_keys(item, {"source", "cites", "quote", "adopted_by", "adopted_on", "note"}, where)
        kind = item.get("source")
        if kind not in SOURCE_KINDS:
            raise PolicyError(f"{where}.source", "must be guidance or npm")
        note = str(item.get("note") or "")
        if kind == "guidance":
            quote = item.get("quote")
            if not isinstance(quote, str) or not quote.strip():
                raise PolicyError(f"{where}.quote", "a figure from the guidance quotes it")
            sources[name] = ParameterSource(
                kind, _cites(item.get("cites"), f"{where}.cites"), quote.strip(), note=note
            )
            continue
        if item.get("cites") or item.get("quote"):
            raise PolicyError(
                f"{where}.cites",
                "this NPM's own choice carries no citation: cite the rule, not the number",
            )
        adopted_by = item.get("adopted_by")
        if not isinstance(adopted_by, str) or not adopted_by.strip():
            raise PolicyError(f"{where}.adopted_by", "say who adopted this figure")
        adopted_on = item.get("adopted_on")
        if isinstance(adopted_on, str):
            try:
                adopted_on = dt.date.fromisoformat(adopted_on)
            except ValueError:
                adopted_on = None
        if not isinstance(adopted_on, dt.date):
            raise PolicyError(f"{where}.adopted_on", "must be the ISO date it was adopted")
        sources[name] = ParameterSource(
            kind, adopted_by=adopted_by.strip(), adopted_on=adopted_on, note=note
        )
    return sources


def _cites(raw: Any, path: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(c, str) and c for c in raw):
        raise PolicyError(path, "must be a non-empty list of citations")
    return tuple(raw)


def _verdict(raw: Any, path: str) -> Verdict:
    if raw not in VERDICT_CODES or raw == "clear":
        raise PolicyError(path, f"must be one of {', '.join(VERDICT_CODES[:-1])}")
    return Verdict.from_code(raw)


_RULE_KEYS = {"verdict", "cites", "summary", "enabled", "cleared_verdict"}
_FINDING_KEYS = {"severity", "cites", "action", "enabled"}


def _rules(raw: dict, path: str) -> dict[str, RuleSpec]:
    _known_ids(raw, RULE_IDS, path, "rule")
    rules = {}
    for rule_id in RULE_IDS:
        item = raw.get(rule_id)
        where = f"{path}.{rule_id}"
        if not isinstance(item, dict):
            raise PolicyError(where, "missing: every rule must be configured")
        _known_keys(item, _RULE_KEYS, where)
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            raise PolicyError(f"{where}.enabled", "must be true or false")
        verdict = _verdict(item.get("verdict"), f"{where}.verdict")
        if rule_id in PROTECTED_RULES and (not enabled or verdict != Verdict.BLOCK):
            raise PolicyError(
                where,
                "UK-14 rules can never be switched off or weakened "
                '("on no occasion will seconded staff be involved")',
            )
        cleared = item.get("cleared_verdict")
        rules[rule_id] = RuleSpec(
            id=rule_id,
            verdict=verdict,
            cites=_cites(item.get("cites"), f"{where}.cites"),
            summary=str(item.get("summary", "")),
            enabled=enabled,
            cleared_verdict=_verdict(cleared, f"{where}.cleared_verdict") if cleared else None,
        )
    return rules


def _findings(raw: dict, path: str) -> dict[str, FindingSpec]:
    _known_ids(raw, FINDING_IDS, path, "finding")
    findings = {}
    for finding_id in FINDING_IDS:
        item = raw.get(finding_id)
        if item is None and finding_id in LATER_FINDINGS:
            item = _shipped_document()["findings"][finding_id]
        where = f"{path}.{finding_id}"
        if not isinstance(item, dict):
            raise PolicyError(where, "missing: every finding must be configured")
        _known_keys(item, _FINDING_KEYS, where)
        severity = item.get("severity")
        if severity not in SEVERITIES:
            raise PolicyError(f"{where}.severity", "must be error or warning")
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            raise PolicyError(f"{where}.enabled", "must be true or false")
        findings[finding_id] = FindingSpec(
            id=finding_id,
            severity=severity,
            cites=_cites(item.get("cites"), f"{where}.cites"),
            action=str(item.get("action", "")),
            enabled=enabled,
        )
    return findings


def _known_ids(raw: Any, known: tuple[str, ...], path: str, kind: str) -> None:
    if not isinstance(raw, dict):
        raise PolicyError(path, "must be a mapping")
    for item_id in raw:
        if item_id not in known:
            raise PolicyError(f"{path}.{item_id}", f"unknown {kind} id")


def _known_keys(item: dict, known: set[str], path: str) -> None:
    for key in item:
        if key not in known:
            raise PolicyError(f"{path}.{key}", "unknown setting")


def check_guidance_sources(text: str, path: str = "policy") -> dict:
    """The policy document, if every `source: guidance` entry is a shipped pack's own.

    Only the guidance's own words can be cited: such an entry is kept only if it is
    the very entry a shipped pack gives that parameter (those are checked against the
    guidance texts) and the figure is that pack's; anything else raises PolicyError
    naming the parameter.
    """
    load_policy_text(text, path)  # the same checks as any policy file first
    document = yaml.safe_load(text)
    params = document.get("parameters") or {}
    shipped = [yaml.safe_load(shipped_policy_text(pack)) for pack in PACKS]
    for name, item in (document.get("parameter_sources") or {}).items():
        if item.get("source") != "guidance":
            continue
        value = params.get(name, PARAMETER_DEFAULTS[name])
        if not any(
            (d.get("parameter_sources") or {}).get(name) == item
            and (d.get("parameters") or {}).get(name, PARAMETER_DEFAULTS[name]) == value
            for d in shipped
        ):
            raise PolicyError(
                f"parameter_sources.{name}",
                "only the guidance's own words can be cited; this figure and quotation are not"
                " a shipped pack's reading of the guidance, so record it as this NPM's own"
                " choice (source: npm)",
            )
    return document


def settle_parameter_sources(
    text: str, *, adopted_by: str, on: dt.date, before: str | None = None, path: str = "policy"
) -> str:
    """The policy file as it may be adopted: every figure's source checked and recorded.

    A made-up guidance citation raises PolicyError (`check_guidance_sources`). A figure
    with no source entry, or one whose value differs from the policy `before` (the
    shipped pack by default) while its source entry is left as it was, is this NPM's
    own choice, adopted by `adopted_by` on `on`. The text is returned unchanged when
    nothing had to be filled in.
    """
    document = check_guidance_sources(text, path)
    base = yaml.safe_load(before if before is not None else default_policy_text())
    base_params = base.get("parameters") or {}
    base_sources = base.get("parameter_sources") or {}
    params = document.get("parameters") or {}
    sources = document.get("parameter_sources") or {}
    changed = False
    for name, default in PARAMETER_DEFAULTS.items():
        item = sources.get(name)
        moved = params.get(name, default) != base_params.get(name, default)
        if item is not None and not (moved and item == base_sources.get(name)):
            continue
        entry = {"source": "npm", "adopted_by": adopted_by, "adopted_on": on}
        if item and item.get("source") == "npm" and item.get("note"):
            entry["note"] = item["note"]
        document.setdefault("parameter_sources", {})[name] = entry
        changed = True
    if not changed:
        return text
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    load_policy_text(text, path)
    return text
