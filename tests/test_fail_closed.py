"""Issue 12, item 8: UK-14 fails closed for a secondee without a secondment record.

A person recorded as a secondee with no secondment record cannot be screened:
nobody can tell which establishment they came from. The engine blocks them at
every establishment (`incomplete-facts`) and raises `secondment-unrecorded`
until the secondment is recorded; the register says so where it is entered.
"""

from __future__ import annotations

import pytest

from armslength.engine.dataset import load_dataset
from armslength.engine.screening import screen
from tests.engine.builders import base, person, query, with_secondee

ESTABLISHMENTS = [e["id"] for e in base()["establishments"]]


def unrecorded(**fields) -> dict:
    """Sam, recorded as a secondee, with no secondment record at all."""
    return base(people=[person("sam", category="secondee", **fields)])


def run(doc: dict) -> dict:
    return screen(load_dataset(doc)).as_json()


def verdicts(doc: dict, pid: str = "sam", visit: dict | None = None) -> dict[str, tuple]:
    out = {}
    for est in ESTABLISHMENTS:
        d = dict(doc, queries=[])
        if visit:
            d["visits"] = [{"id": "v", "establishment": est, **visit}]
            query(d, pid, visit="v")
        else:
            query(d, pid, est)
        (result,) = run(d)["results"]
        out[est] = (result["verdict"], [r["rule"] for r in result["reasons"]])
    return out


def unrecorded_findings(doc: dict) -> list[dict]:
    return [f for f in run(doc)["findings"] if f["rule"] == "secondment-unrecorded"]


# --- the engine ---------------------------------------------------------------


def test_secondee_without_secondment_record_is_blocked_at_every_establishment():
    assert verdicts(unrecorded()) == {
        est: ("block", ["incomplete-facts"]) for est in ESTABLISHMENTS
    }


def test_fail_closed_reason_says_why_and_cites_uk14():
    (result,) = run(query(unrecorded(), "sam", "east"))["results"]
    (reason,) = result["reasons"]
    assert reason["cites"] == ["UK-14"]
    assert "no secondment record" in reason["text"]
    assert reason["params"]["establishment"] == "east"


def test_screening_everyone_lists_the_unrecorded_secondee_everywhere():
    results = run(unrecorded())["results"]
    assert sorted(r["establishment"] for r in results) == sorted(ESTABLISHMENTS)
    assert {r["verdict"] for r in results} == {"block"}


def test_recording_the_secondment_lifts_the_fail_closed_block():
    doc = with_secondee()  # the same Sam, now with his secondment recorded
    got = verdicts(doc)
    assert got["east"] == ("clear", [])
    # only the custody suite without a recorded operator still fails closed
    assert [est for est, (_, rules) in got.items() if "incomplete-facts" in rules] == ["nowhere"]


@pytest.mark.parametrize(
    ("left", "blocked"),
    [
        ("2027-01-15", False),  # left on the day asked about: has left
        ("2027-01-16", True),  # leaves tomorrow: still here today
        ("2026-12-31", False),  # left before
    ],
)
def test_fail_closed_ends_once_they_have_left(left, blocked):
    got = verdicts(unrecorded(left=left))
    assert got["east"] == (("block", ["incomplete-facts"]) if blocked else ("clear", []))


def test_fail_closed_on_a_visit_before_they_left():
    got = verdicts(
        unrecorded(left="2027-03-02"), visit={"start": "2027-03-01", "end": "2027-03-03"}
    )
    assert got["hosp"] == ("block", ["incomplete-facts"])
    got = verdicts(
        unrecorded(left="2027-03-01"), visit={"start": "2027-03-01", "end": "2027-03-03"}
    )
    assert got["hosp"] == ("clear", [])


@pytest.mark.parametrize("category", ["staff", "member", "external_expert"])
def test_other_categories_without_secondment_are_not_blocked(category):
    doc = base(people=[person("alex", category=category)])
    assert all(got == ("clear", []) for got in verdicts(doc, "alex").values())


def test_secondment_unrecorded_fires_for_a_secondee_without_record():
    (finding,) = unrecorded_findings(unrecorded())
    assert finding["person"] == "sam" and finding["body"] == "hmip"
    assert finding["severity"] == "error" and finding["cites"] == ["UK-14"]


def test_secondment_unrecorded_fires_whatever_their_npm_role():
    assert unrecorded_findings(unrecorded(npm_role="non_npm"))


@pytest.mark.parametrize(("left", "raised"), [("2027-01-15", False), ("2027-01-16", True)])
def test_secondment_unrecorded_not_once_they_have_left(left, raised):
    assert bool(unrecorded_findings(unrecorded(left=left))) == raised


def test_secondment_unrecorded_not_for_a_staff_member():
    assert unrecorded_findings(base(people=[person("alex", category="staff")])) == []


def test_secondment_unrecorded_not_once_the_secondment_is_recorded():
    assert unrecorded_findings(with_secondee()) == []
    # even an ended secondment is a record: the verdict rules then know the origin
    ended = with_secondee(start="2020-01-01", end="2021-01-01")
    assert unrecorded_findings(ended) == []
