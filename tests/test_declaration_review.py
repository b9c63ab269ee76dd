"""Declarations keep their review (issue 13): once a manager has reviewed a declaration,
its declarant's edit or end waits for a manager; it is ended, never deleted, by them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from armslength.declarations.models import Affiliation
from armslength.screening.services import screen_register
from tests.test_api import api_as, keyed


@pytest.fixture
def position(cast, today):
    """Alice holds a position at HMP Southgate, declared by her and accepted by her manager."""
    return Affiliation.objects.create(
        person=cast.alice,
        kind="position",
        establishment=cast.southgate,
        role="Board member",
        start=today - dt.timedelta(days=400),
        status="accepted",
        declared_by=cast.alice_user,
        reviewed_by=cast.hmip_manager,
        reviewed_at=timezone.now(),
    )


def verdict(cast, today):
    return screen_register().for_pair(cast.alice.key, cast.southgate.key, today, today).verdict.code


def test_a_backdated_end_by_the_declarant_changes_no_verdict_until_accepted(
    cast, client_for, position, today
):
    assert verdict(cast, today) == "block"
    backdated = today - dt.timedelta(days=200)
    client_for(cast.alice_user).post(
        reverse("declarations:affiliation_end", args=[position.pk]), {"end": backdated}
    )
    position.refresh_from_db()
    assert position.end is None and position.status == "pending"
    assert position.proposed == {"end": backdated.isoformat()}
    assert verdict(cast, today) == "block"
    client_for(cast.hmip_manager).post(
        reverse("declarations:affiliation_review", args=[position.pk]), {"status": "accepted"}
    )
    position.refresh_from_db()
    assert position.end == backdated and position.proposed == {} and position.status == "accepted"
    assert verdict(cast, today) != "block"


def test_the_declarants_edit_through_the_api_waits_for_review_as_on_the_web(cast, position, today):
    keyed(cast)
    response = api_as(cast.alice_user).patch(
        f"/api/declarations/{position.pk}/",
        {"end": (today - dt.timedelta(days=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "pending" and response.json()["end"] is None
    assert "end" in response.json()["proposed"]
    assert verdict(cast, today) == "block"


def test_a_managers_query_leaves_the_change_waiting(cast, client_for, position, today):
    client_for(cast.alice_user).post(
        reverse("declarations:affiliation_end", args=[position.pk]), {"end": today}
    )
    client_for(cast.hmip_manager).post(
        reverse("declarations:affiliation_review", args=[position.pk]),
        {"status": "queried", "note": "Which board?"},
    )
    position.refresh_from_db()
    assert position.status == "queried" and position.end is None and position.proposed


def test_a_reviewed_declaration_cannot_be_deleted_by_its_declarant_web_or_api(
    cast, client_for, position
):
    keyed(cast)
    page = client_for(cast.alice_user).post(
        reverse("declarations:affiliation_delete", args=[position.pk]), follow=True
    )
    assert "end it on the date it ended" in page.content.decode()
    response = api_as(cast.alice_user).delete(f"/api/declarations/{position.pk}/")
    assert response.status_code == 403 and "end it" in response.json()["errors"][0]["message"]
    assert Affiliation.objects.filter(pk=position.pk).exists()
    # her manager may still remove a declaration made in error
    client_for(cast.hmip_manager).post(
        reverse("declarations:affiliation_delete", args=[position.pk])
    )
    assert not Affiliation.objects.filter(pk=position.pk).exists()


def test_an_unreviewed_declaration_is_the_declarants_to_correct_or_delete(cast, client_for):
    keyed(cast)
    api = api_as(cast.alice_user)
    made = api.post(
        "/api/declarations/",
        {"person": "alice", "kind": "employment", "organisation": "moj", "role": "Adviser"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert (
        api.patch(f"/api/declarations/{pk}/", {"role": "Lawyer"}, format="json").json()["role"]
        == "Lawyer"
    )
    assert api.delete(f"/api/declarations/{pk}/").status_code == 204


def test_staff_declare_through_the_api_as_on_the_web_but_only_for_themselves(cast, client_for):
    keyed(cast)
    api = api_as(cast.alice_user)
    made = api.post(
        "/api/declarations/",
        {"person": "alice", "kind": "family", "organisation": "moj", "with_role": "staff"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    declaration = Affiliation.objects.get(pk=made.json()["id"])
    assert declaration.declared_by == cast.alice_user and declaration.status == "pending"
    other = api.post(
        "/api/declarations/",
        {"person": "sam", "kind": "family", "organisation": "moj", "with_role": "staff"},
        format="json",
    )
    assert other.status_code == 400
    web = client_for(cast.alice_user).post(
        reverse("declarations:affiliation_add"),
        {
            "person": cast.alice.pk,
            "kind": "family",
            "organisation": cast.moj.pk,
            "with_role": "staff",
        },
    )
    assert web.status_code == 302
    assert Affiliation.objects.filter(person=cast.alice, kind="family").count() == 2


def test_nobody_reviews_their_own_declaration(cast, client_for, position):
    cast.alice_user.role = "manager"  # Alice is promoted: still not her own reviewer
    cast.alice_user.save()
    response = client_for(cast.alice_user).post(
        reverse("declarations:affiliation_review", args=[position.pk]), {"status": "accepted"}
    )
    assert response.status_code == 403
