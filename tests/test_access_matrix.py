"""Every role against every record type: who may list, read, add, change, delete.

Each row of the matrix is one story: "the CQC manager opens HMIP's person by
guessing the URL and gets 404". 404 means the record is not in the user's
scope at all; 403 means they may read it but not do this.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from armslength.register.models import Person, Secondment

USERS = ["coordinator", "hmip_manager", "cqc_manager", "alice_user", "auditor"]

# record -> per user: (list, detail, add, edit, delete) expected status codes
MATRIX = {
    "person:alice": {
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (200, 200, 403, 403, 403),
        "auditor": (200, 200, 403, 403, 403),
    },
    "user:hmip_manager": {  # a manager's account is the coordinator's to change
        "hmip_manager": (200, 200, 200, 403, 403),
        "coordinator": (200, 200, 200, 200, 200),
    },
    "person:sam": {  # another HMIP person, as seen by the staff member Alice
        "alice_user": (200, 404, 403, 404, 404),
    },
    "secondment:sam_secondment": {
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (200, 404, 403, 404, 404),
        "auditor": (200, 200, 403, 403, 403),
    },
    "body:hmip": {
        "coordinator": (200, 200, 200, 200, 200),
        "hmip_manager": (200, 200, 403, 403, 403),
        "cqc_manager": (200, 200, 403, 403, 403),
        "alice_user": (200, 200, 403, 403, 403),
        "auditor": (200, 200, 403, 403, 403),
    },
    "organisation:hmpps": {
        "coordinator": (200, 200, 200, 200, 200),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 200, 200, 200, 200),
        "alice_user": (200, 200, 403, 403, 403),
        "auditor": (200, 200, 403, 403, 403),
    },
    "establishment:northbridge": {
        "coordinator": (200, 200, 200, 200, 200),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 200, 200, 200, 200),
        "alice_user": (200, 200, 403, 403, 403),
        "auditor": (200, 200, 403, 403, 403),
    },
    "affiliation:alice_declaration": {
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (200, 200, 200, 200, 200),  # her own declaration
        "auditor": (200, 200, 403, 403, 403),
    },
    "expertise:interpreting": {  # a managed list: everyone reads it, the coordinator keeps it
        "coordinator": (200, 200, 200, 200, 200),
        "hmip_manager": (200, 200, 403, 403, 403),
        "cqc_manager": (200, 200, 403, 403, 403),
        "alice_user": (200, 200, 403, 403, 403),
        "auditor": (200, 200, 403, 403, 403),
    },
    "affiliation:sam_declaration": {
        "alice_user": (200, 404, 200, 404, 404),  # someone else's
    },
    "assessment:sam_assessment": {
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (200, 404, 403, 404, 404),
        "auditor": (200, 200, 403, 403, 403),
    },
    "supervision:sam_supervision": {
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (200, 404, 403, 404, 404),
        "auditor": (200, 200, 403, 403, 403),
    },
    "acknowledgement:sam_acknowledgement": {
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "auditor": (200, 200, 403, 403, 403),
    },
    "visit:hmip_visit": {
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (200, 404, 403, 404, 404),  # sees only visits she is on
        "auditor": (200, 200, 403, 403, 403),
    },
    "recruitmentrecord:sam_recruitment": {
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (200, 404, 403, 404, 404),
        "auditor": (200, 200, 403, 403, 403),
    },
    "interferencereport:alice_report": {  # closed by its handler, never deleted
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 403),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (200, 200, 200, 200, 403),
        "auditor": (200, 200, 403, 403, 403),
    },
    "declarationround:hmip_round": {
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (403, 404, 403, 404, 404),
        "auditor": (200, 200, 403, 403, 403),
    },
    "trainingrecord:alice_training": {
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (200, 200, 403, 403, 403),
        "auditor": (200, 200, 403, 403, 403),
    },
    "unavailability:alice_leave": {
        "coordinator": (403, 404, 403, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (200, 200, 403, 403, 403),
        "auditor": (200, 200, 403, 403, 403),
    },
    "user:alice_user": {  # a staff account names a person: not the coordinator's (issue 12)
        "coordinator": (200, 404, 200, 404, 404),
        "hmip_manager": (200, 200, 200, 200, 200),
        "cqc_manager": (200, 404, 200, 404, 404),
        "alice_user": (403, 404, 403, 404, 404),
        "auditor": (200, 200, 403, 403, 403),
    },
}

CASES = [
    (record, user, expected)
    for record, per_user in MATRIX.items()
    for user, expected in per_user.items()
]


NAMESPACES = {
    "user": "accounts",
    "affiliation": "declarations",
    "assessment": "compliance",
    "supervision": "compliance",
    "acknowledgement": "compliance",
    "visit": "visits",
    "recruitmentrecord": "compliance",
    "interferencereport": "compliance",
    "declarationround": "compliance",
    "unavailability": "visits",
}


@pytest.fixture
def records(cast, today):
    """One record of each kind that hangs off a person or a body, for the matrix."""
    from armslength.compliance.models import (
        Acknowledgement,
        Assessment,
        DeclarationRound,
        InterferenceReport,
        RecruitmentRecord,
        Supervision,
    )
    from armslength.declarations.models import Affiliation
    from armslength.register.models import Expertise, TrainingRecord
    from armslength.visits.models import Unavailability, Visit

    return {
        "alice_declaration": Affiliation.objects.create(
            person=cast.alice, kind="employment", establishment=cast.southgate, end="2020-01-01"
        ),
        "sam_declaration": Affiliation.objects.create(
            person=cast.sam,
            kind="friendship",
            establishment=cast.southgate,
            with_role="staff",
            detail="an officer",
        ),
        "sam_assessment": Assessment.objects.create(person=cast.sam, date=today),
        "sam_supervision": Supervision.objects.create(person=cast.sam, date=today),
        "sam_acknowledgement": Acknowledgement.objects.create(
            person=cast.sam, kind="independence", date=today
        ),
        "sam_recruitment": RecruitmentRecord.objects.create(
            person=cast.sam, secondment=cast.sam_secondment, post="Inspector"
        ),
        "alice_report": InterferenceReport.objects.create(
            person=cast.alice, date=today, what="Obstruction at the gate"
        ),
        "hmip_round": DeclarationRound.objects.create(body=cast.hmip, name="Annual", due_on=today),
        "alice_training": TrainingRecord.objects.create(
            person=cast.alice,
            title="Interviewing detainees",
            skill="good_listener",
            completed=today,
        ),
        "alice_leave": Unavailability.objects.create(
            person=cast.alice, start=today, end=today, reason="Leave"
        ),
        "interpreting": Expertise.objects.create(code="interpreting", label="Interpreting"),
        "hmip_visit": Visit.objects.create(
            body=cast.hmip, establishment=cast.northbridge, start=today, end=today
        ),
    }


def _urls(model_name: str, pk: int) -> list[str]:
    ns = NAMESPACES.get(model_name, "register")
    return [
        reverse(f"{ns}:{model_name}_list"),
        reverse(f"{ns}:{model_name}_detail", args=[pk]),
        reverse(f"{ns}:{model_name}_add"),
        reverse(f"{ns}:{model_name}_edit", args=[pk]),
        reverse(f"{ns}:{model_name}_delete", args=[pk]),
    ]


@pytest.mark.parametrize(
    ("record", "user", "expected"), CASES, ids=[f"{r}-{u}" for r, u, _ in CASES]
)
def test_get_matrix(cast, records, client_for, record, user, expected):
    model_name, attr = record.split(":")
    obj = records.get(attr) or getattr(cast, attr)
    client = client_for(getattr(cast, user))
    got = tuple(client.get(url).status_code for url in _urls(model_name, obj.pk))
    assert got == expected


def test_history_follows_read_access(cast, client_for):
    url = reverse("register:person_history", args=[cast.alice.pk])
    assert client_for(cast.hmip_manager).get(url).status_code == 200
    assert client_for(cast.cqc_manager).get(url).status_code == 404
    assert client_for(cast.auditor).get(url).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(cast, client):
    response = client.get(reverse("register:person_detail", args=[cast.alice.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_shows_only_own_body(cast, client_for):
    page = client_for(cast.cqc_manager).get(reverse("register:person_list")).content.decode()
    assert "Carol Carter" in page
    assert "Alice Adams" not in page and "Sam Secondee" not in page


def test_csv_export_respects_scope(cast, client_for):
    response = client_for(cast.cqc_manager).get(reverse("register:person_list") + "?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert "Carol Carter" in body and "Alice Adams" not in body


def test_xlsx_export_respects_scope_and_filters(cast, client_for):
    import io

    from openpyxl import load_workbook

    Person.objects.create(
        body=cast.cqc, name="Cora Clark", category="member", npm_role="frontline", gender="female"
    )
    client = client_for(cast.cqc_manager)
    response = client.get(reverse("register:person_list"), {"export": "xlsx", "category": "staff"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Carol Carter"]  # CQC's staff only: not HMIP's Alice, not the member Cora


def test_other_bodys_manager_cannot_change_by_post(cast, client_for):
    client = client_for(cast.cqc_manager)
    url = reverse("register:person_edit", args=[cast.alice.pk])
    response = client.post(
        url,
        {
            "name": "Hijacked",
            "body": cast.cqc.pk,
            "category": "staff",
            "gender": "female",
            "full_time_npm": "on",
        },
    )
    assert response.status_code == 404
    cast.alice.refresh_from_db()
    assert cast.alice.name == "Alice Adams"


def test_other_bodys_manager_cannot_delete_by_post(cast, client_for):
    url = reverse("register:person_delete", args=[cast.alice.pk])
    assert client_for(cast.cqc_manager).post(url).status_code == 404
    assert Person.objects.filter(pk=cast.alice.pk).exists()


def test_auditor_cannot_write_by_post(cast, client_for):
    client = client_for(cast.auditor)
    url = reverse("register:person_edit", args=[cast.alice.pk])
    assert client.post(url, {"name": "Changed"}).status_code == 403
    assert client.post(reverse("register:person_delete", args=[cast.alice.pk])).status_code == 403
    cast.alice.refresh_from_db()
    assert cast.alice.name == "Alice Adams"


def test_manager_cannot_add_a_person_to_another_body(cast, client_for):
    response = client_for(cast.hmip_manager).post(
        reverse("register:person_add"),
        {
            "name": "Smuggled In",
            "body": cast.cqc.pk,
            "category": "staff",
            "gender": "male",
            "full_time_npm": "on",
        },
    )
    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    assert not Person.objects.filter(name="Smuggled In").exists()


def test_manager_cannot_attach_a_secondment_to_another_bodys_person(cast, client_for):
    response = client_for(cast.hmip_manager).post(
        reverse("register:secondment_add"),
        {
            "person": cast.carol.pk,
            "origin": cast.hmpps.pk,
            "start": "2020-01-01",
            "end": "2020-12-31",
        },
    )
    assert response.status_code == 400
    assert "person" in response.context["form"].errors
    assert not Secondment.objects.filter(person=cast.carol).exists()


def test_audit_trail_is_for_auditors_only(cast, client_for):
    url = reverse("audit:trail")
    for user in (cast.coordinator, cast.hmip_manager, cast.alice_user):
        assert client_for(user).get(url).status_code == 403
    assert client_for(cast.auditor).get(url).status_code == 200


def test_special_category_data_is_shown_to_the_person_only(cast, client_for):
    cast.alice.ethnicity = "Welsh Traveller"
    cast.alice.save()
    url = reverse("register:person_detail", args=[cast.alice.pk])
    assert "Welsh Traveller" in client_for(cast.alice_user).get(url).content.decode()
    for user in (cast.hmip_manager, cast.auditor):
        assert "Welsh Traveller" not in client_for(user).get(url).content.decode()


def test_coordinator_home_shows_counts_not_names(cast, client_for):
    page = client_for(cast.coordinator).get(reverse("home")).content.decode()
    assert "HMIP" in page
    assert "Alice Adams" not in page and "Sam Secondee" not in page


@pytest.mark.parametrize(
    ("record", "user", "expected"), CASES, ids=[f"{r}-{u}" for r, u, _ in CASES]
)
def test_post_matrix_deletes_exactly_where_the_policy_allows(
    cast, records, client_for, record, user, expected
):
    """The same matrix by real POSTs: a delete the policy refuses leaves the record (403 or
    404, as the page); one it allows removes it, unless other records still use it (said)."""
    from django.contrib.messages import get_messages

    model_name, attr = record.split(":")
    obj = records.get(attr) or getattr(cast, attr)
    response = client_for(getattr(cast, user)).post(_urls(model_name, obj.pk)[4])
    still_there = type(obj).objects.filter(pk=obj.pk).exists()
    if expected[4] == 200:
        said = [str(m) for m in get_messages(response.wsgi_request)]
        assert response.status_code == 302
        assert not still_there or any(m.startswith("Cannot delete") for m in said), said
    else:
        assert response.status_code == expected[4] and still_there
