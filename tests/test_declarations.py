"""People declare interests; managers review them; ties stay with those who need to know."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from armslength.declarations.models import Affiliation


def declare(client, person, **fields):
    data = {
        "person": person.pk,
        "kind": "family",
        "establishment": "",
        "organisation": "",
        "role": "",
        "detail": "",
        "with_role": "",
        "start": "",
        "end": "",
    }
    data.update(fields)
    return client.post(reverse("declarations:affiliation_add"), data)


def test_staff_member_declares_for_themself_only(cast, client_for):
    client = client_for(cast.alice_user)
    response = declare(
        client,
        cast.alice,
        establishment=cast.northbridge.pk,
        with_role="authority",
        detail="my sister, the governor",
    )
    assert response.status_code == 302
    declaration = Affiliation.objects.get()
    assert (declaration.declared_by, declaration.status) == (cast.alice_user, "pending")
    response = declare(
        client, cast.sam, establishment=cast.northbridge.pk, with_role="staff", detail="x"
    )
    assert response.status_code == 400 and "person" in response.context["form"].errors


def test_tie_needs_its_with_role_and_one_target(cast, client_for):
    client = client_for(cast.hmip_manager)
    response = declare(client, cast.alice, establishment=cast.northbridge.pk)
    assert "with_role" in response.context["form"].errors
    response = declare(
        client,
        cast.alice,
        establishment=cast.northbridge.pk,
        organisation=cast.hmpps.pk,
        with_role="staff",
    )
    assert "establishment" in response.context["form"].errors
    assert not Affiliation.objects.exists()


def test_declarations_are_seen_by_the_person_their_managers_and_auditors(cast, client_for):
    d = Affiliation.objects.create(
        person=cast.alice,
        kind="friendship",
        establishment=cast.southgate,
        with_role="staff",
        detail="Officer Pat Doe",
    )
    url = d.get_absolute_url()
    for user in (cast.alice_user, cast.hmip_manager, cast.auditor):
        assert "Officer Pat Doe" in client_for(user).get(url).content.decode()
    for user in (cast.sam_user, cast.cqc_manager, cast.coordinator):
        assert client_for(user).get(url).status_code == 404
    listing = client_for(cast.sam_user).get(reverse("declarations:affiliation_list"))
    assert "Officer Pat Doe" not in listing.content.decode()


def test_manager_reviews_and_a_query_needs_a_question(cast, client_for):
    d = Affiliation.objects.create(
        person=cast.alice, kind="employment", establishment=cast.southgate, end="2020-01-01"
    )
    url = reverse("declarations:affiliation_review", args=[d.pk])
    assert client_for(cast.alice_user).post(url, {"status": "accepted"}).status_code == 403
    assert client_for(cast.cqc_manager).post(url, {"status": "accepted"}).status_code == 404
    client = client_for(cast.hmip_manager)
    assert client.post(url, {"status": "queried", "note": ""}).status_code == 400
    client.post(url, {"status": "queried", "note": "Which wing?"})
    d.refresh_from_db()
    assert (d.status, d.review_note, d.reviewed_by) == ("queried", "Which wing?", cast.hmip_manager)


def test_a_persons_own_edit_goes_back_for_review(cast, client_for):
    d = Affiliation.objects.create(
        person=cast.alice,
        kind="employment",
        establishment=cast.southgate,
        end="2020-01-01",
        status="accepted",
    )
    client = client_for(cast.alice_user)
    response = client.post(
        reverse("declarations:affiliation_edit", args=[d.pk]),
        {
            "person": cast.alice.pk,
            "kind": "employment",
            "establishment": cast.southgate.pk,
            "end": "2020-06-30",
            "role": "nurse",
        },
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert (d.status, d.role) == ("pending", "nurse")


def test_a_declaration_counts_before_review_and_ending_it_clears(cast, client_for, today):
    d = Affiliation.objects.create(
        person=cast.alice,
        kind="family",
        establishment=cast.southgate,
        with_role="authority",
        detail="the governor",
    )
    person_url = reverse("register:person_detail", args=[cast.alice.pk])
    client = client_for(cast.hmip_manager)
    assert "authorities of HMP Southgate" in client.get(person_url).content.decode()
    yesterday = today - dt.timedelta(days=1)
    client.post(
        reverse("declarations:affiliation_end", args=[d.pk]), {"end": yesterday.isoformat()}
    )
    d.refresh_from_db()
    assert d.end == yesterday
    assert "Clear for every establishment" in client.get(person_url).content.decode()


def test_supervision_notes_are_confidential(cast, client_for, today):
    from armslength.compliance.models import Supervision

    s = Supervision.objects.create(
        person=cast.sam, date=today, supervisor="Head", notes="Discussed a former colleague"
    )
    url = reverse("compliance:supervision_detail", args=[s.pk])
    for user in (cast.sam_user, cast.hmip_manager, cast.auditor):
        assert "Discussed a former colleague" in client_for(user).get(url).content.decode()
    for user in (cast.alice_user, cast.cqc_manager, cast.coordinator):
        assert client_for(user).get(url).status_code == 404
