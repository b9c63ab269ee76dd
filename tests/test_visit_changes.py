"""Changing a visit re-checks its whole team (issue 18 defects found by an outside probe).

A new establishment or new dates put every member, of every body, through the
team checks again: someone now blocked (a partner's secondee at their own origin,
UK-14) or no longer able to go is taken off the team, audited, and their own
body's managers alerted with the reason; the other bodies read no reason. A partner
body taken off a joint visit takes its people with it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from armslength.register.models import Establishment, Organisation, Person, Secondment
from armslength.screening.dataset_io import export_document, import_document
from armslength.visits.models import Assignment, PlaceRequest, Visit, VisitAlert
from armslength.visits.services import assignment_add, place_request_create, visit_update
from tests.test_joint_visits import api_as


@pytest.fixture
def dave(cast, today):
    """A CQC secondee, seconded from HMPPS out of HMP Northbridge."""
    dave = Person.objects.create(
        body=cast.cqc,
        key="dave",
        name="Dave Doctor",
        category="secondee",
        npm_role="frontline",
        gender="male",
        expertise=["medical"],
    )
    Secondment.objects.create(
        person=dave,
        origin=cast.hmpps,
        origin_establishment=cast.northbridge,
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=700),
        open_process=True,
        published_criteria=True,
        inclusive=True,
        merit_based=True,
        justification="Prison healthcare",
    )
    return dave


def joint_at_riverside(cast, today, **fields) -> Visit:
    """A joint visit to a place HMPPS does not run (Dave's origin is nowhere near it)."""
    trust, _ = Organisation.objects.get_or_create(
        key="riverside-trust", defaults={"name": "Riverside Trust", "sector": "private_operator"}
    )
    riverside, _ = Establishment.objects.get_or_create(
        key="riverside", defaults={"name": "Riverside House", "type": "prison", "operator": trust}
    )
    visit = Visit.objects.create(
        body=cast.hmip,
        establishment=riverside,
        start=today + dt.timedelta(days=30),
        end=today + dt.timedelta(days=31),
        team_size=4,
        **fields,
    )
    visit.partner_bodies.set([cast.cqc])
    return visit


def test_moving_a_joint_visit_to_a_partners_secondees_origin_takes_them_off_with_an_alert(
    cast, today, dave, client_for, django_capture_on_commit_callbacks
):
    visit = joint_at_riverside(cast, today)
    assignment_add(visit=visit, person=cast.alice, role="member")
    assignment_add(visit=visit, person=dave, role="member")
    hmip = api_as(cast.hmip_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = hmip.patch(
            f"/api/visits/{visit.key}/", {"establishment": "hmp-northbridge"}, format="json"
        )
    assert response.status_code == 200, response.content
    # the change stands; Dave, now blocked at his origin (UK-14), is no longer on the team
    visit.refresh_from_db()
    assert visit.establishment == cast.northbridge
    assert set(visit.assignments.values_list("person__name", flat=True)) == {"Alice Adams"}
    # the removal is audited, its reason stamped with Dave's body (CQC reads it, HMIP not)
    entry = LogEntry.objects.get(additional_data__removed__person="dave")
    assert entry.additional_data["person_body"] == cast.cqc.pk
    assert "UK-14" in entry.additional_data["removed"]["reason"]
    # CQC's managers are alerted, with the reason; HMIP's are sent nothing about Dave
    (alert,) = VisitAlert.objects.filter(visit=visit, person=dave)
    assert alert.verdict == "block" and "UK-14" in alert.text
    to_cqc = [m for m in mail.outbox if cast.cqc_manager.email in m.to]
    assert to_cqc and "UK-14" in to_cqc[0].body
    assert not [m for m in mail.outbox if cast.hmip_manager.email in m.to]
    cqc_page = client_for(cast.cqc_manager).get(visit.get_absolute_url()).content.decode()
    assert "taken off the team" in cqc_page and "UK-14" in cqc_page
    hmip_page = client_for(cast.hmip_manager).get(visit.get_absolute_url()).content.decode()
    # (HMIP's own secondee Sam is on its screening list with his UK-14 reasons; of Dave,
    # and why he went, nothing)
    assert "Dave Doctor" not in hmip_page and "taken off the team" not in hmip_page


def test_new_dates_on_the_web_take_off_who_is_booked_elsewhere_and_say_so(cast, today, client_for):
    visit = joint_at_riverside(cast, today)
    other = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate,
        start=today + dt.timedelta(days=60),
        end=today + dt.timedelta(days=61),
        team_size=3,
    )
    assignment_add(visit=visit, person=cast.alice, role="member")
    assignment_add(visit=other, person=cast.alice, role="member")
    assignment_add(visit=visit, person=cast.carol, role="member")
    hmip = client_for(cast.hmip_manager)
    edit = reverse("visits:visit_edit", args=[visit.pk])
    data = {
        "establishment": visit.establishment.pk,
        "body": cast.hmip.pk,
        "partner_bodies": [cast.cqc.pk],
        "start": other.start.isoformat(),
        "end": other.end.isoformat(),
        "type": "announced",
        "status": "planned",
        "team_size": 4,
        "min_women": 0,
        "needs_lead": "on",
    }
    page = hmip.post(edit, data, follow=True).content.decode()
    visit.refresh_from_db()
    assert visit.start == other.start
    # Alice is on the other visit on those days: off this team; Carol is free and stays
    assert set(visit.assignments.values_list("person__name", flat=True)) == {"Carol Carter"}
    assert Assignment.objects.filter(visit=other, person=cast.alice).exists()
    assert "Taken off the team" in page and "Alice Adams" in page
    assert LogEntry.objects.filter(additional_data__removed__person=cast.alice.key).exists()


def test_taking_a_partner_body_off_a_joint_visit_takes_its_people_off_with_alerts(
    cast, today, client_for, django_capture_on_commit_callbacks
):
    cast.carol.key = "carol"
    cast.carol.save()
    visit = joint_at_riverside(cast, today)
    assignment_add(visit=visit, person=cast.alice, role="member")
    assignment_add(visit=visit, person=cast.carol, role="member")
    place_request_create(visit=visit, body=cast.cqc, places=2, user=cast.hmip_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(cast.hmip_manager).patch(
            f"/api/visits/{visit.key}/", {"partner_bodies": []}, format="json"
        )
    assert response.status_code == 200, response.content
    assert not visit.partner_bodies.exists()
    # no orphan: CQC's people left with CQC, and its open request for places is withdrawn
    assert set(visit.assignments.values_list("person__name", flat=True)) == {"Alice Adams"}
    assert PlaceRequest.objects.get(visit=visit).status == "withdrawn"
    entry = LogEntry.objects.get(additional_data__removed__person="carol")
    assert entry.additional_data["person_body"] == cast.cqc.pk
    assert VisitAlert.objects.filter(visit=visit, person=cast.carol).exists()
    assert [m for m in mail.outbox if cast.cqc_manager.email in m.to]


def test_a_dataset_import_that_moves_a_visit_re_checks_its_team_too(cast, today, dave):
    visit = joint_at_riverside(cast, today)
    assignment_add(visit=visit, person=dave, role="member")
    doc = export_document(today)
    for row in doc["visits"]:
        if row["id"] == visit.key:
            row["establishment"] = cast.northbridge.key
    import_document(doc, actor=cast.hmip_manager)
    visit.refresh_from_db()
    assert visit.establishment == cast.northbridge
    assert not visit.assignments.filter(person=dave).exists()
    assert VisitAlert.objects.filter(visit=visit, person=dave, verdict="block").exists()


def test_a_change_that_leaves_place_and_dates_alone_keeps_the_team(cast, today, dave):
    visit = joint_at_riverside(cast, today)
    assignment_add(visit=visit, person=dave, role="member")
    change = visit_update(visit=visit, values={"team_size": 5}, user=cast.hmip_manager)
    assert change.removed == [] and visit.assignments.filter(person=dave).exists()


# --- the partner body's planner (issue 18 defect: it ignored joint visits) -----------------


def test_a_partners_planner_fills_the_places_asked_of_it_and_the_lead_leaves_them(
    cast, today, client_for, django_capture_on_commit_callbacks
):
    from armslength.visits.models import PlanningRun
    from armslength.visits.services import planning_problem

    visit = joint_at_riverside(cast, today)
    assignment_add(visit=visit, person=cast.alice, role="member")
    place_request_create(visit=visit, body=cast.cqc, places=1, user=cast.hmip_manager)
    horizon = {"start": today, "end": today + dt.timedelta(days=60)}
    # the lead plans the team less the place asked of CQC: 4 - Alice - 1 = 2
    (lead_view,) = planning_problem(body=cast.hmip, **horizon)["visits"]
    assert lead_view["team_size"] == 2
    # CQC's planning sees the joint visit, asking for its one place only
    (partner_view,) = planning_problem(body=cast.cqc, **horizon)["visits"]
    assert partner_view["id"] == visit.key
    assert (partner_view["team_size"], partner_view["needs_lead"]) == (1, False)
    cqc = client_for(cast.cqc_manager)
    with django_capture_on_commit_callbacks(execute=True):
        cqc.post(
            reverse("visits:planning"),
            {
                "start": horizon["start"].isoformat(),
                "end": horizon["end"].isoformat(),
                "time_limit": 5,
            },
        )
    run = PlanningRun.objects.get(body=cast.cqc)
    assert run.status == "done", run.error
    assert [(a["visit"], a["person"]) for a in run.plan["assignments"]] == [
        (visit.key, cast.carol.key)
    ]
    assert "Riverside House" in cqc.get(run.get_absolute_url()).content.decode()
    cqc.post(run.get_absolute_url(), {"visit": [visit.key]})
    assert visit.assignments.filter(person=cast.carol).exists()
    assert PlaceRequest.objects.get(visit=visit).status == "filled"
    # her place there now counts in CQC's planning: busy on those days, one visit used
    cast.carol.max_visits = 3
    cast.carol.save()
    Visit.objects.create(
        body=cast.cqc,
        establishment=cast.southgate,
        start=visit.start,
        end=visit.end + dt.timedelta(days=1),
        team_size=1,
        needs_lead=False,
    )
    (carol,) = planning_problem(body=cast.cqc, **horizon)["people"]
    assert {"start": visit.start.isoformat(), "end": visit.end.isoformat()} in carol["unavailable"]
    assert carol["max_visits"] == 2


def test_a_cancelled_visit_taken_up_again_re_checks_its_team(cast, today):
    visit = joint_at_riverside(cast, today)
    assignment_add(visit=visit, person=cast.alice, role="member")
    visit_update(visit=visit, values={"status": "cancelled"}, user=cast.hmip_manager)
    # cancelled, it holds no place: Alice is booked elsewhere on the same days
    other = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate,
        start=visit.start,
        end=visit.end,
        team_size=2,
    )
    assignment_add(visit=other, person=cast.alice, role="member")
    change = visit_update(visit=visit, values={"status": "planned"}, user=cast.hmip_manager)
    assert [r.person for r in change.removed] == [cast.alice]
    assert Assignment.objects.filter(visit=other, person=cast.alice).exists()
    # cancelling never takes anyone off: nobody goes on a cancelled visit
    assignment_add(visit=visit, person=cast.carol, role="member")
    moved = visit_update(
        visit=visit,
        values={"status": "cancelled", "establishment": cast.northbridge},
        user=cast.hmip_manager,
    )
    assert moved.removed == [] and visit.assignments.filter(person=cast.carol).exists()


def test_a_partner_taken_off_a_visit_has_every_request_withdrawn_and_reads_none(cast, today):
    """Issue 18 probe, item 4: a filled request was set back to open, and the removed
    partner's manager still read it through the API while the visit was 404 to them."""
    cast.carol.key = "carol"
    cast.carol.save()
    visit = joint_at_riverside(cast, today)
    request = place_request_create(visit=visit, body=cast.cqc, places=1, user=cast.hmip_manager)
    assignment_add(visit=visit, person=cast.carol, role="member")
    request.refresh_from_db()
    assert request.status == "filled"
    cqc = api_as(cast.cqc_manager)
    assert cqc.get(f"/api/place-requests/{request.pk}/").status_code == 200
    response = api_as(cast.hmip_manager).patch(
        f"/api/visits/{visit.key}/", {"partner_bodies": []}, format="json"
    )
    assert response.status_code == 200, response.content
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert cqc.get(f"/api/visits/{visit.key}/").status_code == 404
    assert cqc.get(f"/api/place-requests/{request.pk}/").status_code == 404
    assert cqc.get("/api/place-requests/").json()["results"] == []
    # the lead body still reads its request, withdrawn
    lead = api_as(cast.hmip_manager).get(f"/api/place-requests/{request.pk}/")
    assert lead.status_code == 200 and lead.json()["status"] == "withdrawn"


def test_the_lead_body_is_never_its_own_partner_through_any_door(cast, today, client_for):
    """The visit form offered the lead body among the partners (outside probe, issue 19)."""
    visit = joint_at_riverside(cast, today)
    hmip = client_for(cast.hmip_manager)
    data = {
        "establishment": visit.establishment.pk,
        "body": cast.hmip.pk,
        "partner_bodies": [cast.cqc.pk, cast.hmip.pk],
        "start": visit.start.isoformat(),
        "end": visit.end.isoformat(),
        "type": "announced",
        "status": "planned",
        "team_size": 4,
        "min_women": 0,
    }
    refused = "The lead body cannot also be one of its partner bodies."
    for url in (reverse("visits:visit_edit", args=[visit.pk]), reverse("visits:visit_add")):
        page = hmip.post(url, data).content.decode()
        assert refused in page
    assert list(visit.partner_bodies.all()) == [cast.cqc]
    assert Visit.objects.count() == 1
    api = api_as(cast.hmip_manager)
    answer = api.patch(
        f"/api/visits/{visit.key}/", {"partner_bodies": ["cqc", "hmip"]}, format="json"
    )
    assert answer.status_code == 400 and refused in answer.content.decode()
    created = api.post(
        "/api/visits/",
        {
            "establishment": visit.establishment.key,
            "start": visit.start.isoformat(),
            "end": visit.end.isoformat(),
            "partner_bodies": ["hmip"],
        },
        format="json",
    )
    assert created.status_code == 400 and refused in created.content.decode()
    assert list(visit.partner_bodies.all()) == [cast.cqc]
    with pytest.raises(ValidationError):
        visit_update(visit=visit, values={}, partner_bodies=[cast.hmip])


def test_a_dry_run_import_sends_no_alert_email(
    cast, today, dave, django_capture_on_commit_callbacks
):
    """Issue 13 probe: a dry-run (or refused) dataset import still mailed visit alerts for
    facts it then rolled back; emails now go out only once the fact is committed."""
    from django.core import mail

    visit = joint_at_riverside(cast, today)
    assignment_add(visit=visit, person=cast.alice, role="member")
    cast.hmip_manager.email = "boss@example.org"
    cast.hmip_manager.save()
    doc = export_document(today)
    doc["affiliations"].append(
        {
            "person": cast.alice.key,
            "kind": "employment",
            "establishment": visit.establishment.key,
            "role": "nurse",
            "start": "2015-03-01",
        }
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        import_document(doc, dry_run=True, today=today, actor=cast.hmip_manager)
    assert not VisitAlert.objects.exists()
    assert [m for m in mail.outbox if "boss@example.org" in m.to] == []
    with django_capture_on_commit_callbacks(execute=True):
        import_document(doc, today=today, actor=cast.hmip_manager)
    assert VisitAlert.objects.filter(visit=visit, person=cast.alice).exists()
    assert [m for m in mail.outbox if "boss@example.org" in m.to]
