"""The contract as amended for issue 17 (specs/screening.md).

- an organisation's `works_at`: `ngo-role` fires at the places an NGO works;
- a recruitment's `inclusive` (UK-11) and `merit_based` (APT: seconded
  officials), where an absent answer is not judged;
- every reason carries `params`, the values its English text was made from.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from armslength.engine.dataset import DatasetError, load_dataset
from tests.engine.builders import base, person, query, with_secondee
from tests.engine.test_examples import ROOT


def ngo_works_at(doc, *ests):
    (ngo,) = [o for o in doc["organisations"] if o["id"] == "ngo"]
    ngo["works_at"] = list(ests)
    return doc


def trustee(doc, pid="alex", **fields):
    doc["people"].append(person(pid))
    doc["affiliations"].append(
        {"person": pid, "kind": "ngo_role", "organisation": "ngo", "role": "trustee", **fields}
    )
    return doc


def findings(run, doc, rule):
    return [f for f in run(doc)["findings"] if f["rule"] == rule]


# --- ngo-role through works_at ------------------------------------------------


def test_ngo_role_fires_where_the_ngo_works(verdict, run):
    doc = query(trustee(ngo_works_at(base(), "east", "hosp")), "alex", "east")
    assert verdict(doc) == ("restricted", ["ngo-role"])
    (reason,) = run(doc)["results"][0]["reasons"]
    assert reason["text"] == "Share no information about detainees with Prison Reform Network"
    assert reason["params"]["organisation"] == "ngo"


def test_ngo_role_does_not_fire_where_the_ngo_does_not_work(verdict):
    doc = query(trustee(ngo_works_at(base(), "east")), "alex", "north")
    assert verdict(doc) == ("clear", [])


def test_ngo_role_with_an_ngo_that_works_nowhere_changes_nothing(verdict):
    assert verdict(query(trustee(base()), "alex", "east")) == ("clear", [])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2027-01-15", None, "restricted"),  # began on the day asked about
        ("2027-01-16", None, "clear"),  # begins the day after: a future role is ignored
        ("2010-01-01", "2020-01-01", "restricted"),  # a former role still restricts
    ],
)
def test_ngo_role_through_works_at_date_edges(verdict, start, end, expected):
    doc = trustee(ngo_works_at(base(), "east"), start=start, end=end)
    assert verdict(query(doc, "alex", "east"))[0] == expected


def test_screening_everyone_reaches_the_places_the_ngo_works(run):
    result = run(trustee(ngo_works_at(base(), "east", "hosp")))
    assert [(r["person"], r["establishment"], r["verdict"]) for r in result["results"]] == [
        ("alex", "east", "restricted"),
        ("alex", "hosp", "restricted"),
    ]


def test_works_at_naming_an_unknown_establishment_is_refused():
    with pytest.raises(DatasetError, match=r"organisations\[4\]\.works_at\[0\]: unknown"):
        load_dataset(ngo_works_at(base(), "atlantis"))


def test_works_at_must_be_a_list():
    doc = base()
    doc["organisations"][4]["works_at"] = "east"
    with pytest.raises(DatasetError, match=r"organisations\[4\]\.works_at: must be a list"):
        load_dataset(doc)


# --- recruitment: inclusive and merit_based -----------------------------------


def recruited(**answers):
    doc = with_secondee()
    doc["secondments"][0]["recruitment"].update(answers)
    return doc


@pytest.mark.parametrize(
    ("answers", "raised"),
    [({"inclusive": False}, True), ({"inclusive": True}, False), ({}, False)],
)
def test_secondee_recruitment_fires_on_a_process_recorded_as_not_inclusive(run, answers, raised):
    found = findings(run, recruited(**answers), "secondee-recruitment")
    assert bool(found) == raised
    if raised:
        assert "inclusive" in found[0]["text"] and found[0]["cites"] == ["UK-11"]


@pytest.mark.parametrize(("start", "raised"), [("2014-06-01", False), ("2014-06-02", True)])
def test_not_inclusive_is_judged_only_after_the_policy_start(run, start, raised):
    doc = recruited(inclusive=False)
    doc["secondments"][0]["start"] = start
    assert bool(findings(run, doc, "secondee-recruitment")) == raised


@pytest.mark.parametrize(
    ("answers", "raised"),
    [({"merit_based": False}, True), ({"merit_based": True}, False), ({}, False)],
)
def test_secondee_selection_fires_only_on_a_recorded_false(run, answers, raised):
    found = findings(run, recruited(**answers), "secondee-selection")
    assert bool(found) == raised
    if raised:
        assert found[0]["severity"] == "warning"
        assert found[0]["cites"] == ["APT: seconded officials"]
        assert found[0]["person"] == "sam"


def test_secondee_selection_without_a_recruitment_record_is_not_judged(run):
    doc = with_secondee()
    doc["secondments"][0]["recruitment"] = None
    assert findings(run, doc, "secondee-selection") == []


@pytest.mark.parametrize(("end", "raised"), [("2027-01-15", True), ("2027-01-14", False)])
def test_secondee_selection_concerns_current_secondments_only(run, end, raised):
    doc = recruited(merit_based=False)
    doc["secondments"][0]["end"] = end
    assert bool(findings(run, doc, "secondee-selection")) == raised


def test_secondee_selection_skips_non_npm_work(run):
    doc = recruited(merit_based=False)
    doc["people"][0]["npm_role"] = "non_npm"
    assert findings(run, doc, "secondee-selection") == []


def test_recruitment_answers_must_be_true_or_false():
    with pytest.raises(DatasetError, match=r"secondments\[0\]\.recruitment\.merit_based"):
        load_dataset(recruited(merit_based="yes"))


# --- params -------------------------------------------------------------------


def test_every_reason_carries_the_values_its_text_was_made_from(run):
    doc = trustee(ngo_works_at(with_secondee(), "east"))
    doc["affiliations"] += [
        {"person": "sam", "kind": "employment", "establishment": "yoi", "end": "2020-01-01"},
        {"person": "alex", "kind": "employment", "organisation": "moj", "end": "2020-01-01"},
        {"person": "alex", "kind": "position", "establishment": "hosp", "role": "nurse"},
    ]
    results = run(doc)["results"]
    assert len(results) >= 5
    for result in results:
        for reason in result["reasons"]:
            params = reason["params"]
            assert params["establishment"] == result["establishment"]
            shown = [v for v in params.values() if isinstance(v, str)]
            # every name or date it names is one of its values
            assert params["establishment_name"] in reason["text"] or reason["rule"] in (
                "personal-tie",
                "client",
                "ngo-role",
                "current-position",
            ), reason
            assert shown


def test_a_secondment_reason_names_its_dates_in_params(run):
    reason = run(query(with_secondee(), "sam", "north"))["results"][0]["reasons"][0]
    assert reason["text"] == "Seconded from HMP Northbridge (2026-01-05 to 2028-01-04)"
    assert reason["params"] == {
        "establishment": "north",
        "establishment_name": "HMP Northbridge",
        "start": "2026-01-05",
        "end": "2028-01-04",
        "period": "2026-01-05 to 2028-01-04",
    }


# --- the command ------------------------------------------------------------------


def test_screen_command_applies_works_at_and_the_recruitment_answers(tmp_path):
    doc = trustee(ngo_works_at(recruited(inclusive=False, merit_based=False), "east"))
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(doc))
    proc = subprocess.run(
        [sys.executable, "-m", "armslength.cli", "screen", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    alex_east = [
        r for r in result["results"] if (r["person"], r["establishment"]) == ("alex", "east")
    ]
    assert [r["verdict"] for r in alex_east] == ["restricted"]
    rules = {(f["rule"], f.get("person")) for f in result["findings"]}
    assert {("secondee-recruitment", "sam"), ("secondee-selection", "sam")} <= rules
