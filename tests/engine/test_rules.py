"""Each verdict rule of specs/screening.md: when it fires, when it does not, its date edges.

The secondee in these stories is Sam, seconded from HMPPS out of HMP Northbridge
(`north`) from 2026-01-05 to 2028-01-04, likely to return to HMP Southgate (`south`).
"""

from __future__ import annotations

import pytest

from tests.engine.builders import base, person, query, with_secondee


def visit(doc, vid, est, start, end):
    doc["visits"].append(
        {"id": vid, "body": "hmip", "establishment": est, "start": start, "end": end}
    )
    return doc


def affiliate(doc, pid, kind, **fields):
    doc["affiliations"].append({"person": pid, "kind": kind, **fields})
    return doc


# --- secondment-origin / secondment-return ---------------------------------


def test_secondment_origin_blocks_the_origin(verdict):
    assert verdict(query(with_secondee(), "sam", "north")) == (
        "block",
        ["secondment-origin", "secondment-operator"],
    )


def test_secondment_return_blocks_the_return_establishment(verdict):
    got, rules = verdict(query(with_secondee(), "sam", "south"))
    assert got == "block" and rules[0] == "secondment-return"


def test_secondment_rules_do_not_fire_elsewhere(verdict):
    assert verdict(query(with_secondee(), "sam", "east")) == ("clear", [])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2028-01-04", "2028-01-06", "block"),  # last day of the secondment is in the visit
        ("2028-01-05", "2028-01-06", "preparation_only"),  # the day after: a former secondee
        ("2026-01-01", "2026-01-05", "block"),  # the first day of the secondment
        ("2026-01-01", "2026-01-04", "clear"),  # before it starts: ignored
    ],
)
def test_secondment_dates_are_inclusive(verdict, start, end, expected):
    doc = visit(with_secondee(), "v", "north", start, end)
    assert verdict(query(doc, "sam", visit="v"))[0] == expected


def test_return_rule_ends_with_the_secondment(verdict):
    doc = visit(with_secondee(), "v", "south", "2028-01-05", "2028-01-06")
    assert verdict(query(doc, "sam", visit="v")) == ("clear", [])


# --- close-affiliation ------------------------------------------------------


def test_close_affiliation_any_current_tie(verdict):
    doc = affiliate(
        with_secondee(),
        "sam",
        "friendship",
        establishment="east",
        with_role="staff",
        detail="J. Smith",
        start="2020-01-01",
    )
    got, rules = verdict(query(doc, "sam", "east"))
    assert got == "block" and "close-affiliation" in rules and "personal-tie" in rules


def test_close_affiliation_former_position(verdict):
    doc = affiliate(
        with_secondee(),
        "sam",
        "position",
        establishment="east",
        role="governor",
        start="2010-01-01",
        end="2015-01-01",
    )
    got, rules = verdict(query(doc, "sam", "east"))
    assert got == "block" and rules[0] == "close-affiliation"


def test_close_affiliation_needs_a_current_secondee(verdict):
    doc = base(people=[person("alex")])
    affiliate(doc, "alex", "friendship", establishment="east", with_role="staff", detail="J. Smith")
    got, rules = verdict(query(doc, "alex", "east"))
    assert "close-affiliation" not in rules and got == "restricted"


def test_close_affiliation_ignores_former_ties(verdict):
    doc = affiliate(
        with_secondee(),
        "sam",
        "friendship",
        establishment="east",
        with_role="staff",
        detail="J. Smith",
        end="2025-12-31",
    )
    assert verdict(query(doc, "sam", "east")) == ("clear", [])


# --- secondment-operator ----------------------------------------------------


def test_operator_blocks_every_establishment_the_origin_runs(verdict):
    doc = with_secondee(origin_establishment=None, return_establishment=None)
    assert verdict(query(doc, "sam", "north")) == ("block", ["secondment-operator"])


def test_operator_reaches_through_parent_organisations(verdict, run):
    doc = with_secondee(origin="moj", origin_establishment=None, return_establishment=None)
    assert verdict(query(doc, "sam", "north")) == ("block", ["secondment-operator"])
    text = run(doc)["results"][0]["reasons"][0]["text"]
    assert "through HM Prison and Probation Service" in text


def test_an_assessment_in_force_clearing_the_origin_declares(verdict):
    doc = with_secondee(origin_establishment=None, return_establishment=None)
    doc["assessments"].append(
        {
            "person": "sam",
            "date": "2026-02-01",
            "cleared_organisations": ["hmpps"],
            "next_review": "2027-02-01",
        }
    )
    assert verdict(query(doc, "sam", "north")) == ("declared", ["secondment-operator"])


def test_clearing_a_parent_is_not_clearing_the_origin(verdict):
    doc = with_secondee(origin_establishment=None, return_establishment=None)
    doc["assessments"].append(
        {
            "person": "sam",
            "date": "2026-02-01",
            "cleared_organisations": ["moj"],
            "next_review": "2027-02-01",
        }
    )
    assert verdict(query(doc, "sam", "north"))[0] == "block"


@pytest.mark.parametrize(
    ("review", "expected"),
    [
        ("2027-01-15", "declared"),  # review day is as_of: still in force
        ("2027-01-14", "block"),  # lapsed the day before
    ],
)
def test_assessment_must_be_in_force(verdict, review, expected):
    doc = with_secondee(origin_establishment=None, return_establishment=None)
    doc["assessments"].append(
        {
            "person": "sam",
            "date": "2026-02-01",
            "cleared_organisations": ["hmpps"],
            "next_review": review,
        }
    )
    assert verdict(query(doc, "sam", "north"))[0] == expected


def test_assessment_must_cover_every_day_of_the_visit(verdict):
    doc = with_secondee(origin_establishment=None, return_establishment=None)
    doc["assessments"].append(
        {
            "person": "sam",
            "date": "2026-02-01",
            "cleared_organisations": ["hmpps"],
            "next_review": "2027-03-02",
        }
    )
    visit(doc, "v", "north", "2027-03-01", "2027-03-03")
    assert verdict(query(doc, "sam", visit="v"))[0] == "block"


def test_assessment_without_review_date_lasts_the_policy_months(verdict):
    doc = with_secondee(origin_establishment=None, return_establishment=None)
    doc["assessments"].append(
        {"person": "sam", "date": "2026-01-16", "cleared_organisations": ["hmpps"]}
    )
    assert verdict(query(doc, "sam", "north"))[0] == "declared"  # due 2027-01-16
    doc["assessments"][0]["date"] = "2026-01-14"
    assert verdict(doc)[0] == "block"  # due 2027-01-14, before as_of


def test_operator_rule_skips_unrelated_operators(verdict):
    doc = with_secondee(origin_establishment=None, return_establishment=None)
    assert verdict(query(doc, "sam", "hosp")) == ("clear", [])


# --- former-employment --------------------------------------------------------


def test_former_employment_is_preparation_only(verdict):
    doc = base(people=[person("alex")])
    affiliate(
        doc,
        "alex",
        "employment",
        establishment="east",
        role="officer",
        start="2015-03-01",
        end="2021-08-31",
    )
    assert verdict(query(doc, "alex", "east")) == ("preparation_only", ["former-employment"])


def test_ended_secondment_counts_as_former_employment(verdict):
    doc = with_secondee(start="2020-01-01", end="2022-12-31")
    assert verdict(query(doc, "sam", "north")) == ("preparation_only", ["former-employment"])


def test_employment_ending_the_day_before_a_visit_is_former(verdict):
    doc = base(people=[person("alex")])
    affiliate(doc, "alex", "employment", establishment="east", end="2027-01-31")
    visit(doc, "v", "east", "2027-02-01", "2027-02-02")
    assert verdict(query(doc, "alex", visit="v"))[0] == "preparation_only"
    doc["visits"][0]["start"] = "2027-01-31"
    assert verdict(doc)[0] == "block"  # still employed on the first day: current-position


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-08-30", "preparation_only"),  # the day before the 5th anniversary
        ("2026-08-31", "clear"),  # the anniversary: cooling-off has passed
    ],
)
def test_cooling_off_period(verdict, as_of, expected):
    doc = base(people=[person("alex")], as_of=as_of, policy={"cooling_off_years": 5})
    affiliate(doc, "alex", "employment", establishment="east", end="2021-08-31")
    assert verdict(query(doc, "alex", "east"))[0] == expected


def test_no_cooling_off_by_default(verdict):
    doc = base(people=[person("alex")], as_of="2060-01-01")
    affiliate(doc, "alex", "employment", establishment="east", end="2001-08-31")
    assert verdict(query(doc, "alex", "east"))[0] == "preparation_only"


# --- current-position ---------------------------------------------------------


def test_current_position_at_the_establishment_blocks(verdict):
    doc = base(people=[person("alex")])
    affiliate(
        doc, "alex", "position", establishment="hosp", role="psychiatrist", start="2019-01-01"
    )
    assert verdict(query(doc, "alex", "hosp")) == ("block", ["current-position"])


def test_position_on_leave_with_the_operator_blocks(verdict, run):
    doc = base(people=[person("alex")])
    affiliate(
        doc,
        "alex",
        "position",
        organisation="hmpps",
        role="inspector",
        start="2010-01-01",
        on_leave=True,
    )
    assert verdict(query(doc, "alex", "north")) == ("block", ["current-position"])
    assert run(doc)["results"][0]["reasons"][0]["text"] == (
        "On leave from inspector, HM Prison and Probation Service (since 2010-01-01)"
    )


def test_position_with_an_unrelated_organisation_does_not_block(verdict):
    doc = base(people=[person("alex")])
    affiliate(doc, "alex", "position", organisation="trust", role="nurse")
    assert verdict(query(doc, "alex", "north")) == ("clear", [])


def test_position_starting_after_the_visit_is_ignored(verdict):
    doc = base(people=[person("alex")])
    affiliate(doc, "alex", "position", establishment="hosp", start="2027-01-16")
    assert verdict(query(doc, "alex", "hosp")) == ("clear", [])


# --- personal ties ------------------------------------------------------------


def test_tie_with_the_authority_blocks(verdict):
    doc = base(people=[person("alex")])
    affiliate(
        doc, "alex", "family", establishment="east", with_role="authority", detail="the governor"
    )
    assert verdict(query(doc, "alex", "east")) == ("block", ["personal-tie-authority"])


def test_tie_with_the_operators_authority_blocks(verdict):
    doc = base(people=[person("alex")])
    affiliate(doc, "alex", "friendship", organisation="hmpps", with_role="authority")
    assert verdict(query(doc, "alex", "south"))[0] == "block"
    assert verdict(query(base(people=[person("alex")]), "alex", "south")) == ("clear", [])


def test_tie_with_staff_restricts_and_names_only_what_to_refrain_from(verdict, run):
    doc = base(people=[person("alex")])
    affiliate(
        doc, "alex", "family", establishment="east", with_role="staff", detail="Officer J. Smith"
    )
    assert verdict(query(doc, "alex", "east")) == ("restricted", ["personal-tie"])
    reason = run(doc)["results"][0]["reasons"][0]
    assert reason["text"] == "Refrain from interviewing Officer J. Smith"
    assert "family" not in reason["text"]


def test_tie_ending_the_day_before_the_visit_does_not_count(verdict):
    doc = base(people=[person("alex")])
    affiliate(doc, "alex", "family", establishment="east", with_role="authority", end="2027-01-31")
    visit(doc, "v", "east", "2027-02-01", "2027-02-03")
    assert verdict(query(doc, "alex", visit="v")) == ("clear", [])
    doc["affiliations"][0]["end"] = "2027-02-01"
    assert verdict(doc)[0] == "block"


def test_a_tie_needs_its_with_role(run):
    from armslength.engine.dataset import DatasetError, load_dataset

    doc = base(people=[person("alex")])
    affiliate(doc, "alex", "family", establishment="east")
    with pytest.raises(DatasetError, match=r"affiliations\[0\]\.with_role"):
        load_dataset(doc)


# --- client / ngo-role ----------------------------------------------------------


def test_client_held_there_restricts_even_when_former(verdict, run):
    doc = base(people=[person("alex")])
    affiliate(
        doc,
        "alex",
        "client",
        establishment="east",
        with_role="detainee",
        detail="R. Jones",
        start="2019-01-01",
        end="2020-01-01",
    )
    assert verdict(query(doc, "alex", "east")) == ("restricted", ["client"])
    assert "R. Jones" in run(doc)["results"][0]["reasons"][0]["text"]


def test_ngo_role_restricts(verdict, run):
    doc = base(people=[person("alex")])
    affiliate(
        doc,
        "alex",
        "ngo_role",
        establishment="east",
        role="Prison Reform Network",
        end="2024-01-01",
    )
    assert verdict(query(doc, "alex", "east")) == ("restricted", ["ngo-role"])
    assert run(doc)["results"][0]["reasons"][0]["text"] == (
        "Share no information about detainees with Prison Reform Network"
    )


def test_future_client_or_ngo_role_is_ignored(verdict):
    doc = base(people=[person("alex")])
    affiliate(doc, "alex", "ngo_role", establishment="east", start="2027-06-01")
    assert verdict(query(doc, "alex", "east")) == ("clear", [])


# --- former-operator-employment --------------------------------------------------


def test_former_operator_employment_is_declared(verdict):
    doc = base(people=[person("alex")])
    affiliate(
        doc, "alex", "employment", organisation="private-co", role="officer", end="2019-01-01"
    )
    assert verdict(query(doc, "alex", "east")) == ("declared", ["former-operator-employment"])


def test_current_operator_employment_is_not_former(verdict):
    doc = base(people=[person("alex")])
    affiliate(doc, "alex", "employment", organisation="private-co")
    assert verdict(query(doc, "alex", "east")) == ("block", ["current-position"])


# --- incomplete-facts ---------------------------------------------------------------


def test_secondment_without_origin_blocks_everywhere(verdict):
    doc = with_secondee(origin=None, origin_establishment=None, return_establishment=None)
    for est in ("north", "east", "hosp"):
        assert verdict(query(doc, "sam", est)) == ("block", ["incomplete-facts"])
        doc.pop("queries")


def test_establishment_without_operator_blocks_secondees_and_position_holders(verdict):
    doc = with_secondee(origin_establishment=None, return_establishment=None)
    doc["people"].append(person("alex"))
    doc["people"].append(person("kim"))
    affiliate(doc, "alex", "position", organisation="trust")
    query(doc, "sam", "nowhere")
    query(doc, "alex", "nowhere")
    query(doc, "kim", "nowhere")
    from armslength.engine.dataset import load_dataset
    from armslength.engine.screening import screen

    results = screen(load_dataset(doc)).as_json()["results"]
    assert [r["verdict"] for r in results] == ["block", "block", "clear"]
    assert all(r["reasons"][0]["rule"] == "incomplete-facts" for r in results[:2])


def test_completing_the_facts_clears(verdict):
    doc = with_secondee(origin=None, origin_establishment=None, return_establishment=None)
    assert verdict(query(doc, "sam", "hosp"))[0] == "block"
    doc["secondments"][0]["origin"] = "police"
    assert verdict(doc) == ("clear", [])


# --- ordering and the whole verdict ---------------------------------------------------


def test_reasons_are_ordered_by_severity_then_rule_table(run):
    doc = with_secondee()
    affiliate(doc, "sam", "ngo_role", establishment="north", role="NGO")
    affiliate(doc, "sam", "employment", organisation="moj", end="2020-01-01")
    result = run(query(doc, "sam", "north"))["results"][0]
    assert [r["rule"] for r in result["reasons"]] == [
        "secondment-origin",
        "close-affiliation",
        "secondment-operator",
        "ngo-role",
        "former-operator-employment",
    ]
    assert result["verdict"] == "block"


def test_visit_result_names_the_visit_and_its_establishment(run):
    doc = visit(with_secondee(), "v1", "north", "2027-02-01", "2027-02-03")
    result = run(query(doc, "sam", visit="v1"))["results"][0]
    assert (result["visit"], result["establishment"]) == ("v1", "north")
