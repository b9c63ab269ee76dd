"""Each finding of specs/screening.md: when it is raised and when it is not."""

from __future__ import annotations

import pytest

from tests.engine.builders import base, person, with_secondee


def findings(run, doc, rule):
    return [f for f in run(doc)["findings"] if f["rule"] == rule]


def complete_secondee(doc=None, **secondment):
    """Sam with everything in order: assessed, supervised, acknowledged."""
    doc = with_secondee(doc, **secondment)
    doc["assessments"].append(
        {
            "person": "sam",
            "date": "2026-06-01",
            "cleared_organisations": [],
            "next_review": "2027-06-01",
        }
    )
    doc["supervisions"].append({"person": "sam", "date": "2026-12-20"})
    doc["acknowledgements"].append({"person": "sam", "kind": "independence", "date": "2026-01-06"})
    return doc


def test_complete_secondee_has_no_secondee_findings(run):
    assert not [
        f for f in run(complete_secondee())["findings"] if f["rule"].startswith("secondee-")
    ]


def test_npm_role_unset(run):
    doc = base(people=[person("alex", npm_role=None), person("kim")])
    assert [f["person"] for f in findings(run, doc, "npm-role-unset")] == ["alex"]


def test_npm_role_unset_ignores_people_who_left(run):
    doc = base(people=[person("alex", npm_role=None, left="2026-01-01")])
    assert not findings(run, doc, "npm-role-unset")


@pytest.mark.parametrize("missing", ["open_process", "published_criteria", "justification"])
def test_secondee_recruitment(run, missing):
    doc = complete_secondee()
    recruitment = doc["secondments"][0]["recruitment"]
    recruitment[missing] = "" if missing == "justification" else False
    (finding,) = findings(run, doc, "secondee-recruitment")
    assert finding["severity"] == "error" and finding["cites"] == ["UK-11"]


def test_secondee_recruitment_before_policy_start_is_not_required(run):
    doc = complete_secondee(start="2014-06-01", recruitment=None)
    assert not findings(run, doc, "secondee-recruitment")
    doc["secondments"][0]["start"] = "2014-06-02"
    assert findings(run, doc, "secondee-recruitment")


def test_secondee_assessment_missing_or_lapsed(run):
    doc = complete_secondee()
    doc["assessments"][0]["next_review"] = "2027-01-14"
    (f,) = findings(run, doc, "secondee-assessment")
    assert "due for review on 2027-01-14" in f["text"]
    doc["assessments"][0]["next_review"] = "2027-01-15"
    assert not findings(run, doc, "secondee-assessment")
    doc["assessments"] = []
    assert findings(run, doc, "secondee-assessment")


def test_secondee_findings_skip_non_npm_work(run):
    doc = with_secondee()
    doc["people"][0]["npm_role"] = "non_npm"
    assert not [f for f in run(doc)["findings"] if f["rule"].startswith("secondee-")]


def test_secondee_supervision_window(run):
    doc = complete_secondee()
    doc["supervisions"][0]["date"] = "2026-10-17"  # exactly 90 days before as_of
    assert not findings(run, doc, "secondee-supervision")
    doc["supervisions"][0]["date"] = "2026-10-16"
    assert findings(run, doc, "secondee-supervision")


def test_new_secondee_is_not_yet_due_for_supervision(run):
    doc = complete_secondee(start="2026-10-18")
    doc["supervisions"] = []
    assert not findings(run, doc, "secondee-supervision")
    doc["secondments"][0]["start"] = "2026-10-17"
    assert findings(run, doc, "secondee-supervision")


def test_secondee_awareness(run):
    doc = complete_secondee()
    assert not findings(run, doc, "secondee-awareness")
    doc["acknowledgements"][0]["kind"] = "exit_confidentiality"
    assert findings(run, doc, "secondee-awareness")


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("leadership", True, "secondee-leadership"),
        ("reports_to_origin", True, "secondee-reporting"),
        ("full_time_npm", False, "secondee-part-time"),
    ],
)
def test_secondee_position_findings(run, field, value, rule):
    doc = complete_secondee()
    assert not findings(run, doc, rule)
    doc["people"][0][field] = value
    assert findings(run, doc, rule)


def test_secondee_short_term_boundary(run):
    doc = complete_secondee(start="2026-06-01", end="2027-05-31")  # exactly twelve months
    assert not findings(run, doc, "secondee-short-term")
    doc["secondments"][0]["end"] = "2027-05-30"
    assert findings(run, doc, "secondee-short-term")


def test_a_secondee_by_secondment_whatever_the_category(run):
    doc = complete_secondee()
    doc["people"][0]["category"] = "staff"
    doc["people"][0]["leadership"] = True
    assert findings(run, doc, "secondee-leadership")


def test_incompatible_position_by_sector_or_nearest_ancestor(run):
    doc = base(people=[person("alex"), person("kim"), person("lee")])
    doc["organisations"].append({"id": "unit", "name": "Custody Unit", "parent": "police"})
    doc["affiliations"] += [
        {"person": "alex", "kind": "position", "organisation": "hmpps", "on_leave": True},
        {"person": "kim", "kind": "other_employment", "organisation": "unit"},
        {"person": "lee", "kind": "employment", "organisation": "trust"},
    ]
    assert {f["person"] for f in findings(run, doc, "incompatible-position")} == {"alex", "kim"}


def test_incompatible_position_ignores_former_positions_and_secondments(run):
    doc = with_secondee()
    doc["people"].append(person("alex"))
    doc["affiliations"].append(
        {"person": "alex", "kind": "position", "organisation": "hmpps", "end": "2020-01-01"}
    )
    assert not findings(run, doc, "incompatible-position")


def test_other_employment_for_members_and_staff_only(run):
    doc = base(people=[person("alex"), person("eve", category="external_expert")])
    for pid in ("alex", "eve"):
        doc["affiliations"].append(
            {"person": pid, "kind": "other_employment", "organisation": "trust", "role": "locum"}
        )
    assert [f["person"] for f in findings(run, doc, "other-employment")] == ["alex"]


def test_political_allegiance(run):
    doc = base(people=[person("alex")])
    doc["affiliations"].append(
        {"person": "alex", "kind": "political", "organisation": "police", "end": "2027-01-14"}
    )
    assert not findings(run, doc, "political-allegiance")
    doc["affiliations"][0]["end"] = None
    assert findings(run, doc, "political-allegiance")


@pytest.mark.parametrize(
    ("end", "raised"),
    [
        ("2027-04-15", True),  # 90 days ahead: inside the notice period
        ("2027-04-16", False),  # 91 days ahead
        ("2027-01-14", True),  # ended while active
    ],
)
def test_term_ending(run, end, raised):
    doc = base(people=[person("mo", category="member", term={"start": "2023-01-01", "end": end})])
    assert bool(findings(run, doc, "term-ending")) is raised


def test_exit_confidentiality(run):
    doc = base(people=[person("alex", left="2026-12-31")])
    assert findings(run, doc, "exit-confidentiality")
    doc["acknowledgements"].append(
        {"person": "alex", "kind": "exit_confidentiality", "date": "2026-12-30"}
    )
    assert not findings(run, doc, "exit-confidentiality")


def test_expertise_missing_per_body_and_npm_wide(run):
    doc = base(
        people=[
            person("alex", expertise=["legal"]),
            person("carol", body="cqc", expertise=["medical"]),
            person("eve", expertise=["medical"], category="external_expert"),
        ]
    )
    found = findings(run, doc, "expertise-missing")
    assert [(f.get("body"), f["missing"]) for f in found] == [
        ("cqc", ["legal"]),
        ("hmip", ["medical"]),
    ]
    doc["people"][1]["expertise"] = ["medical", "legal"]
    assert [f.get("body") for f in findings(run, doc, "expertise-missing")] == ["hmip"]


def test_expertise_missing_npm_scope(run):
    doc = base(people=[person("alex", expertise=["detention"])])
    scopes = [f.get("scope") for f in findings(run, doc, "expertise-missing")]
    assert scopes == [None, "npm"]


def test_gender_balance(run):
    people = [person(f"w{i}", gender="female") for i in range(7)]
    people += [person(f"m{i}", gender="male") for i in range(3)]
    doc = base(people=people)
    assert not findings(run, doc, "gender-balance")  # 3 of 10 is 30%: not below
    doc["people"][-1]["gender"] = "undisclosed"
    (f,) = findings(run, doc, "gender-balance")
    assert f["body"] == "hmip" and f["text"].startswith("Men are 2 of 10")
