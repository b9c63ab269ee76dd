"""Unannounced visits are need-to-know: lists, counts, calendars, exports, API, emails.

Story: HMIP plans an unannounced visit to HMP Northbridge with Alice. Their
manager sees it. A second HMIP manager, Mo, whose brother is a governor at
Northbridge, does not learn of it anywhere, though he still sees the
announced visit there and the unannounced one at Southgate. Sam, a secondee
outside the team, sees nothing. An auditor sees everything.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from armslength.accounts.models import Role
from armslength.api.models import ApiToken
from armslength.declarations.models import Affiliation
from armslength.register.models import Person
from armslength.visits.models import Assignment, Visit
from armslength.visits.services import visit_alerts_for_person
from tests.conftest import make_user


@pytest.fixture
def story(cast, today):
    mo = Person.objects.create(
        body=cast.hmip, key="mo", name="Mo Manager", category="staff", gender="male"
    )
    Affiliation.objects.create(
        person=mo,
        kind="family",
        establishment=cast.northbridge,
        with_role="authority",
        detail="brother, the governor",
        start=dt.date(2020, 1, 1),
    )
    mo_user = make_user("mo.manager", Role.MANAGER, body=cast.hmip, person=mo)
    start = today + dt.timedelta(days=20)
    secret = Visit.objects.create(
        key="secret",
        body=cast.hmip,
        establishment=cast.northbridge,
        start=start,
        end=start,
        type="unannounced",
    )
    Assignment.objects.create(visit=secret, person=cast.alice, role="lead")
    announced = Visit.objects.create(
        key="announced", body=cast.hmip, establishment=cast.northbridge, start=start, end=start
    )
    elsewhere = Visit.objects.create(
        key="elsewhere",
        body=cast.hmip,
        establishment=cast.southgate,
        start=start,
        end=start,
        type="unannounced",
    )
    return {"mo": mo_user, "secret": secret, "announced": announced, "elsewhere": elsewhere}


def test_the_manager_and_the_team_see_it(cast, client_for, story):
    manager = client_for(cast.hmip_manager)
    assert manager.get(reverse("visits:visit_detail", args=[story["secret"].pk])).status_code == 200
    alice = client_for(cast.alice_user)
    assert alice.get(reverse("visits:visit_detail", args=[story["secret"].pk])).status_code == 200
    auditor = client_for(cast.auditor)
    assert auditor.get(reverse("visits:visit_detail", args=[story["secret"].pk])).status_code == 200


def test_a_manager_who_is_not_clear_there_never_learns_of_it(cast, client_for, story, today):
    mo = client_for(story["mo"])
    secret = story["secret"]
    assert mo.get(reverse("visits:visit_detail", args=[secret.pk])).status_code == 404
    listed = mo.get(reverse("visits:visit_list")).text
    assert "HMP Southgate" in listed  # the unannounced visit elsewhere
    assert listed.count("HMP Northbridge") == 1  # the announced one only
    exported = mo.get(reverse("visits:visit_list"), {"export": "csv"}).getvalue().decode()
    assert exported.count("HMP Northbridge") == 1
    month = {"year": secret.start.year, "month": secret.start.month}
    calendar = mo.get(reverse("visits:calendar"), month).text
    assert calendar.count("HMP Northbridge") == 1
    schedule = mo.get(reverse("visits:schedule", args=[cast.alice.pk])).text
    assert "HMP Northbridge" not in schedule
    _token, secret_token = ApiToken.issue(story["mo"], "t")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret_token}")
    assert {v["key"] for v in api.get("/api/visits/").json()["results"]} == {
        "announced",
        "elsewhere",
    }
    assert api.get("/api/visits/secret/").status_code == 404
    assert all(a["visit"] != "secret" for a in api.get("/api/assignments/").json()["results"])


def test_a_secondee_outside_the_team_sees_no_unannounced_visit(cast, client_for, story):
    sam = client_for(cast.sam_user)
    for key in ("secret", "elsewhere"):
        visit = story[key]
        assert sam.get(reverse("visits:visit_detail", args=[visit.pk])).status_code == 404
    lee = Person.objects.create(
        body=cast.hmip, key="lee", name="Lee Seconded", category="secondee", gender="male"
    )
    seconded_manager = make_user("sec.manager", Role.MANAGER, body=cast.hmip, person=lee)
    client = client_for(seconded_manager)
    listed = client.get(reverse("visits:visit_list")).text
    assert "HMP Southgate" not in listed and listed.count("HMP Northbridge") == 1


def test_alert_emails_go_only_to_managers_who_may_know(
    cast, story, settings, django_capture_on_commit_callbacks
):
    story["mo"].email = "mo@example.org"
    story["mo"].save()
    cast.hmip_manager.email = "boss@example.org"
    cast.hmip_manager.save()
    Affiliation.objects.create(
        person=cast.alice,
        kind="friendship",
        establishment=cast.northbridge,
        with_role="staff",
        detail="an officer",
        start=dt.date(2021, 1, 1),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # mailed once committed
        assert visit_alerts_for_person(person=cast.alice)
    recipients = {r for m in mail.outbox for r in m.to}
    assert "boss@example.org" in recipients and "mo@example.org" not in recipients
