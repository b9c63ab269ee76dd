"""Joint visits staffed jointly (issue 18).

HMIP leads a visit to HMP Southgate (or Northbridge) with CQC as partner. Each
body's manager adds their own people; HMIP asks CQC for a place with a doctor,
and CQC's manager fills it. HMIP sees CQC's people by name and role only, and
the whole team's totals; what the engine says about a CQC person (a refusal, a
verdict, a warning) stays with CQC's managers. Need-to-know for an unannounced
visit holds across bodies.
"""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from armslength.api.models import ApiToken
from armslength.register.models import Person, Secondment
from armslength.visits.models import Assignment, PlaceRequest, Unavailability, Visit
from armslength.visits.services import (
    AssignmentRefused,
    assignment_add,
    planning_problem,
    team_warnings,
)
from tests.conftest import verify_second_factor


@pytest.fixture
def client_for(db):
    """A separate signed-in browser per user: two managers at once."""

    def sign_in(user):
        client = Client()
        client.force_login(user)
        verify_second_factor(client, user)
        return client

    return sign_in


@pytest.fixture
def dave(cast, today):
    """A CQC secondee, seconded from HMPPS out of HMP Northbridge."""
    dave = Person.objects.create(
        body=cast.cqc,
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
        justification="Prison healthcare",
    )
    return dave


def joint(cast, today, establishment=None, **fields):
    visit = Visit.objects.create(
        body=cast.hmip,
        establishment=establishment or cast.northbridge,
        start=today + dt.timedelta(days=30),
        end=today + dt.timedelta(days=31),
        team_size=3,
        requires={"legal": 1, "medical": 1},
        min_women=1,
        **fields,
    )
    visit.partner_bodies.set([cast.cqc])
    return visit


def add(client, visit, person, role="member"):
    return client.post(
        reverse("visits:team_add", args=[visit.pk]),
        {"person": person.pk, "role": role},
        follow=True,
    )


def test_each_body_adds_its_own_people_and_sees_the_others_by_name_and_role(
    cast, client_for, today
):
    visit = joint(cast, today)
    cast.alice.can_lead = True
    cast.alice.save()
    hmip = client_for(cast.hmip_manager)
    assert "Alice Adams added" in add(hmip, visit, cast.alice, "lead").content.decode()
    # HMIP cannot put CQC's Carol on the team: she is not among its choices
    add(hmip, visit, cast.carol)
    assert not Assignment.objects.filter(person=cast.carol).exists()
    cqc = client_for(cast.cqc_manager)
    assert "Carol Carter added" in add(cqc, visit, cast.carol).content.decode()
    # nor can CQC put HMIP's people on it
    add(cqc, visit, cast.sam)
    assert set(visit.assignments.values_list("person__name", flat=True)) == {
        "Alice Adams",
        "Carol Carter",
    }

    hmip_page = hmip.get(visit.get_absolute_url()).content.decode()
    assert "Carol Carter" in hmip_page and "Checked by CQC" in hmip_page
    assert cast.carol.get_absolute_url() not in hmip_page  # a name, not a link to her record
    # the totals of the whole team: Carol's medical expertise and her being a woman count
    assert "Whole team: 2 of 3; women 2; Legal 1; Medical 1; lead chosen." in hmip_page
    cqc_page = cqc.get(visit.get_absolute_url()).content.decode()
    assert "Alice Adams" in cqc_page and "Checked by HMIP" in cqc_page
    # each edits only its own people's places
    carol_place = Assignment.objects.get(person=cast.carol)
    alice_place = Assignment.objects.get(person=cast.alice)
    assert hmip.post(reverse("visits:team_remove", args=[carol_place.pk])).status_code == 403
    assert cqc.post(reverse("visits:team_remove", args=[alice_place.pk])).status_code == 403
    assert cqc.post(reverse("visits:team_remove", args=[carol_place.pk])).status_code == 302
    assert not Assignment.objects.filter(person=cast.carol).exists()
    # the visit itself stays the lead body's to change
    assert cqc.get(reverse("visits:visit_edit", args=[visit.pk])).status_code == 403


def test_a_partners_secondee_is_refused_with_the_reason_for_the_partners_managers_only(
    cast, client_for, today, dave
):
    visit = joint(cast, today)
    cqc = client_for(cast.cqc_manager)
    page = add(cqc, visit, dave).content.decode()
    assert "Refused: Dave Doctor may not be involved" in page and "UK-14" in page
    assert not Assignment.objects.filter(person=dave).exists()
    refusal = LogEntry.objects.get(additional_data__refused__person=dave.key)
    assert refusal.additional_data["person_body"] == cast.cqc.pk
    # the visit's history: CQC's managers and auditors read the refusal, HMIP's do not
    history = reverse("visits:visit_history", args=[visit.pk])
    # (CQC's side: test_the_partners_managers_read_the_refusal_in_history)
    hmip = client_for(cast.hmip_manager)
    hmip_history = hmip.get(history).content.decode()
    assert "Dave Doctor" not in hmip_history and "Seconded from" not in hmip_history
    hmip_page = hmip.get(visit.get_absolute_url()).content.decode()
    # (HMIP's own secondee Sam is on its screening list; CQC's Dave is nowhere)
    assert "Dave Doctor" not in hmip_page and "may not be involved" not in hmip_page


def test_warnings_about_a_person_go_to_their_own_bodys_managers_only(cast, client_for, today):
    visit = joint(cast, today, establishment=cast.southgate)
    assignment_add(visit=visit, person=cast.carol, role="member")
    Unavailability.objects.create(
        person=cast.carol, start=visit.start, end=visit.end, reason="leave"
    )
    assert any("Carol Carter is unavailable" in str(w) for w in team_warnings(visit))
    cqc_page = client_for(cast.cqc_manager).get(visit.get_absolute_url()).content.decode()
    assert "Carol Carter is unavailable" in cqc_page
    hmip_page = client_for(cast.hmip_manager).get(visit.get_absolute_url()).content.decode()
    assert "Carol Carter is unavailable" not in hmip_page
    assert "1 of 3 team members so far" in hmip_page  # the team-level check still shows


def test_a_request_for_places_reaches_the_partners_manager_who_fills_it(
    cast, client_for, today, django_capture_on_commit_callbacks
):
    visit = joint(cast, today, establishment=cast.southgate)
    hmip = client_for(cast.hmip_manager)
    with django_capture_on_commit_callbacks(execute=True):
        hmip.post(
            reverse("visits:place_request", args=[visit.pk]),
            {"body": cast.cqc.pk, "places": 1, "expertise": "a doctor"},
        )
    request = PlaceRequest.objects.get(visit=visit)
    assert (request.body, request.places, request.expertise, request.status) == (
        cast.cqc,
        1,
        "a doctor",
        "open",
    )
    # it reaches CQC's manager: by email and on the visit's page
    sent = [m for m in mail.outbox if cast.cqc_manager.email in m.to]
    assert sent and "a doctor" in sent[0].body and "1 place(s)" in sent[0].subject
    assert cast.hmip_manager.email not in {a for m in mail.outbox for a in m.to}
    cqc = client_for(cast.cqc_manager)
    page = cqc.get(visit.get_absolute_url()).content.decode()
    assert "HMIP asks CQC for 1 place(s)" in page and "a doctor" in page
    assert "Ask for places" not in page  # only the lead asks
    refused = cqc.post(
        reverse("visits:place_request", args=[visit.pk]), {"body": cast.cqc.pk, "places": 1}
    )
    assert refused.status_code == 403
    # CQC's manager fills it with Carol
    add(cqc, visit, cast.carol)
    request.refresh_from_db()
    assert request.status == "filled" and request.filled_at is not None
    assert "Filled" in hmip.get(visit.get_absolute_url()).content.decode()
    # taking Carol off opens it again
    cqc.post(reverse("visits:team_remove", args=[Assignment.objects.get(person=cast.carol).pk]))
    request.refresh_from_db()
    assert request.status == "open"
    # a body that is not a partner cannot be asked
    other = hmip.post(
        reverse("visits:place_request", args=[visit.pk]),
        {"body": cast.hmip.pk, "places": 1},
        follow=True,
    )
    assert PlaceRequest.objects.count() == 1 and "Partner body" in other.content.decode()


def api_as(user) -> APIClient:
    _token, secret = ApiToken.issue(user, "test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_through_the_api_the_same_rules_and_the_same_need_to_know(cast, today, dave):
    for person, key in ((cast.alice, "alice"), (cast.carol, "carol"), (dave, "dave")):
        person.key = key
        person.save()
    visit = joint(cast, today)
    hmip, cqc = api_as(cast.hmip_manager), api_as(cast.cqc_manager)
    asked = hmip.post(
        "/api/place-requests/",
        {"visit": visit.key, "body": "cqc", "places": 2, "expertise": "medical"},
        format="json",
    )
    assert asked.status_code == 201, asked.content
    assert cqc.get("/api/place-requests/").json()["results"][0]["expertise"] == "medical"
    assert (
        cqc.post(
            "/api/place-requests/",
            {"visit": visit.key, "body": "cqc", "places": 1},
            format="json",
        ).status_code
        == 403
    )
    # CQC adds Carol; its secondee Dave is refused at his origin, the reason to CQC
    ok = cqc.post("/api/assignments/", {"visit": visit.key, "person": "carol"}, format="json")
    assert ok.status_code == 201 and ok.json()["verdict"] == "clear"
    refused = cqc.post("/api/assignments/", {"visit": visit.key, "person": "dave"}, format="json")
    assert refused.status_code == 400 and "UK-14" in refused.content.decode()
    # HMIP cannot add CQC's people, and reads Carol's place by name and role only
    assert (
        hmip.post(
            "/api/assignments/", {"visit": visit.key, "person": "carol"}, format="json"
        ).status_code
        == 400
    )
    rows = hmip.get(f"/api/assignments/?visit={visit.key}").json()["results"]
    assert [(r["person_name"], r["role"], r["verdict"], r["reasons"]) for r in rows] == [
        ("Carol Carter", "member", None, None)
    ]
    carol_place = rows[0]["id"]
    assert hmip.delete(f"/api/assignments/{carol_place}/").status_code == 403
    assert cqc.delete(f"/api/assignments/{carol_place}/").status_code == 204


def test_need_to_know_for_an_unannounced_joint_visit_holds_across_bodies(
    cast, client_for, today, dave, django_capture_on_commit_callbacks
):
    visit = joint(cast, today, type="unannounced")
    # CQC's manager is themself seconded: they may not know of unannounced visits
    cast.cqc_manager.person = dave
    cast.cqc_manager.save()
    cqc = client_for(cast.cqc_manager)
    assert cqc.get(visit.get_absolute_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.hmip_manager).post(
            reverse("visits:place_request", args=[visit.pk]),
            {"body": cast.cqc.pk, "places": 1},
        )
    assert not mail.outbox  # the request is not mailed to a manager not to know
    assert cqc.post(reverse("visits:team_add", args=[visit.pk])).status_code == 404
    request = PlaceRequest.objects.get()
    assert not api_as(cast.cqc_manager).get("/api/place-requests/").json()["results"]
    assert request.visit == visit


def test_the_planner_sees_the_whole_team_of_a_joint_visit(cast, today):
    visit = joint(cast, today, establishment=cast.southgate)
    assignment_add(visit=visit, person=cast.carol, role="member")
    problem = planning_problem(body=cast.hmip, start=today, end=today + dt.timedelta(days=60))
    (planned,) = problem["visits"]
    # Carol (CQC) holds one place, the medical expertise and the one woman needed
    assert planned["team_size"] == 2
    assert planned["requires"] == {"legal": 1}
    assert planned["min_women"] == 0
    assert all(p["body"] == "HMIP" for p in problem["people"])


def test_a_person_of_a_body_not_taking_part_is_refused_by_the_service(cast, today):
    visit = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate,
        start=today + dt.timedelta(days=5),
        end=today + dt.timedelta(days=6),
    )
    with pytest.raises(AssignmentRefused, match="does not take part"):
        assignment_add(visit=visit, person=cast.carol, role="member")


def test_hostile_and_outside_callers_get_clear_refusals_and_nothing_is_written(
    cast, client_for, today
):
    visit = joint(cast, today, establishment=cast.southgate)
    url = reverse("visits:place_request", args=[visit.pk])
    hmip = client_for(cast.hmip_manager)
    for bad, field in (
        ({"body": cast.cqc.pk, "places": 0}, "Places:"),
        ({"body": cast.cqc.pk, "places": "many"}, "Places:"),
        ({"body": "x", "places": 1}, "Partner body:"),
        ({"body": cast.cqc.pk, "places": 1, "expertise": "x" * 400}, "Expertise wanted:"),
        ({"body": cast.cqc.pk, "places": 9}, "Ask for 1 to 3 places"),
    ):
        page = hmip.post(url, bad, follow=True)
        assert page.status_code == 200 and field in page.content.decode(), bad
    assert not PlaceRequest.objects.exists()
    # a secondee, another body's manager on a visit it has no part in, and nobody signed in
    solo = Visit.objects.create(
        body=cast.hmip, establishment=cast.southgate, start=visit.start, end=visit.end
    )
    assert client_for(cast.sam_user).post(url, {"body": cast.cqc.pk, "places": 1}).status_code in (
        403,
        404,
    )
    assert (
        client_for(cast.cqc_manager)
        .post(
            reverse("visits:team_add", args=[solo.pk]), {"person": cast.carol.pk, "role": "member"}
        )
        .status_code
        == 404
    )
    assert Client().post(url, {"body": cast.cqc.pk, "places": 1}).status_code == 302
    assert APIClient().get("/api/place-requests/").status_code == 401
    assert api_as(cast.sam_user).get("/api/place-requests/").status_code == 403
    assert (
        api_as(cast.sam_user)
        .post("/api/assignments/", {"visit": visit.key, "person": cast.sam.key}, format="json")
        .status_code
        == 403
    )
    bad_api = api_as(cast.hmip_manager).post(
        "/api/place-requests/", {"visit": visit.key, "body": "cqc", "places": 0}, format="json"
    )
    assert bad_api.status_code == 400 and bad_api.json()["errors"][0]["field"] == "places"
    assert not PlaceRequest.objects.exists() and not Assignment.objects.exists()


def test_the_partners_managers_read_the_refusal_in_history(cast, client_for, today, dave):
    visit = joint(cast, today)
    cqc = client_for(cast.cqc_manager)
    add(cqc, visit, dave)
    history = reverse("visits:visit_history", args=[visit.pk])
    cqc_history = cqc.get(history).content.decode()
    assert "Dave Doctor" in cqc_history and "Seconded from" in cqc_history
    # the auditor too; the lead body's manager and its staff do not
    assert "Seconded from" in client_for(cast.auditor).get(history).content.decode()
    for reader in (cast.hmip_manager, cast.alice_user):
        assert "Seconded from" not in client_for(reader).get(history).content.decode()


def test_a_request_is_filled_only_by_the_partners_people_added_after_it(cast, today):
    """Issue 18 probe, item 3: a partner's people already on the team do not fill a new
    request; the create reply shows the stored status; a request never reads "3 of 2";
    the list filters by visit."""
    from armslength.visits.services import place_request_filled

    cast.carol.key = "carol"
    cast.carol.save()
    people = [
        Person.objects.create(
            body=cast.cqc,
            name=f"CQC person {n}",
            key=f"cqc{n}",
            category="staff",
            npm_role="frontline",
            gender="female",
        )
        for n in range(3)
    ]
    visit = joint(cast, today, establishment=cast.southgate)
    visit.team_size = 6
    visit.save()
    hmip, cqc = api_as(cast.hmip_manager), api_as(cast.cqc_manager)
    assert cqc.post("/api/assignments/", {"visit": visit.key, "person": "carol"}).status_code == 201
    asked = hmip.post(
        "/api/place-requests/", {"visit": visit.key, "body": "cqc", "places": 2}, format="json"
    )
    assert asked.status_code == 201, asked.content
    request = PlaceRequest.objects.get(pk=asked.json()["id"])
    assert request.status == asked.json()["status"] == "open"
    assert asked.json()["filled"] == 0
    for person in people:
        assert (
            cqc.post("/api/assignments/", {"visit": visit.key, "person": person.key}).status_code
            == 201
        )
    request.refresh_from_db()
    assert request.status == "filled" and place_request_filled(request) == 2  # not 3 of 2
    # a second request is not filled by the people who filled the first (or Carol)
    second = hmip.post(
        "/api/place-requests/", {"visit": visit.key, "body": "cqc", "places": 1}, format="json"
    ).json()
    assert second["status"] == "open" and second["filled"] == 0
    assert PlaceRequest.objects.get(pk=second["id"]).status == "open"
    # the list filters by visit
    other = joint(cast, today, establishment=cast.southgate)
    hmip.post(
        "/api/place-requests/", {"visit": other.key, "body": "cqc", "places": 1}, format="json"
    )
    rows = hmip.get(f"/api/place-requests/?visit={visit.key}").json()["results"]
    assert sorted(r["id"] for r in rows) == sorted([request.pk, second["id"]])


def test_an_alert_about_a_partners_person_reaches_only_that_persons_body(cast, client_for, today):
    """Issue 13 probe, item 1: the home inbox listed a joint visit's alerts by the visit's
    lead body, so HMIP's managers read why CQC's Carol was not clear (her tie) and CQC's
    managers, whose person it is, got nothing."""
    from armslength.accounts.inbox import inbox_for
    from armslength.core import access
    from armslength.visits.models import VisitAlert

    visit = joint(cast, today, establishment=cast.southgate)
    assignment_add(visit=visit, person=cast.carol, role="member")
    VisitAlert.objects.create(
        visit=visit,
        person=cast.carol,
        verdict="refrain",
        text="Refrain from interviewing her sister the deputy governor at HMP Southgate",
    )
    tie = "her sister the deputy governor"
    assert not any(tie in i.text for i in inbox_for(cast.hmip_manager, today))
    assert any(tie in i.text for i in inbox_for(cast.cqc_manager, today))
    assert not access.readable(cast.hmip_manager, VisitAlert).exists()
    hmip = client_for(cast.hmip_manager)
    assert tie not in hmip.get(reverse("home")).content.decode()
    assert tie not in hmip.get(visit.get_absolute_url()).content.decode()
    cqc = client_for(cast.cqc_manager)
    assert tie in cqc.get(reverse("home")).content.decode()
    assert tie in cqc.get(visit.get_absolute_url()).content.decode()
    # a leaver's removal is news for every body taking part
    VisitAlert.objects.create(
        visit=visit, person=cast.carol, verdict="left", text="Carol Carter has left"
    )
    assert any("Carol Carter has left" in i.text for i in inbox_for(cast.hmip_manager, today))


def test_only_the_lead_bodys_managers_name_the_lead(cast, today):
    """Issue 18 probe, item 6: CQC's manager made Carol the lead of HMIP's visit (API 201),
    and HMIP could then not name its own lead."""
    cast.carol.key, cast.alice.key = "carol", "alice"
    cast.carol.save()
    cast.alice.save()
    cast.alice.can_lead = True
    cast.alice.save()
    visit = joint(cast, today, establishment=cast.southgate)
    cqc, hmip = api_as(cast.cqc_manager), api_as(cast.hmip_manager)
    refused = cqc.post(
        "/api/assignments/", {"visit": visit.key, "person": "carol", "role": "lead"}, format="json"
    )
    assert refused.status_code == 400 and "HMIP" in refused.content.decode()
    assert not Assignment.objects.filter(visit=visit, role="lead").exists()
    with pytest.raises(AssignmentRefused):
        assignment_add(visit=visit, person=cast.carol, role="lead")
    # as a member Carol is welcome, and HMIP names its own lead
    assert cqc.post("/api/assignments/", {"visit": visit.key, "person": "carol"}).status_code == 201
    lead = hmip.post(
        "/api/assignments/", {"visit": visit.key, "person": "alice", "role": "lead"}, format="json"
    )
    assert lead.status_code == 201, lead.content


def test_a_partners_manager_requests_an_override_through_both_doors(cast, client_for, today):
    """Issue 13 probe, item 7: the web let CQC's manager ask to lower the verdict of CQC's
    person on HMIP's joint visit, while the API said the visit did not exist (it looked the
    visit up among those CQC may change). Both doors follow `override.request`."""
    from armslength.declarations.models import Affiliation
    from armslength.visits.models import Override

    visit = joint(cast, today)
    assignment_add(visit=visit, person=cast.carol, role="member")
    Affiliation.objects.create(
        person=cast.carol, kind="employment", organisation=cast.hmpps, end="2020-01-01"
    )
    client_for(cast.cqc_manager).post(
        reverse("visits:override_request", args=[visit.pk]),
        {"person": cast.carol.pk, "verdict_to": "clear", "reason": "Long ago"},
    )
    assert Override.objects.filter(visit=visit, person=cast.carol).count() == 1
    Override.objects.all().delete()
    response = api_as(cast.cqc_manager).post(
        "/api/overrides/",
        {"visit": visit.key, "person": cast.carol.key, "verdict_to": "clear", "reason": "Long ago"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Override.objects.filter(visit=visit, person=cast.carol).count() == 1
    # a body not taking part is refused by both doors alike
    other = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.northbridge,
        start=visit.start,
        end=visit.end,
        team_size=2,
    )
    response = api_as(cast.cqc_manager).post(
        "/api/overrides/",
        {"visit": other.key, "person": cast.carol.key, "verdict_to": "clear", "reason": "x"},
        format="json",
    )
    assert response.status_code in (400, 403)
    assert not Override.objects.filter(visit=other).exists()
