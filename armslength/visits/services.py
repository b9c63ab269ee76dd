"""Visit-side consequences of changes elsewhere in the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import partial

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from armslength.accounts.models import Role as UserRole
from armslength.accounts.models import User
from armslength.engine import team
from armslength.engine.verdicts import Reason, Result, Verdict
from armslength.register.models import Person, expertise_vocabulary
from armslength.screening.services import screen_register
from armslength.visits import planning
from armslength.visits.models import (
    Assignment,
    Override,
    OverrideStatus,
    PlaceRequest,
    PlaceRequestStatus,
    Role,
    RunStatus,
    Visit,
    VisitAlert,
    VisitStatus,
)
from armslength.visits.visibility import may_know, visit_body_ids


def visit_alerts_for_person(*, person: Person) -> list[VisitAlert]:
    """After a late declaration or a new secondment: alert the managers of every upcoming
    visit the person is assigned to (any role) for which they are no longer clear.

    One open alert per visit and person; the managers of the person's own body get an
    email (on a joint visit, why a partner's person is not clear is not the lead's to read).
    """
    today = timezone.localdate()
    visits = (
        Visit.objects.filter(
            assignments__person=person,
            status__in=[VisitStatus.PLANNED, VisitStatus.CONFIRMED],
            end__gte=today,
        )
        .distinct()
        .select_related("establishment", "body")
    )
    if not visits:
        return []
    screening = screen_register()
    raised = []
    for visit in visits:
        result = screening.for_pair(person.key, visit.establishment.key, visit.start, visit.end)
        if result.verdict == Verdict.CLEAR:
            continue
        if VisitAlert.objects.filter(
            visit=visit, person=person, resolved_at__isnull=True, verdict=result.verdict.code
        ).exists():
            continue
        text = "; ".join(f"{r.text} ({', '.join(r.cites)})" for r in result.reasons)
        alert = VisitAlert.objects.create(
            visit=visit, person=person, verdict=result.verdict.code, text=text
        )
        raised.append(alert)
        managers = User.objects.filter(role=UserRole.MANAGER, body=person.body_id, is_active=True)
        addresses = [m.email for m in managers if m.email and may_know(m, visit)]
        if addresses:
            # only once the fact is committed: a dry-run or refused import rolls the
            # alert back, and its email must not have gone out already
            transaction.on_commit(
                partial(
                    send_mail,
                    subject=f"Visit {visit}: {person.name} is now {result.verdict.code}",
                    message=(
                        f"A new declaration or fact makes {person.name} "
                        f"{result.verdict.code.replace('_', ' ')} for the visit to "
                        f"{visit.establishment.name} ({visit.start} to {visit.end}).\n\n"
                        f"{text}\n\n{settings.SITE_URL.rstrip('/')}{visit.get_absolute_url()}"
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=addresses,
                )
            )
    return raised


# --- assignments -----------------------------------------------------------------------

ALLOWED_ROLES = {
    Verdict.BLOCK: (),
    Verdict.PREPARATION_ONLY: (Role.PREPARATION,),
}


class AssignmentRefused(Exception):
    """The engine (or the team's rules) refuses this assignment; the message says why."""

    def __init__(self, message: str, rule: str = ""):
        super().__init__(message)
        self.rule = rule  # the team rule that refused, when it was not the engine
        self.audit: tuple | None = None  # (visit, log entry fields), to record it again

    def record_again(self) -> None:
        """Write the refusal's audit entry again (its first copy was rolled back)."""
        if self.audit is not None:
            visit, fields = self.audit
            LogEntry.objects.log_create(visit, force_log=True, **fields)


@dataclass
class AssignmentCheck:
    person: Person
    verdict: Verdict
    reasons: list
    policy_version: str
    allowed_roles: tuple[str, ...]
    refusal: str = ""
    notes: list[str] = field(default_factory=list)
    #: why the person is not eligible for this visit at all (`team.eligibility`)
    ineligible: tuple[str, ...] = ()

    @property
    def restriction(self) -> list[str]:
        return [r.text for r in self.reasons if r.verdict == Verdict.RESTRICTED]


def visit_verdict(screening, visit: Visit, person: Person) -> Result:
    """The engine's verdict for this visit, lowered by an approved override if one applies.

    An override (a second manager's approval, for this named visit) only ever
    lowers `declared` or `restricted`, and only while the engine still gives the
    verdict it was granted against; the override stays among the reasons.
    """
    result = screening.for_pair(person.key, visit.establishment.key, visit.start, visit.end)
    override = (
        Override.objects.filter(
            visit=visit,
            person=person,
            status=OverrideStatus.APPROVED,
            verdict_from=result.verdict.code,
        )
        .select_related("decided_by")
        .order_by("-decided_at")
        .first()
    )
    if override is None or result.verdict not in (Verdict.DECLARED, Verdict.RESTRICTED):
        return result
    params = {
        "verdict_from": result.verdict.code,
        "verdict_to": override.verdict_to,
        "decided_by": str(override.decided_by or "a second manager"),
        "reason": override.reason,
    }
    note = Reason(
        "override",
        Verdict.from_code(override.verdict_to),
        ("override",),
        "{verdict_from} lowered to {verdict_to} for this visit by {decided_by}: {reason}".format(
            **params
        ),
        params,
    )
    return Result(
        result.person,
        result.establishment,
        result.visit,
        Verdict.from_code(override.verdict_to),
        (*result.reasons, note),
    )


def assignment_check(*, visit: Visit, person: Person, screening=None) -> AssignmentCheck:
    """What the conflict engine and the team eligibility rule say about this person on
    this visit's dates."""
    screening = screening or screen_register()
    result = visit_verdict(screening, visit, person)
    eligible = team.eligibility(person.post(), visit.start, visit.end)
    allowed = ALLOWED_ROLES.get(result.verdict, (Role.LEAD, Role.MEMBER, Role.PREPARATION))
    refusal = ""
    if result.verdict == Verdict.BLOCK:
        refusal = "; ".join(
            f"{r.text} ({', '.join(r.cites)})" for r in result.reasons if r.verdict == Verdict.BLOCK
        )
    return AssignmentCheck(
        person,
        result.verdict,
        list(result.reasons),
        screening.version,
        tuple(allowed) if eligible.eligible else (),
        refusal,
        notes=list(eligible.warnings),
        ineligible=eligible.reasons,
    )


def _refusal_text(check: AssignmentCheck, person: Person, role: str) -> str:
    if check.verdict == Verdict.BLOCK:
        return f"{person.name} may not be involved in this visit: {check.refusal}"
    if check.verdict == Verdict.PREPARATION_ONLY:
        reasons = "; ".join(
            f"{r.text} ({', '.join(r.cites)})"
            for r in check.reasons
            if r.verdict == Verdict.PREPARATION_ONLY
        )
        return f"{person.name} may only help prepare this visit, not take part: {reasons}"
    return f"{person.name} cannot take the role {role}."


def assignment_add(
    *, visit: Visit, person: Person, role: str, user=None, screening=None
) -> Assignment:
    """Add someone to a team, as the engine and the team rules allow.

    Refused, with the reason on the visit's audit trail: someone not in post on
    every day of the visit or doing no NPM work (`team.eligibility`), a verdict
    that does not allow the role, a secondee or someone not able to lead as
    lead, a second lead, and a place overlapping another visit. Only people of the
    bodies taking part (lead or partner) can be on a team at all.
    """
    if person.body_id not in visit_body_ids(visit):
        raise AssignmentRefused(
            f"{person.name} belongs to {person.body.abbreviation}, which does not take part "
            "in this visit."
        )
    check = assignment_check(visit=visit, person=person, screening=screening)
    refused = _place_refusal(visit, person, role, check)
    if refused is not None:
        _refuse(visit, person, role, user, check, *refused)
    try:
        with transaction.atomic():
            assignment = _save_assignment(visit, person, role, user, check)
            _place_requests_update(visit, person.body_id)
            return assignment
    except AssignmentRefused as exc:
        _refuse(visit, person, role, user, check, str(exc), exc.rule)
        raise  # unreachable: _refuse raises


def _place_refusal(visit: Visit, person: Person, role: str, check: AssignmentCheck):
    """Why this person may not hold `role` on this visit as it is now, as (message, team
    rule), or None: eligibility, the verdict's roles and the lead rules, the checks made
    before a place is saved (the overlap with other visits is checked under a lock)."""
    if check.ineligible:
        return " ".join(check.ineligible), "team-eligibility"
    if role not in check.allowed_roles:
        return _refusal_text(check, person, role), ""
    if role == Role.LEAD and person.body_id != visit.body_id:
        # a partner body fills places; the lead body names its own lead (issue 18 probe)
        return gettext(
            "The lead of this visit is one of %(body)s's people, named by its managers."
        ) % {"body": visit.body.abbreviation}, "team-lead"
    if role == Role.LEAD:
        why = team.lead_refusal(
            person.post(), can_lead=person.can_lead, first=visit.start, last=visit.end
        )
        if why:
            return why, "team-lead"
    return None


#: how a visit the reader may not know of is named in a sentence shown to them
UNDISCLOSED_VISIT = "another visit"


def bookings(person: Person, reader=None) -> tuple[team.Booking, ...]:
    """Every place the person holds on a team, as the team rules read them.

    With `reader`, a visit the reader may not read (another body's, or an
    unannounced visit they are kept from) is labelled only "another visit": a
    warning or refusal built from these labels then names no place or date they
    may not see (issue 12, finding 3).
    """
    held = list(
        Assignment.objects.filter(person=person).select_related("visit", "visit__establishment")
    )
    known = None
    if reader is not None:
        from armslength.core import access

        ids = [a.visit_id for a in held]
        known = set(access.readable(reader, Visit).filter(pk__in=ids).values_list("pk", flat=True))
    return tuple(
        team.Booking(
            visit=a.visit.key,
            first=a.visit.start,
            last=a.visit.end,
            role=a.role,
            cancelled=a.visit.status == VisitStatus.CANCELLED,
            label=str(a.visit) if known is None or a.visit_id in known else UNDISCLOSED_VISIT,
        )
        for a in held
    )


def _save_assignment(visit, person, role, user, check) -> Assignment:
    # Lock the person's row so that two managers cannot book them onto
    # overlapping visits at the same moment.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if (
        role == Role.LEAD
        and visit.assignments.filter(role=Role.LEAD).exclude(person=person).exists()
    ):
        raise AssignmentRefused("This visit already has a lead.", "team-lead")
    if role != Role.PREPARATION:
        other = team.clash(bookings(person, user), visit.start, visit.end, visit=visit.key)
        if other is not None:
            raise AssignmentRefused(
                f"{person.name} is already on {other.label} on those dates.", "team-overlap"
            )
    assignment, _created = Assignment.objects.update_or_create(
        visit=visit,
        person=person,
        defaults={
            "role": role,
            "verdict": check.verdict.code,
            "reasons": [r.as_json() for r in check.reasons],
            "policy_version": check.policy_version,
            "added_by": user,
        },
    )
    return assignment


def _refuse(visit, person, role, user, check, message: str, team_rule: str = ""):
    """Record the refused attempt on the visit's audit trail (SPEC 8), then refuse.

    `team_rule` names the team rule that refused (eligibility, lead, overlap); without
    it the engine's rules that gave the verdict are recorded.
    """
    rules = (
        [team_rule]
        if team_rule
        else sorted({r.rule for r in check.reasons if r.verdict == check.verdict})
    )
    fields = {
        "action": LogEntry.Action.UPDATE,
        "actor": user,
        "changes": {"refused assignment": [person.name, message]},
        "additional_data": {
            "refused": {
                "person": person.key,
                "role": role,
                "verdict": check.verdict.code,
                # the rules that decided it, counted by rule in the annual report
                "rules": rules,
                "reason": message,
            },
            # whose refusal it is: on a joint visit only that body's managers read it
            "person_body": person.body_id,
        },
    }
    LogEntry.objects.log_create(visit, force_log=True, **fields)
    refused = AssignmentRefused(message)
    refused.audit = (visit, fields)
    raise refused


def visit_needs(visit: Visit) -> team.Needs:
    return team.Needs(
        key=visit.key,
        first=visit.start,
        last=visit.end,
        team_size=visit.team_size,
        requires=visit.requires or {},
        min_women=visit.min_women,
        needs_lead=visit.needs_lead,
    )


def team_member(person: Person, role: str, reader=None) -> team.Member:
    """A person as the team rules see them: post, workload limits, leave, places held."""
    return team.Member(
        post=person.post(),
        role=role,
        gender=person.gender,
        expertise=tuple(person.expertise or ()),
        max_visits=person.max_visits,
        max_days=person.max_days,
        unavailable=tuple((u.start, u.end) for u in person.unavailability.all()),
        bookings=bookings(person, reader),
    )


class TeamWarning(str):
    """Something still wrong with a team, as a sentence. `body_id` is set when it is about
    one person: then only that person's own body reads it (a joint visit's others do not)."""

    body_id: int | None

    def __new__(cls, text: str, body_id: int | None = None):
        warning = super().__new__(cls, text)
        warning.body_id = body_id
        return warning


@dataclass(frozen=True)
class TeamTotals:
    """What every body of a joint visit may know of the whole team: counts, not people."""

    members: int
    team_size: int
    expertise: dict[str, int]
    women: int
    has_lead: bool


def team_totals(visit: Visit) -> TeamTotals:
    """The whole team's totals, whichever body each member comes from."""
    on_visit = [a for a in visit.assignments.select_related("person") if a.role != Role.PREPARATION]
    people = [a.person for a in on_visit]
    return TeamTotals(
        members=len(on_visit),
        team_size=visit.team_size,
        expertise={
            tag: sum(1 for p in people if tag in p.expertise) for tag in (visit.requires or {})
        },
        women=sum(1 for p in people if p.gender == "female"),
        has_lead=any(a.role == Role.LEAD for a in on_visit),
    )


def team_warnings(visit: Visit, reader=None) -> list[TeamWarning]:
    """What is still wrong or worth knowing about the team as it stands (`team.team_problems`,
    over the whole team, every body's people). A warning about one person carries that
    person's body: on a joint visit only their own body's managers read it. Other visits
    are named only when `reader` may read them (issue 12, finding 3)."""
    assignments = list(
        visit.assignments.select_related("person").prefetch_related(
            "person__secondments", "person__unavailability"
        )
    )
    needs = visit_needs(visit)
    members = [team_member(a.person, a.role, reader) for a in assignments]
    # the same rules, one person at a time and asking nothing of the team: what is
    # about that person alone
    alone = replace(needs, team_size=0, requires={}, min_women=0, needs_lead=False)
    about: dict[str, int] = {}
    for a, member in zip(assignments, members, strict=True):
        for text in team.team_problems(alone, [member]):
            about.setdefault(text, a.person.body_id)
    labels = expertise_vocabulary()
    return [TeamWarning(t, about.get(t)) for t in team.team_problems(needs, members, labels=labels)]


# --- joint visits: requests for places ------------------------------------------------------


class PlaceRequestRefused(Exception):
    """A request for places that cannot be made; the message says why."""


@transaction.atomic
def place_request_create(
    *, visit: Visit, body, places: int, expertise: str = "", user=None
) -> PlaceRequest:
    """The lead body asks a partner body for `places` on the team, with the expertise it
    wants in free text; the partner's managers (those who may know of the visit) are told."""
    if body.pk == visit.body_id or not visit.partner_bodies.filter(pk=body.pk).exists():
        raise PlaceRequestRefused(
            f"{body.abbreviation} is not a partner body of this visit; add it as one first."
        )
    if not 1 <= places <= visit.team_size:
        raise PlaceRequestRefused(f"Ask for 1 to {visit.team_size} places (the team's size).")
    request = PlaceRequest.objects.create(
        visit=visit, body=body, places=places, expertise=expertise.strip(), requested_by=user
    )
    _place_requests_update(visit, body.pk)
    request.refresh_from_db()  # the status stored, as every door replies with it
    managers = User.objects.filter(role=UserRole.MANAGER, body=body, is_active=True)
    addresses = [m.email for m in managers if m.email and may_know(m, visit)]
    if addresses:
        wanted = f" Expertise wanted: {request.expertise}." if request.expertise else ""
        transaction.on_commit(
            lambda: send_mail(
                subject=f"Joint visit {visit}: {places} place(s) asked of {body.abbreviation}",
                message=(
                    f"{visit.body.name} asks {body.name} for {places} place(s) on the team of "
                    f"the joint visit to {visit.establishment.name} ({visit.start} to "
                    f"{visit.end}).{wanted}\n\nAdd your people on the visit's page: "
                    f"{settings.SITE_URL.rstrip('/')}{request.get_absolute_url()}"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=addresses,
            )
        )
    return request


@transaction.atomic
def place_request_withdraw(*, request: PlaceRequest, user=None) -> PlaceRequest:
    if request.status == PlaceRequestStatus.OPEN:
        request.status = PlaceRequestStatus.WITHDRAWN
        request.save(update_fields=["status"])
    return request


def place_request_filled(request: PlaceRequest) -> int:
    """How many places of this request the partner body has filled: its people added to
    the team after the request (preparation aside), each counted once, for the oldest
    request first; never more than the places asked for."""
    return _place_allocation(request.visit, request.body_id).get(request.pk, 0)


def _place_allocation(visit: Visit, body_id: int) -> dict[int, int]:
    """Each request's filled places: a person added after a request fills a place of the
    oldest request then still open, so the people a partner already had on the team, or
    that filled an earlier request, never fill a new one (issue 18 probe)."""
    requests = list(
        PlaceRequest.objects.filter(visit=visit, body_id=body_id)
        .exclude(status=PlaceRequestStatus.WITHDRAWN)
        .order_by("requested_at", "pk")
    )
    filled = {r.pk: 0 for r in requests}
    added = (
        visit.assignments.filter(person__body=body_id)
        .exclude(role=Role.PREPARATION)
        .order_by("added_at", "pk")
        .values_list("added_at", flat=True)
    )
    for at in added:
        for request in requests:
            if request.requested_at < at and filled[request.pk] < request.places:
                filled[request.pk] += 1
                break
    return filled


@transaction.atomic
def assignment_remove(*, assignment: Assignment, user=None) -> None:
    """Take someone off a team; a partner's request it had filled is open again."""
    visit, body_id = assignment.visit, assignment.person.body_id
    assignment.delete()
    _place_requests_update(visit, body_id)


def _place_requests_update(visit: Visit, body_id: int) -> None:
    """A request is filled once the partner's people added after it fill its places, and
    open again when one of them is taken off; a withdrawn request stays withdrawn."""
    filled = _place_allocation(visit, body_id)
    for request in PlaceRequest.objects.filter(visit=visit, body_id=body_id).exclude(
        status=PlaceRequestStatus.WITHDRAWN
    ):
        full = filled.get(request.pk, 0) >= request.places
        status = PlaceRequestStatus.FILLED if full else PlaceRequestStatus.OPEN
        if status != request.status:
            request.status = status
            request.filled_at = timezone.now() if full else None
            request.save(update_fields=["status", "filled_at"])


# --- changing a visit: its place, dates and bodies -------------------------------------------

#: the fields of a visit whose change can make a team member no longer allowed on it
RESCREENED_FIELDS = ("establishment", "start", "end")


@dataclass(frozen=True)
class TeamRemoval:
    """A place taken off a team because the visit changed; `reason` is for the person's own
    body's managers only (SPEC "Who sees what")."""

    person: Person
    role: str
    reason: str


@dataclass
class VisitChange:
    visit: Visit
    removed: list[TeamRemoval] = field(default_factory=list)


def partner_bodies_problem(lead_body_id, partners) -> str:
    """Why these partner bodies cannot be the visit's, or "": the lead body takes part as
    the lead, never as its own partner (its people would be counted twice over)."""
    if lead_body_id is not None and any(getattr(b, "pk", b) == lead_body_id for b in partners):
        return gettext("The lead body cannot also be one of its partner bodies.")
    return ""


@transaction.atomic
def visit_update(*, visit: Visit, values: dict, partner_bodies=None, user=None) -> VisitChange:
    """Change a visit; the team is then checked again, every body's people alike.

    A new establishment or new dates put every member through the same checks as
    adding them (`assignment_add`: verdict, eligibility, lead, overlap); a partner
    body taken off the visit takes its people with it (and its open requests for
    places). Whoever may no longer be on the team is taken off it: the change of the
    visit stands (the lead body decides where and when it visits) and a blocked
    person never stays on a team (UK-14; docs/decisions.md). Each removal is on the
    visit's audit trail with its reason stamped with the person's body, and raises an
    alert, mailed to that body's managers only.
    """
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    before = {
        name: getattr(locked, f"{name}_id" if name == "establishment" else name)
        for name in RESCREENED_FIELDS
    }
    for name, value in values.items():
        setattr(visit, name, value)
    visit.full_clean(validate_unique=False, exclude=["partner_bodies"])
    visit.save()
    if partner_bodies is not None:
        problem = partner_bodies_problem(visit.body_id, partner_bodies)
        if problem:
            raise ValidationError({"partner_bodies": problem})
        visit.partner_bodies.set(partner_bodies)
    after = {
        name: getattr(visit, f"{name}_id" if name == "establishment" else name)
        for name in RESCREENED_FIELDS
    }
    # a cancelled visit taken up again holds its places again (cancelled ones never
    # count as overlaps); a cancelled or done visit sends nobody, so is not re-checked
    reopened = locked.status == VisitStatus.CANCELLED and visit.status != VisitStatus.CANCELLED
    recheck = (before != after or reopened) and visit.status not in (
        VisitStatus.CANCELLED,
        VisitStatus.DONE,
    )
    change = VisitChange(visit)
    taking_part = visit_body_ids(visit)
    # every request asked of a body taken off the visit is withdrawn, filled ones too: its
    # people leave the team below, and a filled request must not read "open" again
    PlaceRequest.objects.filter(visit=visit).exclude(body__in=taking_part).exclude(
        status=PlaceRequestStatus.WITHDRAWN
    ).update(status=PlaceRequestStatus.WITHDRAWN)
    assignments = list(
        visit.assignments.select_related("person", "person__body").order_by("role", "pk")
    )
    screening = None
    for assignment in assignments:
        person = assignment.person
        if person.body_id not in taking_part:
            reason = (
                f"{person.body.abbreviation} no longer takes part in this visit, so its "
                f"people are no longer on the team."
            )
            change.removed.append(_team_remove(assignment, reason, "team-body", user))
            continue
        if not recheck:
            continue
        screening = screening or screen_register()
        check = assignment_check(visit=visit, person=person, screening=screening)
        refused = _place_refusal(visit, person, assignment.role, check)
        if refused is None and assignment.role != Role.PREPARATION:
            other = team.clash(bookings(person), visit.start, visit.end, visit=visit.key)
            if other is not None:
                # the reason goes to the person's own managers, who may not know of the
                # other visit (another body's, or unannounced): it is not named
                refused = (
                    f"{person.name} is already on {UNDISCLOSED_VISIT} on those dates.",
                    "team-overlap",
                )
        if refused is not None:
            message, rule = refused
            rules = (
                [rule]
                if rule
                else sorted({r.rule for r in check.reasons if r.verdict == check.verdict})
            )
            change.removed.append(
                _team_remove(assignment, message, ", ".join(rules), user, check.verdict.code)
            )
            continue
        assignment.verdict = check.verdict.code
        assignment.reasons = [r.as_json() for r in check.reasons]
        assignment.policy_version = check.policy_version
        assignment.save(update_fields=["verdict", "reasons", "policy_version"])
    return change


def _team_remove(assignment: Assignment, reason: str, rules: str, user, verdict: str = ""):
    """Take a place off a team after its visit changed: audited, alerted, mailed."""
    visit, person, role = assignment.visit, assignment.person, assignment.role
    assignment_remove(assignment=assignment, user=user)
    LogEntry.objects.log_create(
        visit,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=user,
        changes={"removed from team": [person.name, reason]},
        additional_data={
            "removed": {"person": person.key, "role": role, "rules": rules, "reason": reason},
            # why is for the person's own body only: on a joint visit only they read it
            "person_body": person.body_id,
        },
    )
    text = f"The visit changed and {person.name} was taken off the team: {reason}"
    VisitAlert.objects.create(
        visit=visit, person=person, verdict=(verdict or "removed")[:20], text=text
    )
    managers = User.objects.filter(role=UserRole.MANAGER, body=person.body_id, is_active=True)
    addresses = [m.email for m in managers if m.email and may_know(m, visit)]
    if addresses:
        transaction.on_commit(
            lambda: send_mail(
                subject=f"Visit {visit}: {person.name} was taken off the team",
                message=f"{text}\n\n{settings.SITE_URL.rstrip('/')}{visit.get_absolute_url()}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=addresses,
            )
        )
    return TeamRemoval(person, role, reason)


# --- the planner in the web app (armslength/visits/planning.py builds and reads) ------------


def planning_problem(*, body, start: dt.date, end: dt.date) -> dict:
    """The planner problem for the body's planned visits in the period
    (`planning.planning_build`), with the policy version it was screened under."""
    build = planning.planning_build(body=body, start=start, end=end)
    return {**build.problem, "policy_version": build.policy_version}


def plan_accept(*, run, visit_keys: list[str], user=None) -> planning.Acceptance:
    """Complete the chosen visits' teams with the run's proposals, through `assignment_add`
    (every team rule, verdict and audit of a team built by hand).

    Each team is completed wholly or not at all, against the register as it is now:
    a visit cancelled, done or moved (dates or establishment) since the plan was made
    is refused, and so is a proposed person now on leave on one of its days or over
    their year's allowance. People already on it stay and are not added again, so
    accepting twice changes nothing; a proposed lead joins as a member when the team
    already has a lead; a team never grows beyond its size. Every refusal names its
    visit; nothing is accepted from a run that has not finished.
    """
    from armslength.core import access

    result = planning.Acceptance()
    if run.status not in (RunStatus.DONE, RunStatus.CANCELLED) or not run.plan:
        result.not_ready = True
        return result
    screening = screen_register()
    chosen = list(dict.fromkeys(visit_keys))
    proposals = [a for a in run.plan.get("assignments", []) if a["visit"] in chosen]
    planned = {v["id"]: v for v in (run.problem or {}).get("visits", [])}
    people = {
        p.key: p
        for p in Person.objects.filter(
            body=run.body, key__in={a["person"] for a in proposals}
        ).prefetch_related("unavailability")
    }
    visits = (
        Visit.objects.filter(planning.planned_by(run.body), key__in=chosen)
        .distinct()
        .select_related("establishment")
    )
    if user is not None:
        visits = visits.filter(pk__in=access.readable(user, Visit).values("pk"))
    found = {v.key: v for v in visits}
    for key in chosen:  # unknown, or not the reader's to know: the same words
        if key not in found:
            key = key if len(key) <= 40 else key[:40] + "…"  # never echo a long input
            result.refused.append(
                (key, _not_accepted(key, gettext("this run proposed no team for it")))
            )
    for visit in sorted(found.values(), key=lambda v: (v.start, v.pk)):
        mine = [a for a in proposals if a["visit"] == visit.key]
        why = _since_the_plan(visit, planned.get(visit.key), mine)
        if why:
            result.refused.append((visit, _not_accepted(visit, why)))
            continue
        try:
            with transaction.atomic():
                added = _complete_team(visit, mine, people, user, screening)
        except AssignmentRefused as exc:
            exc.record_again()  # rolled back with the team: the refusal stays on the trail
            text = str(exc)
            if not text.startswith(_not_accepted(visit, "")):
                text = _not_accepted(visit, text)
            result.refused.append((visit, text))
            continue
        if added:
            result.changed.append((visit, added))
        else:
            result.unchanged.append(visit)
    return result


def _not_accepted(visit, why: str) -> str:
    return gettext("Not accepted for %(visit)s: %(why)s") % {"visit": visit, "why": why}


def _since_the_plan(visit: Visit, was: dict | None, proposals: list[dict]) -> str:
    """Why the run's proposal no longer fits the visit as the register has it now ('' if
    it does)."""
    if not proposals or was is None:
        return gettext("this run proposed no team for it")
    if visit.status == VisitStatus.CANCELLED:
        return gettext("it was cancelled since the plan was made")
    if visit.status == VisitStatus.DONE:
        return gettext("it is done")
    if (
        was.get("start") != visit.start.isoformat()
        or was.get("end") != visit.end.isoformat()
        or was.get("establishment") != visit.establishment.key
    ):
        return gettext("it was moved since the plan was made — plan again")
    return ""


def _leave_or_allowance(visit: Visit, person: Person) -> str:
    """A proposed person now on leave on a day of the visit, or whom the visit would take
    over their year's allowance (the planner's own limits, re-read from the register)."""
    spans = [(u.start, u.end) for u in person.unavailability.all()]
    if team.unavailable(spans, visit.start, visit.end):
        return gettext("%(name)s is now unavailable on some of its days") % {"name": person.name}
    held = [*bookings(person), team.Booking(visit.key, visit.start, visit.end, Role.MEMBER)]
    n, days = team.workload(held, visit.start.year)
    if person.max_visits is not None and n > person.max_visits:
        return gettext("it would take %(name)s over their limit of %(n)s visits a year") % {
            "name": person.name,
            "n": person.max_visits,
        }
    if person.max_days is not None and days > person.max_days:
        return gettext("it would take %(name)s over their limit of %(n)s visit days a year") % {
            "name": person.name,
            "n": person.max_days,
        }
    return ""


def _complete_team(visit, proposals, people, user, screening) -> list[str]:
    """Add the proposed people not yet on the team; the names added ("Name (lead)")."""
    Visit.objects.select_for_update().filter(pk=visit.pk).first()  # one acceptance at a time
    held = {a.person_id: a.role for a in visit.assignments.all()}
    new = []
    for a in proposals:
        person = people.get(a["person"])
        if person is None:
            raise AssignmentRefused(f"{a['person']} is no longer in the register.")
        if held.get(person.pk, Role.PREPARATION) == Role.PREPARATION:
            new.append((person, a["role"]))
    for person, role in new:
        why = _leave_or_allowance(visit, person)
        if why:
            message = _not_accepted(visit, why)
            refused = AssignmentRefused(message, "team-availability")
            refused.audit = (  # on the visit's trail, read only by the person's own body
                visit,
                {
                    "action": LogEntry.Action.UPDATE,
                    "actor": user,
                    "changes": {"refused assignment": [person.name, message]},
                    "additional_data": {
                        # counted by rule in the annual report; erased with the person
                        "refused": {
                            "person": person.key,
                            "role": role,
                            "rules": ["team-availability"],
                            "reason": message,
                        },
                        "person_body": person.body_id,
                    },
                },
            )
            raise refused
    if not new:
        return []
    places = sum(1 for role in held.values() if role != Role.PREPARATION)
    if places + len(new) > visit.team_size:
        message = (
            f"Not accepted for {visit}: it would make a team of {places + len(new)}, larger "
            f"than its size {visit.team_size} (the team changed since the plan was made, or "
            "someone on it no longer counts: remove them, then plan again)."
        )
        refused = AssignmentRefused(message, "team-size")
        refused.audit = (
            visit,
            {
                "action": LogEntry.Action.UPDATE,
                "actor": user,
                "changes": {"refused plan": [", ".join(p.name for p, _r in new), message]},
            },
        )
        raise refused
    has_lead = Role.LEAD in held.values()
    added = []
    for person, role in new:
        if role == Role.LEAD and has_lead:
            role = Role.MEMBER  # the visit already has a lead: the proposed lead joins
        assignment_add(visit=visit, person=person, role=role, user=user, screening=screening)
        has_lead = has_lead or role == Role.LEAD
        added.append(f"{person.name} ({Role(role).label.lower()})")
    return added


# --- leavers ------------------------------------------------------------------------------


@dataclass
class ExitChecklist:
    """What must be done before a person leaves on `left` (SPEC capability 4; APT:
    seconded officials): their confidentiality acknowledged before the date, and their
    places on visits that run past it given up."""

    person: Person
    left: dt.date
    acknowledged_on: dt.date | None
    later_places: list[Assignment]

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_on is not None

    @property
    def too_late_to_ask(self) -> bool:
        """Not acknowledged and the leaving date has come: the account can no longer sign in
        to acknowledge, so the person is not asked (a written acknowledgement is recorded
        by their managers instead)."""
        return not self.acknowledged and self.left <= timezone.localdate()

    @property
    def done(self) -> bool:
        return self.acknowledged and not self.later_places


def exit_checklist(*, person: Person) -> ExitChecklist | None:
    """The leaver's checklist, or None while no leaving date is set."""
    if person.left is None:
        return None
    ack = person.acknowledgements.filter(kind="exit_confidentiality").order_by("date").first()
    return ExitChecklist(
        person=person,
        left=person.left,
        acknowledged_on=ack.date if ack else None,
        later_places=later_places(person=person),
    )


def later_places(*, person: Person) -> list[Assignment]:
    """The person's places on visits not over before their leaving date (cancelled and done
    visits aside): from that date they cannot take part, or even sign in."""
    if person.left is None:
        return []
    return list(
        Assignment.objects.filter(person=person, visit__end__gte=person.left)
        .exclude(visit__status__in=[VisitStatus.CANCELLED, VisitStatus.DONE])
        .select_related("visit", "visit__establishment", "visit__body")
        .order_by("visit__start")
    )


@transaction.atomic
def person_leaving_set(*, person: Person, left: dt.date | None, user=None) -> ExitChecklist | None:
    """Record (or withdraw) a leaving date, and open the exit checklist.

    Before the date, the person is asked to acknowledge continuing confidentiality.
    From the leaving date itself they cannot sign in, so a date of today or in the
    past asks nothing that cannot be done: the checklist says the acknowledgement
    was not asked, and the audit trail records why.
    """
    if left and person.joined and left < person.joined:
        raise ValidationError({"left": "The leaving date is before the joining date."})
    person.left = left
    person.save(update_fields=["left"])
    checklist = exit_checklist(person=person)
    if checklist is None or checklist.acknowledged:
        return checklist
    if checklist.too_late_to_ask:
        LogEntry.objects.log_create(
            person,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            actor=user,
            changes={
                "exit acknowledgement": [
                    "",
                    f"not asked: from the leaving date ({left.isoformat()}) the account "
                    "cannot sign in to give it",
                ]
            },
        )
    else:
        transaction.on_commit(lambda: _ask_exit_acknowledgement(person))
    return checklist


def _ask_exit_acknowledgement(person: Person) -> None:
    account = getattr(person, "user", None)
    address = (account.email if account and account.email else "") or person.email
    if not address:
        return
    send_mail(
        subject=f"Before you leave on {person.left}: acknowledge continuing confidentiality",
        message=(
            f"Your leaving date is recorded as {person.left.isoformat()}. Before then, please "
            "read and acknowledge that the confidentiality of what you learned at the NPM "
            "continues after you leave (APT: seconded officials). From that date you will "
            "no longer be able to sign in.\n\n"
            f"{settings.SITE_URL.rstrip('/')}"
            f"{reverse('compliance:acknowledge', args=['exit_confidentiality'])}"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[address],
    )


@transaction.atomic
def person_later_places_remove(*, person: Person, user=None) -> list[VisitAlert]:
    """Remove the leaver's places on later visits, and alert each visit's managers.

    The managers alerted are those of the lead body and of the leaver's own body
    (on a joint visit they may differ), and only those who may know of the visit.
    """
    alerts = []
    for assignment in later_places(person=person):
        visit = assignment.visit
        role = assignment.get_role_display().lower()
        # read by every body on the visit: name and role only (SPEC), so no leaving date;
        # the person's own managers read the date on the person's page
        text = (
            f"{person.name} ({person.body.abbreviation}) is leaving: their place as {role} "
            f"on this visit was withdrawn by {person.body.abbreviation}."
        )
        assignment.delete()
        alert = VisitAlert.objects.create(visit=visit, person=person, verdict="left", text=text)
        alerts.append(alert)
        managers = User.objects.filter(
            role=UserRole.MANAGER, body__in={visit.body_id, person.body_id}, is_active=True
        )
        addresses = [m.email for m in managers if m.email and may_know(m, visit)]
        if addresses:
            transaction.on_commit(
                lambda v=visit, t=text, a=addresses: send_mail(
                    subject=f"Visit {v}: a team member is leaving",
                    message=f"{t}\n\n{settings.SITE_URL.rstrip('/')}{v.get_absolute_url()}",
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=a,
                )
            )
    return alerts


# --- overrides, places -----------------------------------------------------------------------

#: what each overridable verdict may be lowered to; block and preparation_only never (UK-14; APT)
OVERRIDABLE = {Verdict.RESTRICTED: ("declared", "clear"), Verdict.DECLARED: ("clear",)}


class OverrideRefused(Exception):
    """An override that may not be asked for or decided; the message says why."""


@transaction.atomic
def override_request(
    *, visit: Visit, person: Person, verdict_to: str, reason: str, user=None
) -> Override:
    """Ask to lower a `declared` or `restricted` verdict for this one visit.

    It applies only once a second manager approves it (`override_decide`).
    """
    if not reason.strip():
        raise OverrideRefused("Write the reason for the override.")
    screening = screen_register()
    result = screening.for_pair(person.key, visit.establishment.key, visit.start, visit.end)
    if verdict_to not in OVERRIDABLE.get(result.verdict, ()):
        raise OverrideRefused(
            f"A {result.verdict.code.replace('_', ' ')} verdict cannot be overridden to "
            f"{verdict_to.replace('_', ' ')}: only declared and restricted verdicts are "
            "lowered, never block or preparation only."
        )
    return Override.objects.create(
        visit=visit,
        person=person,
        verdict_from=result.verdict.code,
        verdict_to=verdict_to,
        reason=reason,
        policy_version=screening.version,
        requested_by=user,
    )


@transaction.atomic
def override_decide(*, override: Override, decision: str, user=None) -> Override:
    """A second manager approves or refuses: never the one who asked, and only once."""
    override = Override.objects.select_for_update().get(pk=override.pk)
    if user is None or override.requested_by_id == user.pk:
        raise OverrideRefused("A second manager must approve: not the one who asked.")
    if override.status != OverrideStatus.REQUESTED:
        raise OverrideRefused("This override has already been decided.")
    if decision not in (OverrideStatus.APPROVED, OverrideStatus.REFUSED):
        raise OverrideRefused("Approve or refuse.")
    override.status = decision
    override.decided_by = user
    override.decided_at = timezone.now()
    override.save()
    return override


class AssignmentAcceptRefused(Exception):
    """Only the team member accepts their own place, confirming no undeclared interest."""


@transaction.atomic
def assignment_accept(*, assignment: Assignment, user, no_undeclared_interest: bool) -> Assignment:
    """The team member accepts their place, confirming they have no undeclared interest."""
    if user is None or assignment.person_id != user.person_id:
        raise AssignmentAcceptRefused("Only the team member accepts their own place.")
    if not no_undeclared_interest:
        raise AssignmentAcceptRefused("Confirm that you have no undeclared interest.")
    assignment.accepted_at = timezone.now()
    assignment.save()
    return assignment


def visit_alerts_after_facts(*, people, user=None) -> None:
    """The `core.hooks` consequence of changed facts: alert the visits they now affect."""
    for person in people:
        visit_alerts_for_person(person=person)
