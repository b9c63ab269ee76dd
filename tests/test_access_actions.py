"""Actions in the access policy (issue 13): every registered action is tried through the
door that asks it, by a user it allows and one it refuses, with real requests (POSTs for
every change); every registered policy is covered here or by the record matrix
(`test_access_matrix.py`); and no view compares a role itself.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from armslength.core import access
from armslength.declarations.models import Affiliation
from armslength.visits.models import Assignment, Override, Visit
from tests.test_access_matrix import MATRIX

ROOT = pathlib.Path(__file__).resolve().parent.parent / "armslength"


@pytest.fixture
def objs(cast, today):
    visit = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.northbridge,
        start=today + dt.timedelta(days=20),
        end=today + dt.timedelta(days=20),
    )
    Affiliation.objects.create(  # Alice once worked for the operator: declared
        person=cast.alice, kind="employment", organisation=cast.hmpps, end="2020-01-01"
    )
    reviewed = Affiliation.objects.create(
        person=cast.alice,
        kind="position",
        establishment=cast.southgate,
        start=today - dt.timedelta(days=30),
        status="accepted",
        reviewed_at=timezone.now(),
    )
    from armslength.compliance.models import Assessment, InterferenceReport

    joint = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate,
        start=today + dt.timedelta(days=40),
        end=today + dt.timedelta(days=40),
    )
    joint.partner_bodies.add(cast.cqc)
    return {
        "visit": visit,
        "joint": joint,
        "reviewed": reviewed,
        "place": Assignment.objects.create(visit=visit, person=cast.alice, role="member"),
        "override": Override.objects.create(
            visit=visit,
            person=cast.alice,
            verdict_from="declared",
            verdict_to="clear",
            reason="Long ago",
            policy_version="x",
            requested_by=cast.coordinator,  # someone else asked
        ),
        "assessment": Assessment.objects.create(person=cast.sam, date=today),
        "interference": InterferenceReport.objects.create(
            person=cast.alice, date=today, what="Obstruction at the gate"
        ),
    }


def _status(response) -> int:
    return response.status_code


# action -> (method, url(cast, objs), data(cast, objs), {user: happened?}, happened(...))
# `happened` reads the outcome from the register or the response: the action took place.
def _post(url, data=None):
    return ("post", url, data or (lambda c, o: {}))


def _get(url):
    return ("get", url, lambda c, o: {})


def ok(response, cast, objs) -> bool:
    return response.status_code in (200, 302)


ACTIONS = {
    "declaration.declare_for_others": (
        *_post(
            lambda c, o: reverse("declarations:affiliation_add"),
            lambda c, o: {"person": c.sam.pk, "kind": "employment", "organisation": c.moj.pk},
        ),
        {"hmip_manager": True, "alice_user": False},
        lambda r, c, o: Affiliation.objects.filter(person=c.sam).exists(),
    ),
    "declaration.review": (
        *_post(
            lambda c, o: reverse("declarations:affiliation_review", args=[o["reviewed"].pk]),
            lambda c, o: {"status": "queried", "note": "Which post?"},
        ),
        {"hmip_manager": True, "alice_user": False, "auditor": False, "cqc_manager": False},
        lambda r, c, o: Affiliation.objects.get(pk=o["reviewed"].pk).status == "queried",
    ),
    "declaration.end": (
        *_post(
            lambda c, o: reverse("declarations:affiliation_end", args=[o["reviewed"].pk]),
            lambda c, o: {"end": timezone.localdate().isoformat()},
        ),
        {"hmip_manager": True, "alice_user": True, "auditor": False, "cqc_manager": False},
        lambda r, c, o: (lambda a: a.end is not None or bool(a.proposed))(
            Affiliation.objects.get(pk=o["reviewed"].pk)
        ),
    ),
    "declaration.delete": (
        *_post(lambda c, o: reverse("declarations:affiliation_delete", args=[o["reviewed"].pk])),
        {"hmip_manager": True, "alice_user": False, "auditor": False},
        lambda r, c, o: not Affiliation.objects.filter(pk=o["reviewed"].pk).exists(),
    ),
    "override.request": (
        *_post(
            lambda c, o: reverse("visits:override_request", args=[o["visit"].pk]),
            lambda c, o: {"person": c.alice.pk, "verdict_to": "clear", "reason": "Long ago"},
        ),
        {"hmip_manager": True, "alice_user": False, "auditor": False, "coordinator": False},
        lambda r, c, o: Override.objects.filter(requested_by__username="hmip.manager").exists(),
    ),
    "override.decide": (
        *_post(
            lambda c, o: reverse("visits:override_decide", args=[o["override"].pk]),
            lambda c, o: {"decision": "approved"},
        ),
        {"hmip_manager": True, "alice_user": False, "auditor": False, "cqc_manager": False},
        lambda r, c, o: Override.objects.get(pk=o["override"].pk).status == "approved",
    ),
    "assignment.accept": (
        *_post(
            lambda c, o: reverse("visits:assignment_accept", args=[o["place"].pk]),
            lambda c, o: {"no_undeclared_interest": "on"},
        ),
        {"alice_user": True, "hmip_manager": False, "auditor": False},
        lambda r, c, o: Assignment.objects.get(pk=o["place"].pk).accepted_at is not None,
    ),
    "planningrun.start": (
        *_post(
            lambda c, o: reverse("visits:planning"),
            lambda c, o: {"start": "", "end": "", "time_limit": 5},  # invalid: 400, not 403
        ),
        {"hmip_manager": True, "coordinator": False, "auditor": False, "alice_user": False},
        lambda r, c, o: r.status_code == 400,
    ),
    "assessment.sign_off": (
        *_post(lambda c, o: reverse("compliance:assessment_sign_off", args=[o["assessment"].pk])),
        {"hmip_manager": True, "auditor": False, "cqc_manager": False},
        lambda r, c, o: (
            o["assessment"].__class__.objects.get(pk=o["assessment"].pk).signed_off_at is not None
        ),
    ),
    "register.browse": (
        *_get(lambda c, o: reverse("home")),
        {"hmip_manager": True, "auditor": True, "coordinator": False, "alice_user": False},
        lambda r, c, o: reverse("screening:screening") in r.text,
    ),
    "register.counts_per_body": (
        *_get(lambda c, o: reverse("home")),
        {"coordinator": True, "hmip_manager": False, "auditor": False},
        lambda r, c, o: "per_body" in r.context and r.context["per_body"] is not None,
    ),
    "register.own_body_only": (
        *_post(
            lambda c, o: reverse("register:person_add"),
            lambda c, o: {
                "name": "Newcomer",
                "category": "staff",
                "gender": "male",
                "body": c.cqc.pk,
                "full_time_npm": "on",
            },
        ),
        {"hmip_manager": False, "coordinator": False},
        lambda r, c, o: c.cqc.people.filter(name="Newcomer").exists(),
    ),
    "self.own_records": (
        *_get(lambda c, o: reverse("home")),
        {"alice_user": True, "hmip_manager": False},
        lambda r, c, o: reverse("visits:schedule", args=[c.alice.pk]) in r.text,
    ),
    "audit.read": (
        *_get(lambda c, o: reverse("audit:trail")),
        {"auditor": True, "coordinator": False, "hmip_manager": False},
        ok,
    ),
    "report.read": (
        *_get(lambda c, o: reverse("reports:report")),
        {"coordinator": True, "auditor": True, "hmip_manager": True, "alice_user": False},
        ok,
    ),
    "report.read_every_body": (
        *_get(lambda c, o: reverse("reports:report") + f"?body={c.cqc.pk}"),
        {"coordinator": True, "auditor": True, "hmip_manager": False},
        ok,
    ),
    "report.write_commentary": (
        *_post(
            lambda c, o: (
                reverse("reports:narrative")
                + f"?year={timezone.localdate().year}&section=findings&body={c.hmip.pk}"
            ),
            lambda c, o: {"text": "Our year."},
        ),
        {"coordinator": True, "hmip_manager": True, "cqc_manager": False, "auditor": False},
        ok,
    ),
    "import.start": (
        *_get(lambda c, o: reverse("spreadsheets:start")),
        {"coordinator": True, "hmip_manager": True, "auditor": False, "alice_user": False},
        ok,
    ),
    "import.body_records": (
        *_get(lambda c, o: reverse("spreadsheets:start")),
        {"hmip_manager": True, "coordinator": False},
        lambda r, c, o: 'value="people"' in r.text,
    ),
    "finding.read_counts_only": (
        *_get(lambda c, o: reverse("compliance:dashboard")),
        {"coordinator": True, "hmip_manager": False, "auditor": False},
        lambda r, c, o: "compliance/dashboard_aggregate.html" in [t.name for t in r.templates],
    ),
    "snapshot.take": (
        *_post(
            lambda c, o: reverse("reports:snapshots"),
            lambda c, o: {"year": timezone.localdate().year - 1},
        ),
        {"coordinator": True, "hmip_manager": False, "auditor": False},
        lambda r, c, o: r.status_code == 302,
    ),
    "snapshot.enter": (
        *_get(lambda c, o: reverse("reports:snapshot_manual")),
        {"coordinator": True, "hmip_manager": True, "auditor": False},
        ok,
    ),
    "snapshot.enter_any_body": (
        *_get(lambda c, o: reverse("reports:snapshot_manual")),
        {"coordinator": True, "hmip_manager": False},
        lambda r, c, o: "CQC" in r.text,
    ),
    "account.create_staff_only": (
        *_get(lambda c, o: reverse("accounts:user_add")),
        {"hmip_manager": True, "coordinator": False},
        lambda r, c, o: 'value="coordinator"' not in r.text,
    ),
    "interference.report_for_others": (
        *_get(lambda c, o: reverse("compliance:interferencereport_add")),
        {"hmip_manager": True, "alice_user": False},
        lambda r, c, o: "Sam Secondee" in r.text,
    ),
    "interference.read_escalations": (
        *_get(lambda c, o: reverse("compliance:interference_escalations")),
        {"coordinator": True, "auditor": True, "hmip_manager": False},
        ok,
    ),
    "visit.staff": (
        *_post(
            lambda c, o: reverse("visits:team_add", args=[o["visit"].pk]),
            lambda c, o: {"person": c.alice.pk, "role": "member"},
        ),
        {"hmip_manager": True, "auditor": False, "cqc_manager": False, "alice_user": False},
        lambda r, c, o: r.status_code == 302,
    ),
    "visit.request_places": (
        *_post(lambda c, o: reverse("visits:place_request", args=[o["joint"].pk])),
        {"hmip_manager": True, "auditor": False, "cqc_manager": False},
        lambda r, c, o: r.status_code == 302,
    ),
    "assignment.see_assessment": (
        *_get(lambda c, o: o["visit"].get_absolute_url()),
        {"hmip_manager": True, "auditor": True, "alice_user": True, "cqc_manager": False},
        lambda r, c, o: (
            r.status_code == 200
            and any(getattr(a, "shown_in_full", False) for a in r.context["team"])
        ),
    ),
    "interferencereport.handle": (
        *_get(lambda c, o: o["interference"].get_absolute_url()),
        {"hmip_manager": True, "auditor": False, "alice_user": False},
        lambda r, c, o: r.status_code == 200 and bool(r.context["handles"]),
    ),
    "person.subject_access": (
        *_get(lambda c, o: reverse("register:person_subject_access", args=[c.alice.pk])),
        {"alice_user": True, "hmip_manager": True, "auditor": True, "cqc_manager": False},
        ok,
    ),
}

#: record types without the generic list/detail/edit pages, and the actions (above) or
#: pages whose requests read or change them
POLICY_DOORS = {
    "override": ("override.request", "override.decide"),
    "assignment": ("assignment.accept",),
    "planningrun": ("planningrun.start",),
    "snapshot": ("snapshot.take", "snapshot.enter"),
    "narrative": ("report.write_commentary",),
    "importjob": ("import.start",),
    "findingrecord": ("finding.read_counts_only",),
    "placerequest": ("visit.request_places",),
    "interferenceaction": ("interferencereport.handle",),
    "visitalert": ("override.request",),  # the visit page shows alerts beside overrides
    "policyversion": ("report.read",),  # read by all; see test_screening_web for adopting
    "roundresponse": ("declaration.declare_for_others",),  # see test_compliance for rounds
    "acknowledgementtext": ("self.own_records",),  # see test_compliance for acknowledging
}

CASES = [
    (action, user, allowed)
    for action, (*_, users, _h) in ACTIONS.items()
    for user, allowed in users.items()
]


@pytest.mark.parametrize(("action", "user", "allowed"), CASES)
def test_each_action_through_its_door(cast, client_for, objs, action, user, allowed):
    method, url, data, _users, happened = ACTIONS[action]
    client = client_for(getattr(cast, user))
    response = getattr(client, method)(url(cast, objs), data(cast, objs))
    assert happened(response, cast, objs) is allowed, (action, user, response.status_code)


def test_every_registered_action_and_policy_is_in_the_matrix():
    assert sorted(ACTIONS) == access.registered_actions()
    covered = {key.split(":")[0] for key in MATRIX} | set(POLICY_DOORS)
    registered = {model._meta.model_name for model in access.registered_policies()}
    assert registered - covered == set(), "add these record types to a matrix"
    for names in POLICY_DOORS.values():
        assert set(names) <= set(ACTIONS)


def test_an_unregistered_action_is_refused_loudly(cast):
    with pytest.raises(LookupError):
        access.can(cast.hmip_manager, "visit.teleport")


#: a role compared outside the access policy (`core/access.py`, `core/policies.py`)
ROLE_COMPARISON = re.compile(
    r"user\.role\b|\.is_(manager|coordinator|auditor|staff_member)\b|\bREADERS\b"
    r"|role\s*(==|!=|\bin\b|\bnot in\b)\s*\(?\s*"
    r"(Role\.(MANAGER|STAFF|AUDITOR|COORDINATOR)|\"(manager|staff|auditor|coordinator)\")"
)


def test_no_view_template_or_menu_compares_a_role():
    doors = [
        *ROOT.glob("*/views.py"),
        *ROOT.glob("*/services.py"),  # the rules themselves ask the policy too
        ROOT / "core" / "audit_views.py",
        ROOT / "core" / "context.py",
        *ROOT.glob("api/*.py"),
        *ROOT.glob("templates/**/*.html"),
    ]
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in doors
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if ROLE_COMPARISON.search(line)
    ]
    assert found == []
