"""The access policy of each record type (see `access.py` for what the fields mean)."""

from armslength.accounts.models import Role, User
from armslength.compliance.models import (
    Acknowledgement,
    AcknowledgementText,
    Assessment,
    DeclarationRound,
    FindingRecord,
    InterferenceAction,
    InterferenceReport,
    RecruitmentRecord,
    RoundResponse,
    Supervision,
)
from armslength.core.access import (
    ALL_ROLES,
    Policy,
    can_write,
    may,
    register,
    register_actions,
)
from armslength.declarations.models import Affiliation
from armslength.register import models as register_models
from armslength.reports.models import Narrative, Snapshot
from armslength.screening.models import PolicyVersion
from armslength.spreadsheets.models import ImportJob
from armslength.visits.models import (
    Assignment,
    Override,
    PlaceRequest,
    PlanningRun,
    Unavailability,
    Visit,
    VisitAlert,
)
from armslength.visits.visibility import (
    may_request_places,
    may_see_assessment,
    may_staff,
    restrict_place_requests,
    restrict_through_visit,
    restrict_visit_alerts,
    restrict_visit_history,
    restrict_visits,
)

C, M = Role.COORDINATOR, Role.MANAGER
A, S = Role.AUDITOR, Role.STAFF


def _own_place(user, assignment) -> bool:
    return bool(user.person_id) and assignment.person_id == user.person_id


def _is(user, *roles: Role) -> bool:
    """The one place outside `access.py` where a role is compared: the actions below."""
    return Role(user.role) in roles


register(register_models.Body, Policy(shared_read=ALL_ROLES, shared_write=frozenset({C})))
# Organisations and establishments are shared reference data: every body visits
# the same places. Managers may add and correct them; every change is audited.
register(
    register_models.Organisation, Policy(shared_read=ALL_ROLES, shared_write=frozenset({C, M}))
)
register(
    register_models.Establishment, Policy(shared_read=ALL_ROLES, shared_write=frozenset({C, M}))
)
# The list of expertise is the NPM's shared vocabulary; the coordinator keeps it.
register(register_models.Expertise, Policy(shared_read=ALL_ROLES, shared_write=frozenset({C})))
register(register_models.Person, Policy(body="body", person="pk"))
register(register_models.Secondment, Policy(body="person__body", person="person"))
register(register_models.TrainingRecord, Policy(body="person__body", person="person"))
# The coordinator creates managers', auditors' and coordinators' accounts; a
# manager creates the staff accounts of their own body and links each to its
# person. Staff accounts are people by name (username, name, email), which the
# coordinator does not see (SPEC "Who sees what"; issue 12, finding 9): not in the
# account list, its CSV, search or a guessed URL (404).


def _coordinator_sees_no_staff(user, qs):
    return qs.exclude(role=Role.STAFF) if user.role == C else qs


register(
    User,
    Policy(
        shared_read=frozenset({C}),
        shared_write=frozenset({C}),
        body="body",
        manager_writes_only=(("role", Role.STAFF),),
        restrict=_coordinator_sees_no_staff,
    ),
)

# Declarations: a staff member declares their own; their body's managers review
# them; auditors read. The content of ties goes no further (SPEC "Who sees what").
register(
    Affiliation,
    Policy(
        body="person__body",
        person="person",
        person_writes=True,
        name="declaration",
        actions={
            # a manager declares for the people of their body; everyone else for themself
            "declare_for_others": lambda user, obj: _is(user, M) and bool(user.body_id),
            # another manager of the body reviews; nobody reviews their own
            "review": lambda user, obj: (
                _is(user, M) and can_write(user, obj) and user.person_id != obj.person_id
            ),
            "end": lambda user, obj: can_write(user, obj) and obj.end is None,
            # once reviewed, the declarant ends it; the record of it stays
            "delete": lambda user, obj: (
                can_write(user, obj)
                and not (user.person_id == obj.person_id and obj.reviewed_at is not None)
            ),
        },
    ),
)
# Supervision notes are confidential to the person, their managers and auditors.
# Once signed off an assessment counts (UK-12) and is not changed or deleted by any door:
# a new assessment is made and signed instead.
register(
    Assessment,
    Policy(
        body="person__body",
        person="person",
        manager_writes_only=(("signed_off_at", None),),
        actions={
            "sign_off": lambda user, obj: can_write(user, obj) and obj.signed_off_at is None,
        },
    ),
)
register(Supervision, Policy(body="person__body", person="person"))
register(Acknowledgement, Policy(body="person__body", person="person"))
# A joint visit is visible to the managers of every body taking part; the lead
# body's managers change it.
# Unannounced visits are need-to-know (visits/visibility.py).
# Each body taking part staffs the team with its own people; the lead asks partners for
# places; the history shows a body only its own people's refusals (visits/visibility.py).
register(
    Visit,
    Policy(
        body="body",
        read_also=("partner_bodies",),
        person="assignments__person",
        restrict=restrict_visits,
        actions=(("staff", may_staff), ("request_places", may_request_places)),
        history=restrict_visit_history,
    ),
)
# An override is about a person: their own body's managers ask for and approve it.
register(
    Override,
    Policy(
        body="person__body",
        restrict=restrict_through_visit,
        actions={
            # obj: the visit; a manager of a body that staffs it asks
            "request": lambda user, obj: _is(user, M) and may(user, "staff", obj),
            # a second manager decides: never the one who asked, and only once
            "decide": lambda user, obj: (
                _is(user, M)
                and can_write(user, obj)
                and obj.requested_by_id != user.pk
                and obj.status == "requested"
            ),
        },
    ),
)
# The policy in force is everyone's to read (UK-8: into staff handbooks); the
# coordinator adopts new versions.
register(PolicyVersion, Policy(shared_read=ALL_ROLES, shared_write=frozenset({C})))
register(RecruitmentRecord, Policy(body="person__body", person="person"))
# Staff record attempts to intimidate or hinder them; managers and auditors read. Only
# the managers of the person's body handle a report (status, handler, actions, escalation);
# the coordinator sees escalated ones as kind and status (compliance/services.py).


def _handles_interference(user, report) -> bool:
    return user.role == M and user.body_id == report.person.body_id


register(
    InterferenceReport,
    Policy(
        body="person__body",
        person="person",
        person_writes=True,
        actions=(("handle", _handles_interference),),
    ),
)
register(InterferenceAction, Policy(body="report__person__body", person="report__person"))
register(DeclarationRound, Policy(body="body"))
register(RoundResponse, Policy(body="person__body", person="person"))
register(AcknowledgementText, Policy(body="body"))
# The coordinator sees findings only as counts per body and rule (dashboard).
register(FindingRecord, Policy(body="body", person="person", manager_writes=False))
# An alert about a person is their own body's managers' to read, on a joint visit too; a
# leaver's removal reaches every body taking part (visits/visibility.py).
register(
    VisitAlert,
    Policy(
        body="person__body",
        read_also=("visit__body", "visit__partner_bodies"),
        manager_writes=False,
        restrict=restrict_visit_alerts,
    ),
)
# A place on a team: every body taking part reads the team (name and role); the person's
# own body changes it and reads what the engine said about them.
register(
    Assignment,
    Policy(
        body="person__body",
        read_also=("visit__body", "visit__partner_bodies"),
        person="person",
        restrict=restrict_through_visit,
        actions=(
            ("see_assessment", may_see_assessment),
            # only the team member accepts their own place
            ("accept", _own_place),
        ),
    ),
)
register(Unavailability, Policy(body="person__body", person="person"))
# A request for places: the lead body's managers make and withdraw it, the partner body
# asked reads it (and fills it by adding its own people).
register(
    PlaceRequest,
    Policy(body="visit__body", read_also=("body",), restrict=restrict_place_requests),
)
register(
    PlanningRun,
    Policy(
        body="body",
        # body managers plan their own body's visits
        actions={"start": lambda user, obj: _is(user, M) and bool(user.body_id)},
    ),
)
# Year-end figures: the coordinator freezes every body's year and reads them all;
# a manager reads and enters (earlier years by hand) their own body's.
register(Snapshot, Policy(shared_read=frozenset({C}), shared_write=frozenset({C}), body="body"))
# Report commentary: NPM-wide (no body) is the coordinator's; a body's is also its managers'.
register(Narrative, Policy(shared_read=frozenset({C, M}), shared_write=frozenset({C}), body="body"))
# An import is its body's managers' (they see the rows' values); the coordinator's
# own imports of reference data are theirs.
register(ImportJob, Policy(body="body", owner="created_by"))


# --- actions that belong to no one record type ----------------------------------------------


def _manager_of_a_body(user, obj=None) -> bool:
    return _is(user, M) and bool(user.body_id)


def _own_body_or_coordinator(user, body) -> bool:
    """The coordinator's for the NPM and every body; a manager's for their own body."""
    return _is(user, C) or (_is(user, M) and body is not None and user.body_id == body.pk)


register_actions(
    "register",
    {
        # the register's pages (people, secondments, declarations, screening, visits)
        "browse": lambda user, obj: _is(user, M, A),
        # counts per body without names (SPEC "Who sees what")
        "counts_per_body": lambda user, obj: _is(user, C),
        # a manager adds and edits the records of their own body only
        "own_body_only": _manager_of_a_body,
    },
)
register_actions(
    "self",
    {
        # a staff member's own profile, declarations, reports and visits
        "own_records": lambda user, obj: _is(user, S) and bool(user.person_id),
    },
)
register_actions("audit", {"read": lambda user, obj: _is(user, A)})
register_actions(
    "report",
    {
        "read": lambda user, obj: _is(user, C, A, M),
        # the coordinator and auditors read every body's report; a manager their own
        "read_every_body": lambda user, obj: _is(user, C, A),
        # obj: the body (None for the NPM-wide report)
        "write_commentary": _own_body_or_coordinator,
    },
)
register_actions(
    "import",
    {
        "start": lambda user, obj: _is(user, C) or _manager_of_a_body(user),
        # people, secondments and declarations belong to the importing manager's body
        "body_records": _manager_of_a_body,
    },
)
register_actions(
    "finding",
    {
        # the coordinator sees findings only as counts per body and rule
        "read_counts_only": lambda user, obj: _is(user, C),
    },
)
register_actions(
    "snapshot",
    {
        "take": lambda user, obj: _is(user, C),  # freezes the year for every body
        "enter": lambda user, obj: _is(user, C, M),  # earlier years, by hand
        "enter_any_body": lambda user, obj: _is(user, C),
    },
)
register_actions(
    "account",
    {
        # a manager creates only staff accounts, of their own body
        "create_staff_only": lambda user, obj: _is(user, M),
    },
)
register_actions(
    "interference",
    {
        # a manager records reports for the people of their body; staff for themselves
        "report_for_others": _manager_of_a_body,
        # escalated reports, as counts (names only where the reporter agreed)
        "read_escalations": lambda user, obj: _is(user, C, A),
    },
)
register_actions(
    "person",
    {
        # obj: the person; the person, their managers and auditors export everything held
        "subject_access": lambda user, obj: not _is(user, S) or user.person_id == obj.pk,
    },
)
