"""A recruitment answer once given is never erased (issue 17, UK-11 and the APT's
selection test; a defect found by an outside probe).

Sam's secondment was recorded as not merit-based: the `secondee-selection` finding
is open. Erasing the answer back to "not recorded" (a PATCH with null, an empty web
field) would silence it; every door refuses. An import's empty cell or absent column
means "not recorded" for a new record only: an existing answer is kept.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from armslength.compliance.forms import RecruitmentRecordForm
from armslength.compliance.models import RecruitmentRecord
from armslength.register.forms import RecruitmentQuestions, SecondmentForm
from armslength.register.models import Secondment
from armslength.screening.services import findings_for_people, screen_register
from tests.test_amended_register import _csv, _sheet
from tests.test_api import api_as, keyed


@pytest.fixture
def answered(cast):
    s = cast.sam_secondment
    s.inclusive, s.merit_based = True, False
    s.save()
    return s


def selection_finding(cast) -> bool:
    findings = findings_for_people(screen_register(), [cast.sam.key])
    return any(f.rule == "secondee-selection" for f in findings)


def test_the_api_refuses_to_erase_an_answer_with_null(cast, answered):
    keyed(cast)
    assert selection_finding(cast)
    api = api_as(cast.hmip_manager)
    response = api.patch(f"/api/secondments/{answered.pk}/", {"merit_based": None}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["merit_based"]
    assert "cannot be erased" in errors[0]["message"]
    answered.refresh_from_db()
    assert answered.merit_based is False and selection_finding(cast)
    # changing the answer is still allowed: a "no" corrected to "yes" is an answer
    changed = api.patch(f"/api/secondments/{answered.pk}/", {"merit_based": True}, format="json")
    assert changed.status_code == 200, changed.content


def test_an_empty_web_field_does_not_erase_the_answer(cast, client_for, answered):
    response = client_for(cast.hmip_manager).post(
        reverse("register:secondment_edit", args=[answered.pk]),
        {
            "person": cast.sam.pk,
            "origin": cast.hmpps.pk,
            "origin_establishment": cast.northbridge.pk,
            "start": answered.start.isoformat(),
            "end": answered.end.isoformat(),
            "inclusive": "True",
            "justification": "Custody expertise",
        },
    )
    assert response.status_code == 400
    assert "cannot be erased" in response.context["form"].errors["merit_based"][0]
    answered.refresh_from_db()
    assert answered.merit_based is False


def test_the_recruitment_record_keeps_its_answers_and_never_erases_the_secondments(
    cast, client_for, answered
):
    record = RecruitmentRecord.objects.create(
        person=cast.sam, secondment=answered, post="Inspector", inclusive=True, merit_based=False
    )
    client = client_for(cast.hmip_manager)
    response = client.post(
        reverse("compliance:recruitmentrecord_edit", args=[record.pk]),
        {
            "person": cast.sam.pk,
            "secondment": answered.pk,
            "post": "Inspector",
            "inclusive": "True",
            "justification": "Custody expertise",
        },
    )
    assert response.status_code == 400
    assert "cannot be erased" in response.context["form"].errors["merit_based"][0]
    # a record never answered (an older one) passes on nothing that would erase
    RecruitmentRecord.objects.filter(pk=record.pk).update(inclusive=None, merit_based=None)
    record.refresh_from_db()
    record.sync_secondment()
    answered.refresh_from_db()
    assert (answered.inclusive, answered.merit_based) == (True, False)


def test_an_import_keeps_an_answer_its_cell_or_column_leaves_empty(cast, answered):
    start = answered.start.isoformat()
    _sheet(
        "secondments",
        _csv("person,origin,start,inclusive,merit_based", f"{cast.sam.key},hmpps,{start},,"),
        cast.hmip,
    )
    _sheet("secondments", _csv("person,origin,start", f"{cast.sam.key},hmpps,{start}"), cast.hmip)
    answered.refresh_from_db()
    assert (answered.inclusive, answered.merit_based) == (True, False)
    # a new record from the same file shape stays not recorded
    new_start = (answered.start - dt.timedelta(days=2000)).isoformat()
    _sheet(
        "secondments",
        _csv("person,origin,start,end", f"{cast.sam.key},hmpps,{new_start},{new_start}"),
        cast.hmip,
    )
    older = Secondment.objects.get(person=cast.sam, start=dt.date.fromisoformat(new_start))
    assert (older.inclusive, older.merit_based) == (None, None)


def test_the_questions_are_declared_once_for_both_forms():
    for form in (SecondmentForm, RecruitmentRecordForm):
        assert issubclass(form, RecruitmentQuestions)
        for name in ("inclusive", "merit_based"):
            assert form.base_fields[name].label == RecruitmentQuestions.base_fields[name].label
