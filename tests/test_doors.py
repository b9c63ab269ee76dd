"""Each rule through every door it has, with the same outcome (issue 13).

Doors: the web form, the REST API, the spreadsheet import (as the importer and
as `armslength import FILE --kind ...`), the dataset import (`armslength import
FILE.json`) and the planner's accept. Each test is one rule; each parameter one door.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from armslength.accounts.models import Role
from armslength.compliance.models import Assessment
from armslength.declarations.models import Affiliation
from armslength.screening.dataset_io import export_document
from armslength.screening.services import screen_register
from armslength.visits.models import Assignment, Override, PlanningRun, Visit, VisitAlert
from armslength.visits.services import assignment_add
from tests.conftest import make_user
from tests.test_api import api_as, keyed
from tests.test_spreadsheets import csv_bytes, run


@pytest.fixture
def visit(cast, today):
    """A planned HMIP visit to HMP Northbridge with Alice (clear) on its team."""
    keyed(cast)
    v = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.northbridge,
        start=today + dt.timedelta(days=20),
        end=today + dt.timedelta(days=21),
    )
    assignment_add(visit=v, person=cast.alice, role="member")
    return v


# --- a new fact raises a visit alert ----------------------------------------------------

START = "2020-01-01"


def by_web(client_for, cast, tmp_path):
    client = client_for(cast.hmip_manager)
    response = client.post(
        reverse("declarations:affiliation_add"),
        {
            "person": cast.alice.pk,
            "kind": "employment",
            "establishment": cast.northbridge.pk,
            "role": "Officer",
            "start": START,
        },
    )
    assert response.status_code == 302


def by_api(client_for, cast, tmp_path):
    response = api_as(cast.hmip_manager).post(
        "/api/declarations/",
        {
            "person": "alice",
            "kind": "employment",
            "establishment": "hmp-northbridge",
            "role": "Officer",
            "start": START,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()


DECLARATION_CSV = csv_bytes(
    ["person", "kind", "establishment", "role", "start"],
    [["alice", "employment", "hmp-northbridge", "Officer", START]],
)


def by_spreadsheet(client_for, cast, tmp_path):
    run("affiliations", DECLARATION_CSV, cast.hmip, user=cast.hmip_manager)


def by_command(client_for, cast, tmp_path):
    path = tmp_path / "declarations.csv"
    path.write_bytes(DECLARATION_CSV)
    call_command("import", str(path), "--kind", "affiliations", "--body", "HMIP")


def by_dataset(client_for, cast, tmp_path):
    document = export_document(timezone.localdate())
    document["affiliations"].append(
        {
            "person": "alice",
            "kind": "employment",
            "establishment": "hmp-northbridge",
            "role": "Officer",
            "start": START,
        }
    )
    path = tmp_path / "register.json"
    path.write_text(json.dumps(document))
    call_command("import", str(path))


@pytest.mark.parametrize(
    "door", [by_web, by_api, by_spreadsheet, by_command, by_dataset], ids=lambda d: d.__name__
)
def test_a_new_fact_alerts_the_visit_through_every_door(cast, client_for, visit, tmp_path, door):
    door(client_for, cast, tmp_path)
    alert = VisitAlert.objects.get(visit=visit, person=cast.alice)
    assert alert.verdict == "block" and "HMP Northbridge" in alert.text


def test_a_new_secondment_through_the_api_alerts_the_visit(cast, client_for, visit, today):
    cast.alice.category = "secondee"
    cast.alice.save()
    response = api_as(cast.hmip_manager).post(
        "/api/secondments/",
        {
            "person": "alice",
            "origin": "hmpps",
            "origin_establishment": "hmp-northbridge",
            "start": (today - dt.timedelta(days=10)).isoformat(),
            "inclusive": True,
            "merit_based": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert VisitAlert.objects.get(visit=visit, person=cast.alice).verdict == "block"


# --- a declarant's edit or end goes back to review ---------------------------------------


@pytest.fixture
def accepted(cast, today):
    keyed(cast)
    return Affiliation.objects.create(
        person=cast.alice,
        kind="position",
        establishment=cast.southgate,
        role="Board member",
        start=today - dt.timedelta(days=400),
        status="accepted",
        reviewed_by=cast.hmip_manager,
        reviewed_at=timezone.now(),
    )


def edit_on_web(client_for, cast, declaration, end):
    client = client_for(cast.alice_user)
    form = client.get(reverse("declarations:affiliation_edit", args=[declaration.pk]))
    version = form.context["version"]
    client.post(
        reverse("declarations:affiliation_edit", args=[declaration.pk]),
        {
            "person": cast.alice.pk,
            "kind": "position",
            "establishment": cast.southgate.pk,
            "role": "Board member",
            "start": declaration.start,
            "end": end,
            "_version": version,
        },
    )


def end_on_web(client_for, cast, declaration, end):
    client_for(cast.alice_user).post(
        reverse("declarations:affiliation_end", args=[declaration.pk]), {"end": end}
    )


def edit_through_api(client_for, cast, declaration, end):
    api_as(cast.alice_user).patch(
        f"/api/declarations/{declaration.pk}/", {"end": end.isoformat()}, format="json"
    )


@pytest.mark.parametrize(
    "door", [edit_on_web, end_on_web, edit_through_api], ids=lambda d: d.__name__
)
def test_a_declarants_change_returns_to_review_through_every_door(
    cast, client_for, accepted, today, door
):
    end = today - dt.timedelta(days=30)  # backdated
    door(client_for, cast, accepted, end)
    accepted.refresh_from_db()
    assert accepted.status == "pending" and accepted.end is None
    assert accepted.proposed == {"end": end.isoformat()}
    result = screen_register().for_pair("alice", cast.southgate.key, today, today)
    assert result.verdict.code == "block"  # no verdict changes until a manager accepts


# --- the conflict check and the refusal's audit on assignment ------------------------------


def assign_on_web(client_for, cast, visit):
    client_for(cast.hmip_manager).post(
        reverse("visits:team_add", args=[visit.pk]), {"person": cast.sam.pk, "role": "member"}
    )


def assign_through_api(client_for, cast, visit):
    response = api_as(cast.hmip_manager).post(
        "/api/assignments/", {"visit": visit.key, "person": "sam", "role": "member"}, format="json"
    )
    assert response.status_code == 400


def assign_by_accepting_a_plan(client_for, cast, visit):
    """A plan that proposes Sam, accepted on the planning page (`plan_accept`)."""
    run = PlanningRun.objects.create(
        body=cast.hmip,
        start=visit.start,
        end=visit.end,
        status="done",
        problem={  # the visit as the planner saw it: unchanged since
            "visits": [
                {
                    "id": visit.key,
                    "start": visit.start.isoformat(),
                    "end": visit.end.isoformat(),
                    "establishment": visit.establishment.key,
                }
            ]
        },
        plan={"assignments": [{"visit": visit.key, "person": "sam", "role": "member"}]},
        created_by=cast.hmip_manager,
    )
    response = client_for(cast.hmip_manager).post(run.get_absolute_url(), {"visit": [visit.key]})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "door",
    [assign_on_web, assign_through_api, assign_by_accepting_a_plan],
    ids=lambda d: d.__name__,
)
def test_assignment_is_checked_and_a_refusal_audited_through_every_door(
    cast, client_for, visit, door
):
    door(client_for, cast, visit)
    assert not Assignment.objects.filter(person=cast.sam).exists()
    refusal = LogEntry.objects.get_for_object(visit).get(additional_data__has_key="refused")
    assert refusal.actor == cast.hmip_manager
    assert "secondment-origin" in refusal.additional_data["refused"]["rules"]


# --- an override needs a second manager --------------------------------------------------


@pytest.fixture
def declared(cast, visit):
    """Alice once worked for the operator: `declared` at its prisons."""
    Affiliation.objects.create(
        person=cast.alice, kind="employment", organisation=cast.hmpps, end="2020-01-01"
    )


def override_on_web(client_for, cast, visit, second):
    client_for(cast.hmip_manager).post(
        reverse("visits:override_request", args=[visit.pk]),
        {"person": cast.alice.pk, "verdict_to": "clear", "reason": "Long ago"},
    )
    override = Override.objects.get()
    for manager in (cast.hmip_manager, second):
        client_for(manager).post(
            reverse("visits:override_decide", args=[override.pk]), {"decision": "approved"}
        )
        yield override


def override_through_api(client_for, cast, visit, second):
    response = api_as(cast.hmip_manager).post(
        "/api/overrides/",
        {"visit": visit.key, "person": "alice", "verdict_to": "clear", "reason": "Long ago"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    override = Override.objects.get()
    for manager in (cast.hmip_manager, second):
        api_as(manager).post(f"/api/overrides/{override.pk}/decide/", {"decision": "approved"})
        yield override


@pytest.mark.parametrize("door", [override_on_web, override_through_api], ids=lambda d: d.__name__)
def test_an_override_needs_a_second_manager_through_every_door(
    cast, client_for, visit, declared, door
):
    second = make_user("hmip.second", Role.MANAGER, body=cast.hmip)
    steps = door(client_for, cast, visit, second)
    override = next(steps)  # the one who asked tries to approve
    override.refresh_from_db()
    assert override.status == "requested" and override.decided_by is None
    next(steps)  # a second manager approves
    override.refresh_from_db()
    assert override.status == "approved" and override.decided_by == second


# --- sign-off ------------------------------------------------------------------------------


@pytest.fixture
def unsigned(cast, today):
    keyed(cast)
    return Assessment.objects.create(person=cast.sam, date=today, assessor=cast.hmip_manager)


def sign_on_web(client_for, cast, assessment):
    client_for(cast.hmip_manager).post(
        reverse("compliance:assessment_sign_off", args=[assessment.pk])
    )


def sign_through_api(client_for, cast, assessment):
    response = api_as(cast.hmip_manager).post(f"/api/assessments/{assessment.pk}/sign-off/")
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("door", [sign_on_web, sign_through_api], ids=lambda d: d.__name__)
def test_sign_off_through_every_door(cast, client_for, unsigned, door):
    from armslength.compliance.services import findings_sync

    findings_sync()  # as the daily run would
    assert "secondee-assessment" in _open_rules(cast.sam)
    door(client_for, cast, unsigned)
    unsigned.refresh_from_db()
    assert unsigned.signed_off_at is not None and unsigned.signed_off_by == cast.hmip_manager
    assert "secondee-assessment" not in _open_rules(cast.sam)  # the findings followed
    signed_at = unsigned.signed_off_at
    door_again = api_as(cast.hmip_manager).post(f"/api/assessments/{unsigned.pk}/sign-off/")
    unsigned.refresh_from_db()
    assert door_again.status_code == 403 and unsigned.signed_off_at == signed_at


def test_a_dataset_import_signs_its_assessments_off(cast, tmp_path, today):
    keyed(cast)
    document = export_document(today)
    document["assessments"] = [{"person": "sam", "date": today.isoformat()}]
    path = tmp_path / "register.json"
    path.write_text(json.dumps(document))
    call_command("import", str(path))
    assessment = Assessment.objects.get(person__key="sam")
    assert assessment.signed_off_at is not None


def _open_rules(person) -> set[str]:
    from armslength.compliance.models import FindingRecord

    return set(
        FindingRecord.objects.filter(person=person, closed_at__isnull=True).values_list(
            "rule", flat=True
        )
    )
