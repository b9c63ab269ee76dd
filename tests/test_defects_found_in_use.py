"""Defects a walk through the app as every role found (issue 19), each proven fixed.

Each test is named after the defect; each failed on the code before its fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from armslength.reports.report import build_report
from armslength.spreadsheets.columns import KINDS
from armslength.spreadsheets.importer import Mapping, check
from armslength.spreadsheets.reading import read_sheet
from armslength.visits.models import Visit
from armslength.visits.services import AssignmentRefused, assignment_add


def csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def test_recruitment_form_sends_its_document_as_multipart(cast, client_for):
    """The upload never reached the server: the form lacked the multipart encoding."""
    client = client_for(cast.hmip_manager)
    page = client.get(reverse("compliance:recruitmentrecord_add")).content.decode()
    form = page[page.index('<form method="post" class="stack form-card"') :]
    assert 'enctype="multipart/form-data"' in form[: form.index(">")]


def test_import_check_lists_duplicate_key_and_leaving_before_joining_on_first_pass(cast):
    """Rows with another bad cell hid their duplicate key and their date order until re-upload."""
    people = csv_bytes(
        ["key", "name", "category", "gender", "joined", "left", "npm_share", "full_time_npm"],
        [
            ["p1", "Good", "staff", "female", "2024-01-01", "", "", "yes"],
            ["p2", "Also good", "staff", "female", "2024-01-01", "", "", "yes"],
            ["p1", "Twice", "boss", "female", "", "", "", "yes"],
            ["p3", "Left first", "staff", "alien", "2024-05-01", "2024-01-01", "", "yes"],
        ],
    )
    sheet = read_sheet(people, "people.csv")
    kind = KINDS["people"]
    plan = check(kind, sheet, Mapping.guess(kind, sheet.header), body=cast.hmip)
    found = {(e.row, e.column) for e in plan.errors}
    assert (4, "category") in found and (5, "gender") in found
    assert (4, "key") in found, "the duplicate key is found with the row's other error"
    assert (5, "left") in found, "leaving before joining is found with the row's other error"


def test_import_errors_show_the_cell_value_they_are_about(cast):
    """An `npm_share` of 1.7 was reported with an empty "Value"."""
    people = csv_bytes(
        ["key", "name", "category", "gender", "npm_share", "full_time_npm"],
        [["p1", "Share", "staff", "female", "1.7", "no"]],
    )
    sheet = read_sheet(people, "people.csv")
    kind = KINDS["people"]
    plan = check(kind, sheet, Mapping.guess(kind, sheet.header), body=cast.hmip)
    (error,) = plan.errors
    assert (error.column, error.value) == ("npm_share", "1.7")


def test_secondee_as_lead_refusal_counts_under_its_rule_not_not_recorded(cast, today):
    """A refusal for "secondee as lead" was counted under rule "not recorded"."""
    visit = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate.__class__.objects.create(
            key="hmp-elsewhere", name="HMP Elsewhere", type="prison", operator=cast.moj
        ),
        start=today - dt.timedelta(days=3),
        end=today - dt.timedelta(days=2),
    )
    with pytest.raises(AssignmentRefused):
        assignment_add(visit=visit, person=cast.sam, role="lead", user=cast.hmip_manager)
    report = build_report(today.year, body=cast.hmip, today=today)
    (refused,) = [
        t
        for s in report.sections
        if s.key == "visits"
        for t in s.tables
        if t.key == "refused_by_rule"
    ]
    rules = [r[0] for r in refused.rows]
    assert "not recorded" not in rules
    assert any("team-lead" in str(r) for r in rules), rules


def visit_post(cast, **overrides) -> dict:
    data = {
        "establishment": cast.southgate.pk,
        "body": cast.hmip.pk,
        "start": "2031-03-03",
        "end": "2031-03-04",
        "type": "announced",
        "status": "planned",
        "team_size": "2",
        "min_women": "0",
        "needs_lead": "on",
    }
    data.update(overrides)
    return data


def requirement_inputs(page: str) -> dict[str, str]:
    """{expertise label: input name} of the visit form's per-expertise number boxes."""
    import re

    found = re.findall(
        r'<label class="requirement"><span>([^<]+)</span>\s*<input[^>]*name="([^"]+)"', page
    )
    return dict(found)


def test_visit_form_takes_expertise_counts_one_box_each_not_raw_json(cast, client_for):
    """The form took `{"legal": 3, "astrology": 1}` as typed JSON."""
    client = client_for(cast.hmip_manager)
    page = client.get(reverse("visits:visit_add")).content.decode()
    boxes = requirement_inputs(page)
    assert {"Legal", "Medical"} <= set(boxes)
    response = client.post(
        reverse("visits:visit_add"),
        visit_post(cast, **{boxes["Legal"]: "1", boxes["Medical"]: "2"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = Visit.objects.get(start="2031-03-03")
    assert visit.requires == {"legal": 1, "medical": 2}
    shown = client.get(visit.get_absolute_url()).content.decode()
    assert "Legal: 1, Medical: 2" in shown and "{&#x27;legal&#x27;" not in shown


def test_visit_form_refuses_more_of_one_expertise_or_women_than_the_team_holds(cast, client_for):
    """A team of 2 was saved needing 3 lawyers and 5 women."""
    client = client_for(cast.hmip_manager)
    boxes = requirement_inputs(client.get(reverse("visits:visit_add")).content.decode())
    response = client.post(
        reverse("visits:visit_add"), visit_post(cast, min_women="5", **{boxes["Legal"]: "3"})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "More people of one expertise than the team of 2 holds: Legal (3)" in page
    assert "More women than the team of 2 holds" in page
    assert not Visit.objects.exists()


def test_visit_api_refuses_unknown_expertise_and_counts_above_team_size(cast):
    """The API, like the form, refuses `astrology` and 3 lawyers for a team of 2."""
    from rest_framework.test import APIClient

    from armslength.api.models import ApiToken

    token = ApiToken.issue(user=cast.hmip_manager, name="t")[1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = {
        "establishment": "hmp-southgate",
        "start": "2031-03-03",
        "end": "2031-03-04",
        "team_size": 2,
        "requires": {"legal": 3, "astrology": 1},
    }
    response = api.post("/api/visits/", body, format="json")
    assert response.status_code == 400, response.content
    assert "astrology" in response.content.decode()
    body["requires"] = {"legal": 3}
    response = api.post("/api/visits/", body, format="json")
    assert response.status_code == 400 and "Legal (3)" in response.content.decode()
    assert not Visit.objects.exists()


def test_team_warning_says_one_woman_not_1_women(cast, today):
    """ "Needs at least 1 women"."""
    from armslength.visits.services import team_warnings

    visit = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate,
        start=today,
        end=today,
        team_size=2,
        min_women=1,
        requires={"legal": 1},
    )
    warnings = team_warnings(visit)
    assert "Needs at least 1 woman; has 0." in warnings
    assert "Needs 1 with Legal expertise; has 0." in warnings


def test_locked_out_page_says_minutes_not_pt15m(cast, client):
    """ "Wait PT15M and try again"."""
    from tests.conftest import PASSWORD  # noqa: F401

    for _attempt in range(6):
        response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    page = response.content.decode()
    assert "Wait 15 minutes and try again" in page
    assert "PT15M" not in page


def test_assessment_signed_off_shows_local_time_and_never_by_none(cast, client_for):
    """ "Signed off by None on 2025-10-18 13:00" beside "Signed off at 12:00"."""
    from django.utils import timezone

    from armslength.compliance.models import Assessment

    moment = timezone.make_aware(dt.datetime(2025, 10, 18, 12, 0), dt.UTC)
    assessment = Assessment.objects.create(
        person=cast.sam, date=dt.date(2025, 10, 17), signed_off_at=moment
    )
    page = client_for(cast.hmip_manager).get(assessment.get_absolute_url()).content.decode()
    assert "None" not in page
    assert "18 Oct 2025, 13:00" in page  # 12:00 UTC is 13:00 in London in October
    assert "12:00" not in page


def test_reason_says_this_person_holds_a_position_not_is_holds(cast, today):
    """ "…this person is holds a position…"."""
    from armslength.declarations.models import Affiliation
    from armslength.register.models import Establishment
    from armslength.screening.services import person_results, screen_register

    Establishment.objects.create(key="hmp-nobody", name="HMP Nobody", type="prison")
    Affiliation.objects.create(
        person=cast.alice,
        kind="position",
        organisation=cast.moj,
        start=today - dt.timedelta(days=30),
        status="accepted",
    )
    texts = [
        reason.text
        for _est, result in person_results(screen_register(), cast.alice)
        for reason in result.reasons
    ]
    assert any("this person holds a position" in t for t in texts), texts
    assert not any("is holds" in t for t in texts)


def test_declaration_rounds_are_reachable_from_the_menu(cast, client_for):
    """`/compliance/rounds/` was linked from no menu or page."""
    page = client_for(cast.hmip_manager).get("/").content.decode()
    assert f'href="{reverse("compliance:declarationround_list")}"' in page


@pytest.fixture(autouse=True)
def _quiet_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
