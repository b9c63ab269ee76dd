"""The findings of specs/screening.md about people, secondments and bodies.

Findings are computed on `as_of` over the whole dataset. The `secondee-*`
findings concern current secondees on NPM work (UK-4, UK-11 and UK-15 speak
of NPM work), that is people in post with a current secondment whose NPM role
is not `non_npm`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from armslength.engine.context import Context, PersonFacts
from armslength.engine.dates import add_months
from armslength.engine.facts import Window, overlaps
from armslength.engine.facts import secondment_unrecorded as unrecorded
from armslength.engine.policy import FINDING_IDS
from armslength.engine.verdicts import Finding

INCOMPATIBLE_SECTORS = frozenset({"executive", "criminal_justice", "law_enforcement"})
BALANCE_CATEGORIES = frozenset({"member", "staff", "secondee"})

# A finding of one rule: (person or None, body or None, text, extra fields)
Hit = tuple[str | None, str | None, str, dict]
FindingFn = Callable[[Context], Iterator[Hit]]


def _today(ctx: Context) -> dt.date:
    return ctx.data.as_of


def _current_people(ctx: Context) -> Iterator[PersonFacts]:
    day = _today(ctx)
    for facts in ctx.facts.values():
        if facts.person.is_current(day):
            yield facts


def _npm_secondees(ctx: Context) -> Iterator[PersonFacts]:
    window = Window.day(_today(ctx))
    for facts in _current_people(ctx):
        if facts.person.npm_role != "non_npm" and facts.is_secondee(window):
            yield facts


def npm_role_unset(ctx):
    for facts in _current_people(ctx):
        if facts.person.npm_role is None:
            yield (
                facts.person.id,
                facts.person.body,
                (f"{facts.person.name or facts.person.id} has no NPM role recorded"),
                {},
            )


def secondee_recruitment(ctx):
    start_of_policy = ctx.params.policy_start
    window = Window.day(_today(ctx))
    for facts in _npm_secondees(ctx):
        for s in facts.current_secondments(window):
            if s.start is None or s.start <= start_of_policy:
                continue
            r = s.recruitment
            missing = []
            if r is None or not r.open_process:
                missing.append("an open recruitment process")
            if r is None or not r.published_criteria:
                missing.append("published criteria")
            if r is None or not r.justification.strip():
                missing.append("the justification that the expertise is not available elsewhere")
            if r is not None and r.inclusive is False:
                # UK-11: "an open and inclusive recruitment process"; absent is not judged
                missing.append("an inclusive process (recorded as not inclusive)")
            if missing:
                yield (
                    facts.person.id,
                    facts.person.body,
                    (
                        f"Secondment {s.period()} began after {start_of_policy} and lacks "
                        f"{', '.join(missing)}"
                    ),
                    {"due": s.start.isoformat()},
                )


def secondee_selection(ctx):
    """APT: seconded officials are selected on merit; only a recorded `false` is judged."""
    window = Window.day(_today(ctx))
    for facts in _npm_secondees(ctx):
        for s in facts.current_secondments(window):
            if s.recruitment is not None and s.recruitment.merit_based is False:
                yield (
                    facts.person.id,
                    facts.person.body,
                    f"Secondment {s.period()} was not filled by a merit-based selection",
                    {},
                )


def secondee_assessment(ctx):
    day = _today(ctx)
    for facts in _npm_secondees(ctx):
        done = [a for a in facts.assessments if a.date <= day]
        if not done:
            starts = [s.start for s in facts.current_secondments(Window.day(day)) if s.start]
            due = {"due": min(starts).isoformat()} if starts else {}
            yield facts.person.id, facts.person.body, "No conflict-of-interest assessment", due
            continue
        latest = max(done, key=lambda a: a.date)
        due = ctx.review_due(latest)
        if due < day:
            yield (
                facts.person.id,
                facts.person.body,
                (f"The latest assessment ({latest.date}) was due for review on {due}"),
                {"due": due.isoformat()},
            )


def secondee_supervision(ctx):
    day = _today(ctx)
    every = ctx.params.supervision_days
    since = day - dt.timedelta(days=every)
    window = Window.day(day)
    supervised = {s.person for s in ctx.data.supervisions if since <= s.date <= day}
    for facts in _npm_secondees(ctx):
        if facts.person.id in supervised:
            continue
        starts = [s.start for s in facts.current_secondments(window)]
        if starts and all(start is not None and start > since for start in starts):
            continue  # not yet due: seconded less than `supervision_days` ago
        last = max(
            (
                s.date
                for s in ctx.data.supervisions
                if s.person == facts.person.id and s.date <= day
            ),
            default=None,
        )
        base = last or min((s for s in starts if s), default=None)
        due = {"due": (base + dt.timedelta(days=every)).isoformat()} if base else {}
        yield (
            facts.person.id,
            facts.person.body,
            (f"No supervision recorded in the last {every} days"),
            due,
        )


def secondee_awareness(ctx):
    day = _today(ctx)
    acknowledged = {
        a.person for a in ctx.data.acknowledgements if a.kind == "independence" and a.date <= day
    }
    for facts in _npm_secondees(ctx):
        if facts.person.id not in acknowledged:
            starts = [s.start for s in facts.current_secondments(Window.day(day)) if s.start]
            yield (
                facts.person.id,
                facts.person.body,
                ("Has not acknowledged the duty to act with real and perceived independence"),
                {"due": min(starts).isoformat()} if starts else {},
            )


def secondment_unrecorded(ctx):
    """UK-14 fails closed for them (`incomplete-facts`); this says what to record.

    Concerns every person recorded as a secondee who has not left, NPM work or
    not, since their verdicts are blocked everywhere until it is recorded.
    """
    day = _today(ctx)
    for facts in ctx.facts.values():
        p = facts.person
        if unrecorded(p.category, p.left, bool(facts.secondments), day):
            yield (
                p.id,
                p.body,
                (
                    f"{p.name or p.id} is recorded as a secondee but has no secondment record: "
                    "their verdicts are block everywhere until it is recorded"
                ),
                {},
            )


def secondee_leadership(ctx):
    for facts in _npm_secondees(ctx):
        if facts.person.leadership:
            yield (
                facts.person.id,
                facts.person.body,
                ("A secondee holds a leadership or decision-making position"),
                {},
            )


def secondee_reporting(ctx):
    for facts in _npm_secondees(ctx):
        if facts.person.reports_to_origin:
            yield (
                facts.person.id,
                facts.person.body,
                ("A secondee reports to their organisation of origin"),
                {},
            )


def secondee_part_time(ctx):
    for facts in _npm_secondees(ctx):
        if not facts.person.full_time_npm:
            yield (
                facts.person.id,
                facts.person.body,
                ("A secondee is not dedicated full time to NPM work"),
                {},
            )


def secondee_short_term(ctx):
    months = ctx.params.min_secondment_months
    window = Window.day(_today(ctx))
    for facts in _npm_secondees(ctx):
        for s in facts.current_secondments(window):
            if s.start is None or s.end is None:
                continue
            # inclusive dates: 5 Jan to 4 Jan next year is exactly twelve months
            if s.end + dt.timedelta(days=1) < add_months(s.start, months):
                yield (
                    facts.person.id,
                    facts.person.body,
                    (f"Secondment {s.period()} is shorter than {months} months"),
                    {},
                )


def _effective_sector(ctx: Context, org_id: str) -> str | None:
    """The organisation's sector, or its nearest ancestor's where it has none."""
    for node in ctx.lineage[org_id]:
        sector = ctx.data.organisations[node].sector
        if sector:
            return sector
    return None


def incompatible_position(ctx):
    window = Window.day(_today(ctx))
    kinds = ("employment", "position", "other_employment")
    for facts in _current_people(ctx):
        for a in facts.affiliations:
            if a.kind not in kinds or a.organisation is None:
                continue
            if not overlaps(a.start, a.end, window):
                continue
            sector = _effective_sector(ctx, a.organisation)
            if sector in INCOMPATIBLE_SECTORS:
                held = "is on leave from" if a.on_leave else "holds"
                yield (
                    facts.person.id,
                    facts.person.body,
                    (
                        f"{facts.person.name or facts.person.id} {held} "
                        f"{a.role or a.kind.replace('_', ' ')} at {ctx.org_name(a.organisation)} "
                        f"({sector.replace('_', ' ')})"
                    ),
                    {},
                )


def other_employment(ctx):
    window = Window.day(_today(ctx))
    for facts in _current_people(ctx):
        if facts.person.category not in ("member", "staff"):
            continue
        for a in facts.affiliations:
            if a.kind == "other_employment" and overlaps(a.start, a.end, window):
                target = (
                    ctx.org_name(a.organisation)
                    if a.organisation
                    else ctx.est_name(a.establishment)
                )
                yield (
                    facts.person.id,
                    facts.person.body,
                    (f"Other employment: {a.role or 'a role'} at {target}"),
                    {},
                )


def political_allegiance(ctx):
    window = Window.day(_today(ctx))
    for facts in _current_people(ctx):
        for a in facts.affiliations:
            if a.kind == "political" and overlaps(a.start, a.end, window):
                yield (
                    facts.person.id,
                    facts.person.body,
                    (
                        "A declared political allegiance "
                        f"({a.role or a.detail or 'see declaration'})"
                    ),
                    {},
                )


def term_ending(ctx):
    day = _today(ctx)
    notice = dt.timedelta(days=ctx.params.term_notice_days)
    for facts in _current_people(ctx):
        term = facts.person.term
        if facts.person.category != "member" or term is None or term.end is None:
            continue
        if term.end < day:
            yield (
                facts.person.id,
                facts.person.body,
                (f"The term of office ended on {term.end} while the member is still active"),
                {"due": term.end.isoformat()},
            )
        elif term.end <= day + notice:
            yield (
                facts.person.id,
                facts.person.body,
                (f"The term of office ends on {term.end}"),
                {"due": term.end.isoformat()},
            )


def exit_confidentiality(ctx):
    day = _today(ctx)
    acknowledged = {a.person for a in ctx.data.acknowledgements if a.kind == "exit_confidentiality"}
    for facts in ctx.facts.values():
        left = facts.person.left
        if left is not None and left <= day and facts.person.id not in acknowledged:
            yield (
                facts.person.id,
                facts.person.body,
                (f"Left on {left} without acknowledging continuing confidentiality"),
                {"due": left.isoformat()},
            )


def _balance_people(ctx: Context, body: str | None = None):
    for facts in _current_people(ctx):
        if facts.person.category in BALANCE_CATEGORIES and (
            body is None or facts.person.body == body
        ):
            yield facts.person


def expertise_missing(ctx):
    by_body: dict[str, set[str]] = {}
    for facts in _current_people(ctx):
        if facts.person.body is not None:
            by_body.setdefault(facts.person.body, set())
    for person in _balance_people(ctx):
        by_body.setdefault(person.body, set()).update(person.expertise)
    for body in sorted(by_body):
        missing = [tag for tag in ("legal", "medical") if tag not in by_body[body]]
        if missing:
            yield (
                None,
                body,
                (
                    f"No current member, staff member or secondee has {' or '.join(missing)} "
                    "expertise"
                ),
                {"missing": missing},
            )
    everyone = set().union(*by_body.values()) if by_body else set()
    missing = [tag for tag in ("legal", "medical") if tag not in everyone]
    if missing:
        yield (
            None,
            None,
            (f"Nobody in the NPM has {' or '.join(missing)} expertise"),
            {"missing": missing, "scope": "npm"},
        )


def gender_balance(ctx):
    share = ctx.params.gender_balance_min_share
    bodies = sorted({p.body for p in _balance_people(ctx) if p.body})
    for body in bodies:
        people = list(_balance_people(ctx, body))
        women = sum(1 for p in people if p.gender == "female")
        men = sum(1 for p in people if p.gender == "male")
        for label, count in (("Women", women), ("Men", men)):
            if count < share * len(people):
                yield (
                    None,
                    body,
                    (
                        f"{label} are {count} of {len(people)} current members, staff and "
                        f"secondees, below {share:.0%}"
                    ),
                    {},
                )


FINDINGS: dict[str, FindingFn] = {
    "npm-role-unset": npm_role_unset,
    "secondee-recruitment": secondee_recruitment,
    "secondee-selection": secondee_selection,
    "secondee-assessment": secondee_assessment,
    "secondee-supervision": secondee_supervision,
    "secondee-awareness": secondee_awareness,
    "secondment-unrecorded": secondment_unrecorded,
    "secondee-leadership": secondee_leadership,
    "secondee-reporting": secondee_reporting,
    "secondee-part-time": secondee_part_time,
    "secondee-short-term": secondee_short_term,
    "incompatible-position": incompatible_position,
    "other-employment": other_employment,
    "political-allegiance": political_allegiance,
    "term-ending": term_ending,
    "exit-confidentiality": exit_confidentiality,
    "expertise-missing": expertise_missing,
    "gender-balance": gender_balance,
}
assert tuple(FINDINGS) == FINDING_IDS


def compute_findings(ctx: Context) -> list[Finding]:
    found: list[Finding] = []
    for rule_id, fn in FINDINGS.items():
        spec = ctx.policy.findings[rule_id]
        if not spec.enabled:
            continue
        for person, body, text, extra in fn(ctx):
            extra = dict(extra)
            scope = extra.pop("scope", None)
            found.append(
                Finding(
                    rule=rule_id,
                    severity=spec.severity,
                    cites=spec.cites,
                    text=text,
                    action=spec.action,
                    person=person,
                    body=None if scope else body,
                    scope=scope,
                    extra=extra,
                )
            )
    order = {rule_id: n for n, rule_id in enumerate(FINDING_IDS)}
    # NPM-wide findings after the per-body ones; otherwise by who they concern.
    found.sort(key=lambda f: (order[f.rule], f.scope or "", f.person or "", f.body or "", f.text))
    return found
