"""Teams checked live by the engine, and the planner in the web app."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from armslength.declarations.models import Affiliation
from armslength.register.models import Person
from armslength.visits.models import Assignment, PlanningRun, Visit
from armslength.visits.services import AssignmentRefused, assignment_add


@pytest.fixture
def visit(cast, today):
    return Visit.objects.create(
        body=cast.hmip,
        establishment=cast.northbridge,
        start=today + dt.timedelta(days=30),
        end=today + dt.timedelta(days=32),
        team_size=2,
        requires={"legal": 1},
        needs_lead=True,
    )


def add(client, visit, person, role="member"):
    return client.post(
        reverse("visits:team_add", args=[visit.pk]),
        {"person": person.pk, "role": role},
        follow=True,
    )


def test_a_secondee_is_refused_for_their_origin_with_the_uk14_reason(cast, client_for, visit):
    page = add(client_for(cast.hmip_manager), visit, cast.sam).content.decode()
    assert "Refused" in page and "Seconded from HMP Northbridge" in page and "UK-14" in page
    assert not Assignment.objects.exists()
    refusal = LogEntry.objects.filter(additional_data__refused__person=cast.sam.key).get()
    assert refusal.actor == cast.hmip_manager


def test_a_former_employee_only_prepares(cast, client_for, visit):
    Affiliation.objects.create(
        person=cast.alice, kind="employment", establishment=cast.northbridge, end="2020-01-01"
    )
    client = client_for(cast.hmip_manager)
    check = client.get(
        reverse("visits:team_check", args=[visit.pk]), {"person": cast.alice.pk}
    ).content.decode()
    assert "preparation support" in check
    assert "may only help prepare" in add(client, visit, cast.alice).content.decode()
    add(client, visit, cast.alice, role="preparation")
    assert Assignment.objects.get().role == "preparation"


def test_restrictions_are_shown_to_the_lead_not_the_tie(cast, client_for, visit):
    from armslength.accounts.models import Role
    from tests.conftest import make_user

    lead = Person.objects.create(
        body=cast.hmip,
        name="Lee Lead",
        category="staff",
        gender="male",
        can_lead=True,
        npm_role="frontline",
        expertise=["legal"],
    )
    lead_user = make_user("lee", Role.STAFF, body=cast.hmip, person=lead)
    Affiliation.objects.create(
        person=cast.alice,
        kind="family",
        establishment=cast.northbridge,
        with_role="detainee",
        detail="her brother, R. Adams",
    )
    client = client_for(cast.hmip_manager)
    add(client, visit, lead, role="lead")
    add(client, visit, cast.alice)
    assert Assignment.objects.get(person=cast.alice).verdict == "restricted"
    page = client_for(lead_user).get(visit.get_absolute_url()).content.decode()
    assert "Refrain from interviewing her brother, R. Adams" in page
    assert "family" not in page.lower().split("team")[1][:2000]


def test_overlaps_and_secondee_leads_are_refused(cast, visit, today):
    other = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate,
        start=visit.end,
        end=visit.end + dt.timedelta(days=1),
    )
    assignment_add(visit=visit, person=cast.alice, role="member")
    with pytest.raises(AssignmentRefused, match="already on"):
        assignment_add(visit=other, person=cast.alice, role="member")
    third = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.northbridge.__class__.objects.create(
            name="HMP Far",
            type="prison",
            operator=cast.moj.__class__.objects.create(
                name="Private Co", sector="private_operator"
            ),
        ),
        start=today + dt.timedelta(days=90),
        end=today + dt.timedelta(days=90),
    )
    with pytest.raises(AssignmentRefused, match="seconded"):
        assignment_add(visit=third, person=cast.sam, role="lead")


def test_team_warnings_show_what_is_missing(cast, client_for, visit):
    page = client_for(cast.hmip_manager).get(visit.get_absolute_url()).content.decode()
    assert "0 of 2 team members" in page and "Needs 1 with Legal" in page and "No lead" in page


def test_member_accepts_confirming_no_undeclared_interest(cast, client_for, visit):
    a = assignment_add(visit=visit, person=cast.alice, role="member")
    client = client_for(cast.alice_user)
    assert "Accept this visit" in client.get(visit.get_absolute_url()).content.decode()
    client.post(reverse("visits:assignment_accept", args=[a.pk]), {})
    a.refresh_from_db()
    assert a.accepted_at is None
    client.post(reverse("visits:assignment_accept", args=[a.pk]), {"no_undeclared_interest": "on"})
    a.refresh_from_db()
    assert a.accepted_at is not None
    assert client_for(cast.sam_user).get(visit.get_absolute_url()).status_code == 404


def test_planner_runs_in_the_background_and_teams_are_accepted(
    cast, client_for, today, django_capture_on_commit_callbacks
):
    for n in range(4):
        Person.objects.create(
            body=cast.hmip,
            name=f"Planner Person {n}",
            category="staff",
            gender="female" if n % 2 else "male",
            npm_role="frontline",
            expertise=["legal"] if n < 2 else ["medical"],
            can_lead=n == 0,
        )
    v1 = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.northbridge,
        start=today + dt.timedelta(days=10),
        end=today + dt.timedelta(days=11),
        team_size=2,
        requires={"legal": 1},
    )
    client = client_for(cast.hmip_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("visits:planning"),
            {
                "start": today.isoformat(),
                "end": (today + dt.timedelta(days=60)).isoformat(),
                "time_limit": 5,
            },
        )
    run = PlanningRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    run.refresh_from_db()
    assert run.status == "done" and run.progress == 1.0
    assert "sam" not in {a["person"] for a in run.plan["assignments"]}  # blocked at his origin
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Proposed teams" in page
    client.post(run.get_absolute_url(), {"visit": [v1.key]})
    assert v1.assignments.count() == 2
    calendar = client.get(
        reverse("visits:calendar"), {"year": v1.start.year, "month": v1.start.month}
    ).content.decode()
    assert "HMP Northbridge" in calendar
    assert v1.assignments.first().person.name in calendar
    assert (
        client_for(cast.auditor).post(run.get_absolute_url(), {"visit": [v1.key]}).status_code
        == 403
    )


def test_an_approved_override_applies_to_that_visit_only(cast, client_for, visit, today):
    from armslength.visits.models import Override

    Affiliation.objects.create(
        person=cast.alice, kind="employment", organisation=cast.hmpps, end="2020-01-01"
    )  # former operator employment: declared
    other = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate,
        start=today + dt.timedelta(days=50),
        end=today + dt.timedelta(days=50),
    )
    Override.objects.create(
        visit=visit,
        person=cast.alice,
        verdict_from="declared",
        verdict_to="clear",
        reason="Left HMPPS long ago",
        status="approved",
        decided_by=cast.hmip_manager,
        policy_version="x",
    )
    on_visit = assignment_add(visit=visit, person=cast.alice, role="member")
    assert on_visit.verdict == "clear"
    assert on_visit.reasons[-1]["rule"] == "override"
    assert "Left HMPPS long ago" in on_visit.reasons[-1]["text"]
    assert assignment_add(visit=other, person=cast.alice, role="member").verdict == "declared"
