"""Every view of a tie, supervision notes or special-category data is logged for auditors."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.urls import reverse
from rest_framework.test import APIClient

from armslength.api.models import ApiToken
from armslength.compliance.models import Supervision
from armslength.declarations.models import Affiliation
from armslength.register.models import Person


def accesses():
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")


def test_viewing_a_tie_is_logged_and_an_ordinary_declaration_is_not(cast, client_for):
    tie = Affiliation.objects.create(
        person=cast.alice,
        kind="family",
        establishment=cast.northbridge,
        with_role="authority",
        detail="her sister, the governor",
        start=dt.date(2020, 1, 1),
    )
    job = Affiliation.objects.create(
        person=cast.alice, kind="employment", organisation=cast.hmpps, start=dt.date(2010, 1, 1)
    )
    manager = client_for(cast.hmip_manager)
    manager.get(reverse("declarations:affiliation_detail", args=[job.pk]))
    assert not accesses().exists()
    manager.get(reverse("declarations:affiliation_detail", args=[tie.pk]))
    manager.get(reverse("declarations:affiliation_edit", args=[tie.pk]))
    entries = list(accesses())
    assert len(entries) == 2
    assert entries[0].actor == cast.hmip_manager
    assert entries[0].object_pk == str(tie.pk)
    assert entries[0].additional_data["viewed"] == "family tie"


def test_supervision_notes_and_own_special_category_data_are_logged(cast, client_for):
    supervision = Supervision.objects.create(
        person=cast.sam, date=dt.date.today(), notes="Raised worry about former colleagues"
    )
    client_for(cast.hmip_manager).get(
        reverse("compliance:supervision_detail", args=[supervision.pk])
    )
    Person.objects.filter(pk=cast.alice.pk).update(minority_status="yes")
    client_for(cast.alice_user).get(reverse("accounts:my_profile"))
    viewed = [(e.actor.username, e.additional_data["viewed"]) for e in accesses()]
    assert viewed == [
        ("hmip.manager", "supervision notes"),
        ("alice", "special-category data (ethnicity, minority status)"),
    ]


def test_ties_read_through_the_api_are_logged(cast):
    Affiliation.objects.create(
        person=cast.alice,
        kind="friendship",
        establishment=cast.northbridge,
        with_role="staff",
        start=dt.date(2020, 1, 1),
    )
    _token, secret = ApiToken.issue(cast.hmip_manager, "t")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    api.get("/api/declarations/")
    assert accesses().get().additional_data["where"] == "/api/declarations/"


def test_auditors_review_the_access_log_in_the_audit_trail(cast, client_for):
    supervision = Supervision.objects.create(person=cast.sam, date=dt.date.today(), notes="x")
    client_for(cast.hmip_manager).get(
        reverse("compliance:supervision_detail", args=[supervision.pk])
    )
    auditor = client_for(cast.auditor)
    page = auditor.get(reverse("audit:trail"), {"action": LogEntry.Action.ACCESS})
    assert "Supervision notes viewed" in page.text and "hmip.manager" in page.text
    csv = auditor.get(
        reverse("audit:trail"), {"action": LogEntry.Action.ACCESS, "export": "csv"}
    ).getvalue()
    assert b"viewed supervision notes" in csv
