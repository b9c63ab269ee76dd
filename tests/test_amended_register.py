"""Issue 17 in the register: an organisation's "works at" establishments and the
recruitment record's two questions, through every door, to the same screening."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from armslength.compliance.models import RecruitmentRecord
from armslength.register.models import Establishment, Organisation, Person, Secondment
from armslength.screening.services import findings_for_people, person_results, screen_register
from armslength.spreadsheets.columns import KINDS
from armslength.spreadsheets.importer import Mapping, import_sheet
from armslength.spreadsheets.reading import read_sheet
from tests.test_api import api_as

START = dt.date(2025, 9, 1)


@pytest.fixture
def hospital(cast):
    trust = Organisation.objects.create(key="trust", name="Westshire Trust", sector="health")
    return Establishment.objects.create(
        key="westshire", name="Westshire Secure Unit", type="secure_hospital", operator=trust
    )


def _csv(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _sheet(kind: str, data: bytes, body=None) -> None:
    sheet = read_sheet(data, f"{kind}.csv")
    plan = import_sheet(KINDS[kind], sheet, Mapping.guess(KINDS[kind], sheet.header), body=body)
    assert plan.errors == []


def enter_by_web(cast, client_for, hospital) -> None:
    client = client_for(cast.hmip_manager)
    response = client.post(
        reverse("register:organisation_add"),
        {"name": "Reform Network", "key": "reform", "sector": "ngo", "works_at": [hospital.pk]},
    )
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(
        reverse("register:person_add"),
        {
            "name": "Pat Example",
            "key": "hmip-pat",
            "body": cast.hmip.pk,
            "category": "secondee",
            "gender": "female",
            "npm_role": "frontline",
            "full_time_npm": "on",
            "secondment-origin": cast.hmpps.pk,
            "secondment-origin_establishment": cast.northbridge.pk,
            "secondment-start": START.isoformat(),
            "secondment-open_process": "on",
            "secondment-published_criteria": "on",
            "secondment-inclusive": "False",
            "secondment-merit_based": "False",
            "secondment-justification": "Custody expertise",
        },
    )
    assert response.status_code == 302
    pat = Person.objects.get(key="hmip-pat")
    response = client.post(
        reverse("declarations:affiliation_add"),
        {
            "person": pat.pk,
            "kind": "ngo_role",
            "organisation": Organisation.objects.get(key="reform").pk,
            "role": "trustee",
            "start": "2020-01-01",
        },
    )
    assert response.status_code == 302


def enter_by_api(cast, client_for, hospital) -> None:
    api = api_as(cast.hmip_manager)
    for path, record in (
        (
            "/api/organisations/",
            {"key": "reform", "name": "Reform Network", "sector": "ngo", "works_at": ["westshire"]},
        ),
        (
            "/api/people/",
            {
                "key": "hmip-pat",
                "name": "Pat Example",
                "category": "secondee",
                "gender": "female",
                "npm_role": "frontline",
                "full_time_npm": True,
            },
        ),
        (
            "/api/secondments/",
            {
                "person": "hmip-pat",
                "origin": "hmpps",
                "origin_establishment": "hmp-northbridge",
                "start": START.isoformat(),
                "open_process": True,
                "published_criteria": True,
                "inclusive": False,
                "merit_based": False,
                "justification": "Custody expertise",
            },
        ),
        (
            "/api/declarations/",
            {
                "person": "hmip-pat",
                "kind": "ngo_role",
                "organisation": "reform",
                "role": "trustee",
                "start": "2020-01-01",
            },
        ),
    ):
        response = api.post(path, record, format="json")
        assert response.status_code == 201, (path, response.json())


def enter_by_spreadsheet(cast, client_for, hospital) -> None:
    _sheet("organisations", _csv("key,name,sector,works_at", "reform,Reform Network,ngo,westshire"))
    _sheet(
        "people",
        _csv("key,name,category,npm_role,gender", "hmip-pat,Pat Example,secondee,frontline,female"),
        cast.hmip,
    )
    _sheet(
        "secondments",
        _csv(
            "person,origin,origin_establishment,start,open_process,published_criteria,"
            "inclusive,merit_based,justification",
            f"hmip-pat,hmpps,hmp-northbridge,{START},yes,yes,no,no,Custody expertise",
        ),
        cast.hmip,
    )
    _sheet(
        "affiliations",
        _csv("person,kind,organisation,role,start", "hmip-pat,ngo_role,reform,trustee,2020-01-01"),
        cast.hmip,
    )


#: What the screening says of Pat, whichever door the facts came through.
EXPECTED_RESULTS = [
    ("hmp-northbridge", "block", ["secondment-origin", "secondment-operator"]),
    ("hmp-southgate", "block", ["secondment-operator"]),
    ("westshire", "restricted", ["ngo-role"]),
]


@pytest.mark.parametrize("door", [enter_by_web, enter_by_api, enter_by_spreadsheet])
def test_the_same_facts_through_every_door_give_the_same_screening(
    cast, client_for, hospital, door
):
    door(cast, client_for, hospital)
    pat = Person.objects.get(key="hmip-pat")
    (s,) = pat.secondments.all()
    assert (s.inclusive, s.merit_based) == (False, False)
    assert list(Organisation.objects.get(key="reform").works_at.all()) == [hospital]
    screening = screen_register()
    got = [
        (est.key, r.verdict.code, [x.rule for x in r.reasons])
        for est, r in person_results(screening, pat)
    ]
    assert got == EXPECTED_RESULTS
    rules = {f.rule for f in findings_for_people(screening, {pat.key})}
    assert {"secondee-recruitment", "secondee-selection"} <= rules
    page = client_for(cast.hmip_manager).get(reverse("register:person_detail", args=[pat.pk]))
    assert "Share no information about detainees with Reform Network" in page.text
    assert "secondee-selection" in page.text
    # the screening page itself (its rows as its own CSV export, and as HTML)
    client = client_for(cast.hmip_manager)
    response = client.get(reverse("screening:screening") + "?export=csv")
    exported = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(exported)) if r["person_key"] == pat.key]
    assert [(r["establishment_key"], r["verdict"], r["rules"].split()) for r in rows] == (
        EXPECTED_RESULTS
    )
    html = client.get(reverse("screening:screening")).text
    assert "Pat Example" in html
    assert "Share no information about detainees with Reform Network" in html


# --- the recruitment questions are required for new records only ------------------


def test_web_form_requires_both_answers_for_a_new_secondment(cast, client_for, today):
    response = client_for(cast.hmip_manager).post(
        reverse("register:secondment_add"),
        {"person": cast.sam.pk, "origin": cast.hmpps.pk, "start": "2020-01-01"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Answer yes or no" in errors["inclusive"][0]
    assert "Answer yes or no" in errors["merit_based"][0]


def test_web_form_lets_an_older_record_stay_unanswered(cast, client_for):
    s = cast.sam_secondment
    response = client_for(cast.hmip_manager).post(
        reverse("register:secondment_edit", args=[s.pk]),
        {
            "person": cast.sam.pk,
            "origin": cast.hmpps.pk,
            "origin_establishment": cast.northbridge.pk,
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
            "justification": "Still custody expertise",
            "version": s.version if hasattr(s, "version") else "",
        },
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.inclusive, s.merit_based) == (None, None)


def test_recruitment_record_form_requires_and_passes_on_both_answers(cast, client_for):
    client = client_for(cast.hmip_manager)
    url = reverse("compliance:recruitmentrecord_add")
    data = {
        "person": cast.sam.pk,
        "secondment": cast.sam_secondment.pk,
        "post": "Inspector",
        "criteria_text": "Published criteria",
        "advertised_where": "Civil Service Jobs",
        "advertised_on": "2025-01-01",
        "panel": "Two managers",
        "outcome": "Appointed",
        "justification": "Custody expertise",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"inclusive", "merit_based"}
    assert (
        client.post(url, {**data, "inclusive": "True", "merit_based": "False"}).status_code == 302
    )
    record = RecruitmentRecord.objects.get()
    assert (record.inclusive, record.merit_based) == (True, False)
    cast.sam_secondment.refresh_from_db()
    assert (cast.sam_secondment.inclusive, cast.sam_secondment.merit_based) == (True, False)


def test_api_requires_both_answers_for_a_new_secondment_only(cast):
    from tests.test_api import keyed

    keyed(cast)
    api = api_as(cast.hmip_manager)
    refused = api.post(
        "/api/secondments/",
        {"person": "sam", "origin": "hmpps", "start": "2020-01-01"},
        format="json",
    )
    assert refused.status_code == 400
    assert {e["field"] for e in refused.json()["errors"]} == {"inclusive", "merit_based"}
    s = cast.sam_secondment
    changed = api.patch(f"/api/secondments/{s.pk}/", {"justification": "Updated"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert Secondment.objects.get(pk=s.pk).inclusive is None


def test_spreadsheet_leaves_unanswered_questions_not_recorded(cast):
    _sheet(
        "secondments",
        _csv("person,origin,start", f"{cast.sam.key},hmpps,2019-05-01"),
        cast.hmip,
    )
    s = Secondment.objects.get(person=cast.sam, start=dt.date(2019, 5, 1))
    assert (s.inclusive, s.merit_based) == (None, None)
