"""The verdict rules of specs/screening.md, one function each.

Each rule looks at one person's facts and one establishment during a window
(a visit's dates, or `as_of`) and returns the reasons it fires with, each
naming the facts behind it. `evaluate()` applies every enabled rule and keeps
the most severe verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from armslength.engine.context import Context, PersonFacts
from armslength.engine.dates import add_years
from armslength.engine.facts import (
    Affiliation,
    Secondment,
    Window,
    ended_before,
    overlaps,
    secondment_unrecorded,
)
from armslength.engine.policy import RULE_IDS, RuleSpec
from armslength.engine.verdicts import Reason, Result, Verdict

POSITION_KINDS = ("employment", "position")
PERSONAL_TIES = ("family", "friendship")

# A reason of one rule: (text, verdict override or None for the rule's verdict,
# the values the text was made from)
Hit = tuple[str, Verdict | None, dict]
RuleFn = Callable[[Context, PersonFacts, str, Window, RuleSpec], Iterator[Hit]]


def _d(day) -> str:
    return day.isoformat() if day else "…"


def _since(a: Affiliation) -> str:
    return f"since {a.start.isoformat()}" if a.start else "open-ended"


def _role(a: Affiliation) -> str:
    return a.role or a.kind.replace("_", " ")


def _started(start, window: Window) -> bool:
    """Not a future fact: it began on or before the window's last day."""
    return start is None or start <= window.last


def _hit(template: str, override: Verdict | None = None, **params) -> Hit:
    """A reason whose text is `template` filled from `params`, which travel with it.

    Writing every sentence this way keeps the English text and its values in
    step: a translation can re-word the template with the same values.
    """
    return template.format(**params), override, params


def _place(ctx: Context, est: str) -> dict:
    return {"establishment": est, "establishment_name": ctx.est_name(est)}


def _secondment_params(s: Secondment) -> dict:
    return {
        "start": s.start.isoformat() if s.start else None,
        "end": s.end.isoformat() if s.end else None,
        "period": s.period(),
    }


def _affiliation_params(a: Affiliation) -> dict:
    return {
        "kind": a.kind,
        "kind_label": a.kind.replace("_", " "),
        "role": _role(a),
        "start": a.start.isoformat() if a.start else None,
        "end": a.end.isoformat() if a.end else None,
        "since": _since(a),
        "until": _d(a.end),
    }


def secondment_origin(ctx, facts, est, window, spec):
    for s in facts.current_secondments(window):
        if s.origin_establishment == est:
            yield _hit(
                "Seconded from {establishment_name} ({period})",
                **_place(ctx, est),
                **_secondment_params(s),
            )


def secondment_return(ctx, facts, est, window, spec):
    for s in facts.current_secondments(window):
        if s.return_establishment == est:
            yield _hit(
                "Likely to return to {establishment_name} after the secondment ({period})",
                **_place(ctx, est),
                **_secondment_params(s),
            )


def close_affiliation(ctx, facts, est, window, spec):
    if not facts.at(est) or not facts.is_secondee(window):
        return
    for a in facts.at(est):
        if overlaps(a.start, a.end, window):
            yield _hit(
                "A seconded officer with a current {kind_label} affiliation "
                "with {establishment_name} ({since})",
                **_place(ctx, est),
                **_affiliation_params(a),
            )
        elif a.kind in POSITION_KINDS and ended_before(a.end, window):
            yield _hit(
                "A seconded officer who worked at {establishment_name} as {role} until {until}",
                **_place(ctx, est),
                **_affiliation_params(a),
            )


def secondment_operator(ctx, facts, est, window, spec):
    for s in facts.current_secondments(window):
        if not ctx.controls(s.origin, est):
            continue
        link = _control_params(ctx, s.origin, est)
        clearing = _clearing_assessment(ctx, facts, s, window)
        if clearing is None:
            yield _hit(
                "Origin " + link.pop("template") + "; no assessment in force clears it",
                **link,
                **_secondment_params(s),
            )
        else:
            verdict = spec.cleared_verdict or Verdict.DECLARED
            yield _hit(
                "Origin "
                + link.pop("template")
                + "; cleared by the conflict assessment of {assessment_date} "
                "(review {review_due})",
                verdict,
                **link,
                **_secondment_params(s),
                assessment_date=clearing.date.isoformat(),
                review_due=ctx.review_due(clearing).isoformat(),
            )


def _control_params(ctx: Context, org: str, est: str) -> dict:
    """How an organisation controls an establishment, as a template and its values."""
    operator = ctx.data.establishments[est].operator
    params = {
        **_place(ctx, est),
        "organisation": org,
        "organisation_name": ctx.org_name(org),
        "operator": operator,
        "operator_name": ctx.org_name(operator),
    }
    if operator == org:
        params["template"] = "{organisation_name} operates {establishment_name}"
    else:
        params["template"] = (
            "{organisation_name} controls {establishment_name} through {operator_name}"
        )
    return params


def _clearing_assessment(ctx: Context, facts: PersonFacts, s: Secondment, window: Window):
    """An assessment in force on every day of the window that clears this exact origin."""
    for a in sorted(facts.assessments, key=lambda a: a.date, reverse=True):
        in_force = a.date <= window.first and ctx.review_due(a) >= window.last
        if in_force and s.origin in a.cleared_organisations:
            return a
    return None


def former_employment(ctx, facts, est, window, spec):
    cooling = ctx.params.cooling_off_years
    for a in facts.at(est):
        if a.kind in POSITION_KINDS and ended_before(a.end, window):
            if cooling is not None and add_years(a.end, cooling) <= window.first:
                continue
            yield _hit(
                "Worked at {establishment_name} as {role} until {until}",
                **_place(ctx, est),
                **_affiliation_params(a),
            )
    for s in facts.secondments:
        if s.origin_establishment == est and ended_before(s.end, window):
            if cooling is not None and add_years(s.end, cooling) <= window.first:
                continue
            yield _hit(
                "Was seconded from {establishment_name} until {until} ({period})",
                **_place(ctx, est),
                **_secondment_params(s),
                until=_d(s.end),
            )


def current_position(ctx, facts, est, window, spec):
    for a in (*facts.at(est), *facts.with_organisations):
        if a.kind not in POSITION_KINDS or not overlaps(a.start, a.end, window):
            continue
        held = "On leave from" if a.on_leave else "Holds"
        if a.establishment == est:
            yield _hit(
                "{held} {role} at {establishment_name} ({since})",
                held=held,
                **_place(ctx, est),
                **_affiliation_params(a),
            )
        elif ctx.controls(a.organisation, est):
            yield _hit(
                "{held} {role}, {organisation_name} ({since})",
                held=held,
                **_place(ctx, est),
                **_affiliation_params(a),
                organisation=a.organisation,
                organisation_name=ctx.org_name(a.organisation),
            )


def personal_tie_authority(ctx, facts, est, window, spec):
    for a in (*facts.at(est), *facts.with_organisations):
        if (
            a.kind in PERSONAL_TIES
            and a.with_role == "authority"
            and overlaps(a.start, a.end, window)
            and (a.establishment == est or ctx.controls(a.organisation, est))
        ):
            target = ctx.est_name(est) if a.establishment == est else ctx.org_name(a.organisation)
            yield _hit(
                "A declared {kind} tie with the authorities of {target}",
                **_place(ctx, est),
                kind=a.kind,
                target=target,
                organisation=a.organisation,
            )


def personal_tie(ctx, facts, est, window, spec):
    # Says what to refrain from, never the tie itself (specs/screening.md).
    for a in facts.at(est):
        if (
            a.kind in PERSONAL_TIES
            and a.with_role in ("staff", "detainee")
            and overlaps(a.start, a.end, window)
        ):
            who = a.detail or f"the {a.with_role} named in the declaration"
            yield _hit("Refrain from interviewing {who}", **_place(ctx, est), who=who)


def client(ctx, facts, est, window, spec):
    for a in facts.at(est):
        if a.kind == "client" and _started(a.start, window):
            who = a.detail or "the client named in the declaration"
            yield _hit(
                "Must not interview or follow the case of {who}", **_place(ctx, est), who=who
            )


def ngo_role(ctx, facts, est, window, spec):
    """An NGO role at the establishment, or with an NGO that works there (`works_at`).

    The APT's concern is information reaching the NGO, so a role declared
    against the NGO itself restricts the visits to every place it works.
    """
    for a in facts.at(est):
        if a.kind == "ngo_role" and _started(a.start, window):
            ngo = a.role or "the NGO named in the declaration"
            yield _hit(
                "Share no information about detainees with {ngo}", **_place(ctx, est), ngo=ngo
            )
    for a in facts.with_organisations:
        if (
            a.kind == "ngo_role"
            and _started(a.start, window)
            and est in ctx.works_at.get(a.organisation, ())
        ):
            yield _hit(
                "Share no information about detainees with {ngo}",
                **_place(ctx, est),
                ngo=ctx.org_name(a.organisation),
                organisation=a.organisation,
            )


def former_operator_employment(ctx, facts, est, window, spec):
    for a in facts.with_organisations:
        if (
            a.kind in POSITION_KINDS
            and ended_before(a.end, window)
            and ctx.controls(a.organisation, est)
        ):
            yield _hit(
                "Worked for {organisation_name} as {role} until {until}; "
                "it runs {establishment_name}",
                **_place(ctx, est),
                **_affiliation_params(a),
                organisation=a.organisation,
                organisation_name=ctx.org_name(a.organisation),
            )


def incomplete_facts(ctx, facts, est, window, spec):
    current = facts.current_secondments(window)
    for s in current:
        if s.origin is None:
            yield _hit(
                "The secondment {period} has no origin organisation: cannot tell "
                "where this person may not go",
                **_place(ctx, est),
                **_secondment_params(s),
            )
    if _unrecorded_secondee(facts, window):
        yield _hit(
            "Recorded as a secondee with no secondment record: cannot tell "
            "where this person may not go",
            **_place(ctx, est),
            category=facts.person.category,
        )
    if est in ctx.without_operator and (
        current or _holds_position_with_organisation(facts, window)
    ):
        why = "is a current secondee" if current else "holds a position with an organisation"
        yield _hit(
            "{establishment_name} has no recorded operator and this person {why}: "
            "cannot tell whether they are linked",
            **_place(ctx, est),
            why=why,
        )


def _unrecorded_secondee(facts: PersonFacts, window: Window) -> bool:
    """Not left on the window's first day: still here for some of the visit."""
    p = facts.person
    return secondment_unrecorded(p.category, p.left, bool(facts.secondments), window.first)


RULES: dict[str, RuleFn] = {
    "secondment-origin": secondment_origin,
    "secondment-return": secondment_return,
    "close-affiliation": close_affiliation,
    "secondment-operator": secondment_operator,
    "former-employment": former_employment,
    "current-position": current_position,
    "personal-tie-authority": personal_tie_authority,
    "personal-tie": personal_tie,
    "client": client,
    "ngo-role": ngo_role,
    "former-operator-employment": former_operator_employment,
    "incomplete-facts": incomplete_facts,
}
assert tuple(RULES) == RULE_IDS
RULE_ORDER = {rule_id: n for n, rule_id in enumerate(RULE_IDS)}


def _may_fire(facts: PersonFacts) -> frozenset[str]:
    """The rules whose facts this person has at all; the others cannot fire for them.

    A cheap filter that spares the full screening most of its work: most people
    have a few declared affiliations and no secondment.
    """
    seconded = bool(facts.secondments)
    kinds = facts.kinds()
    at_places = bool(facts.by_establishment)
    positions = bool(kinds & set(POSITION_KINDS))
    org_positions = any(a.kind in POSITION_KINDS for a in facts.with_organisations)
    ties = bool(kinds & set(PERSONAL_TIES))
    rules = {
        "secondment-origin": seconded,
        "secondment-return": seconded,
        "close-affiliation": seconded and at_places,
        "secondment-operator": seconded,
        "former-employment": seconded or (positions and at_places),
        "current-position": positions,
        "personal-tie-authority": ties,
        "personal-tie": ties and at_places,
        "client": "client" in kinds and at_places,
        "ngo-role": "ngo_role" in kinds,
        "former-operator-employment": org_positions,
        "incomplete-facts": seconded or org_positions or facts.person.category == "secondee",
    }
    return frozenset(rule_id for rule_id, possible in rules.items() if possible)


def _active_rules(ctx: Context, facts: PersonFacts) -> list[tuple[str, RuleFn, RuleSpec]]:
    cache = ctx.cache.setdefault("rules", {})
    key = facts.person.id
    if key not in cache:
        possible = _may_fire(facts)
        cache[key] = [
            (rule_id, RULES[rule_id], ctx.policy.rules[rule_id])
            for rule_id in RULE_IDS
            if rule_id in possible and ctx.policy.rules[rule_id].enabled
        ]
    return cache[key]


def reasons_for(ctx: Context, facts: PersonFacts, est: str, window: Window) -> list[Reason]:
    reasons = []
    for rule_id, fn, spec in _active_rules(ctx, facts):
        for text, override, params in fn(ctx, facts, est, window, spec):
            reasons.append(Reason(rule_id, override or spec.verdict, spec.cites, text, params))
    # Severity, then the rule table; the text (then its values) breaks ties so
    # that the order of records in the dataset never changes the answer.
    reasons.sort(key=lambda r: (-r.verdict, RULE_ORDER[r.rule], r.text, _params_key(r.params)))
    return reasons


def _params_key(params: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in params.items()))


def evaluate(
    ctx: Context, person: str, est: str, window: Window, visit: str | None = None
) -> Result:
    """The verdict for one person and one establishment: the most severe reason wins."""
    reasons = reasons_for(ctx, ctx.facts[person], est, window)
    verdict = max((r.verdict for r in reasons), default=Verdict.CLEAR)
    return Result(person, est, visit, verdict, tuple(reasons))


def reachable_establishments(ctx: Context, facts: PersonFacts, window: Window) -> set[str]:
    """Every establishment for which some rule could fire for this person.

    Each rule needs a fact that names the establishment, or an organisation
    that controls it (or where an NGO they hold a role in works); `incomplete-facts`
    may reach every establishment without an operator, or all of them for a
    secondment without an origin or a secondee without any secondment record. Screening
    only these gives the same results as checking every pair.
    """
    reach: set[str] = set()
    for s in facts.secondments:
        reach.update(e for e in (s.origin_establishment, s.return_establishment) if e)
        if s.origin:
            reach |= ctx.controlled.get(s.origin, set())
    reach.update(facts.by_establishment)
    for a in facts.with_organisations:
        # Only positions and ties with the authorities reach the places an
        # organisation runs (current-position, former-operator-employment,
        # personal-tie-authority); other kinds naming an organisation reach none.
        if a.kind in POSITION_KINDS or (a.kind in PERSONAL_TIES and a.with_role == "authority"):
            reach |= ctx.controlled.get(a.organisation, set())
        elif a.kind == "ngo_role":
            reach.update(ctx.works_at.get(a.organisation, ()))
    current = facts.current_secondments(window)
    if any(s.origin is None for s in current) or _unrecorded_secondee(facts, window):
        return set(ctx.data.establishments)
    if current or _holds_position_with_organisation(facts, window):
        reach |= ctx.without_operator
    return reach


def _holds_position_with_organisation(facts: PersonFacts, window: Window) -> bool:
    return any(
        a.kind in POSITION_KINDS and overlaps(a.start, a.end, window)
        for a in facts.with_organisations
    )
