"""Leaving as a workflow (issue 18): Alice, an HMIP inspector, leaves.

Her manager sets the leaving date; she is asked to acknowledge continuing
confidentiality before it; her places on later visits are listed, removed on
the manager's confirmation, and the visits' managers alerted; from the date her
account cannot sign in, her open session ends and her API token is refused.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format
from rest_framework.test import APIClient

from armslength.api.models import ApiToken
from armslength.compliance.models import Acknowledgement
from armslength.compliance.services import reminders_due
from armslength.visits.models import Assignment, Visit, VisitAlert
from armslength.visits.services import assignment_add, exit_checklist
from tests.conftest import PASSWORD


def visit_on(cast, start, body=None, partners=()):
    visit = Visit.objects.create(
        body=body or cast.hmip,
        establishment=cast.southgate,
        start=start,
        end=start + dt.timedelta(days=1),
        team_size=2,
    )
    visit.partner_bodies.set(partners)
    return visit


@pytest.fixture
def alice_booked(cast, today):
    before = visit_on(cast, today + dt.timedelta(days=5))
    after = visit_on(cast, today + dt.timedelta(days=40))
    joint = visit_on(cast, today + dt.timedelta(days=60), body=cast.cqc, partners=[cast.hmip])
    for visit in (before, after, joint):
        assignment_add(visit=visit, person=cast.alice, role="member")
    return before, after, joint


def test_setting_a_leaving_date_opens_the_checklist_and_asks_for_the_acknowledgement_before(
    cast, client_for, today, alice_booked, django_capture_on_commit_callbacks
):
    _before, after, joint = alice_booked
    leaving = today + dt.timedelta(days=10)
    client = client_for(cast.hmip_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("visits:leaving", args=[cast.alice.pk]), {"left": leaving.isoformat()}
        )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Exit checklist" in page and "To do:" in page
    # the places listed are those on visits that run past the date, not the earlier one
    cast.alice.refresh_from_db()
    checklist = exit_checklist(person=cast.alice)
    assert {a.visit for a in checklist.later_places} == {after, joint}
    assert str(after.establishment.name) in page
    # asked before the date: by email, on her home page and in the reminder digest
    asked = [m for m in mail.outbox if "acknowledge continuing confidentiality" in m.subject]
    assert asked and asked[0].to == [cast.alice_user.email]
    home = client_for(cast.alice_user).get(reverse("home")).content.decode()
    assert "Acknowledge continuing confidentiality" in home
    lines = [i for d in reminders_due(today=today) if d.user == cast.alice_user for i in d.items]
    assert any("You leave on" in line for line in lines)
    # she acknowledges (before the date); the checklist shows it done
    client = client_for(cast.alice_user)
    client.post(reverse("compliance:acknowledge", args=["exit_confidentiality"]), {"confirm": "on"})
    ack = Acknowledgement.objects.get(person=cast.alice, kind="exit_confidentiality")
    assert ack.date < leaving
    assert exit_checklist(person=cast.alice).acknowledged_on == ack.date


def test_later_places_are_removed_on_confirmation_and_the_visits_managers_alerted(
    cast, client_for, today, alice_booked, django_capture_on_commit_callbacks
):
    before, after, joint = alice_booked
    client = client_for(cast.hmip_manager)
    client.post(
        reverse("visits:leaving", args=[cast.alice.pk]),
        {"left": (today + dt.timedelta(days=10)).isoformat()},
    )
    assert Assignment.objects.filter(person=cast.alice).count() == 3  # nothing without a yes
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("visits:leaving", args=[cast.alice.pk]), {"action": "remove_places"})
    assert list(Assignment.objects.filter(person=cast.alice).values_list("visit", flat=True)) == [
        before.pk
    ]
    alerts = VisitAlert.objects.filter(person=cast.alice, verdict="left")
    assert {a.visit for a in alerts} == {after, joint}
    # the joint visit's lead body (CQC) is told, as well as her own body
    to = {address for m in mail.outbox for address in m.to}
    assert {cast.hmip_manager.email, cast.cqc_manager.email} <= to
    cqc_page = client_for(cast.cqc_manager).get(joint.get_absolute_url()).content.decode()
    assert "is leaving" in cqc_page and "Alice Adams" in cqc_page
    # another body reads name and role only: not her leaving date (outside probe, issue 18)
    left = cast.alice.__class__.objects.get(pk=cast.alice.pk).left
    for shown in (cqc_page, *(m.body for m in mail.outbox if cast.cqc_manager.email in m.to)):
        assert left.isoformat() not in shown
        assert date_format(left, "DATE_FORMAT") not in shown
    # a manager of another body cannot open the checklist of HMIP's person
    other = client_for(cast.cqc_manager)
    assert other.get(reverse("visits:leaving", args=[cast.alice.pk])).status_code == 404
    assert client_for(cast.alice_user).get(
        reverse("visits:leaving", args=[cast.alice.pk])
    ).status_code in (403, 404)


def test_from_the_leaving_date_sign_in_sessions_and_tokens_are_refused(cast, client_for, today):
    _token, secret = ApiToken.issue(cast.alice_user, "sync")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    session = client_for(cast.alice_user)
    # the day before: all works
    cast.alice.left = today + dt.timedelta(days=1)
    cast.alice.save()
    assert api.get("/api/people/").status_code == 200
    assert session.get(reverse("home")).status_code == 200
    signed_in = Client().post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert signed_in.status_code == 302
    # from the date itself: refused everywhere, with no daily job run
    cast.alice.left = today
    cast.alice.save()
    refused = api.get("/api/people/")
    assert refused.status_code == 401 and "left" in refused.json()["errors"][0]["message"]
    assert session.get(reverse("home")).status_code == 302  # sent to sign in
    form = Client().post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert form.status_code == 200 and "_auth_user_id" not in form.wsgi_request.session


def test_the_remind_command_asks_a_leaver_before_the_date(cast, today):
    cast.alice.left = today + dt.timedelta(days=7)
    cast.alice.save()
    mail.outbox.clear()
    call_command("remind")
    to_alice = [m for m in mail.outbox if m.to == [cast.alice_user.email]]
    assert to_alice and "You leave on" in to_alice[0].body


def test_a_bad_leaving_date_is_refused_with_a_message_and_nothing_written(cast, client_for, today):
    cast.alice.joined = today - dt.timedelta(days=30)
    cast.alice.save()
    client = client_for(cast.hmip_manager)
    url = reverse("visits:leaving", args=[cast.alice.pk])
    for bad, words in (
        ("31/02/2027", "Enter a valid date"),
        ((today - dt.timedelta(days=60)).isoformat(), "before the joining date"),
        ("\u202e2027-01-01", "Enter a valid date"),
    ):
        page = client.post(url, {"left": bad})
        assert page.status_code == 400 and words in page.content.decode()
    cast.alice.refresh_from_db()
    assert cast.alice.left is None
    assert client.post(url, {"action": "remove_places"}, follow=True).status_code == 200
    assert client_for(cast.auditor).post(url, {"left": today.isoformat()}).status_code == 403


def test_a_leaving_date_set_through_the_api_asks_for_the_acknowledgement_too(
    cast, today, django_capture_on_commit_callbacks
):
    cast.alice.key = "alice"
    cast.alice.save()
    _token, secret = ApiToken.issue(cast.hmip_manager, "HR sync")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    leaving = (today + dt.timedelta(days=20)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch("/api/people/alice/", {"left": leaving}, format="json")
    assert response.status_code == 200, response.content
    assert [m.to for m in mail.outbox if "acknowledge" in m.subject] == [[cast.alice_user.email]]
