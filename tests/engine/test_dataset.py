"""Bad datasets are refused with one message naming the entry."""

from __future__ import annotations

import pytest

from armslength.engine.dataset import DatasetError, load_dataset
from tests.engine.builders import base, person, with_secondee


def refused(doc) -> str:
    with pytest.raises(DatasetError) as caught:
        load_dataset(doc)
    return str(caught.value)


def test_unknown_body():
    doc = base(people=[person("alex"), person("kim", body="hmi")])
    assert refused(doc) == "people[1].body: unknown body 'hmi'"


def test_date_that_is_not_iso():
    doc = with_secondee(start="05/01/2026")
    assert refused(doc).startswith("secondments[0].start: '05/01/2026' is not an ISO date")


def test_impossible_date():
    assert "not a real date" in refused(with_secondee(end="2027-02-30"))


def test_affiliation_naming_both_or_neither():
    doc = base(people=[person("alex")])
    doc["affiliations"].append(
        {"person": "alex", "kind": "employment", "establishment": "east", "organisation": "hmpps"}
    )
    assert refused(doc).startswith("affiliations[0]: must name exactly one")
    doc["affiliations"][0] = {"person": "alex", "kind": "employment"}
    assert refused(doc).startswith("affiliations[0]: must name exactly one")


def test_organisation_cycle():
    doc = base()
    doc["organisations"][0]["parent"] = "hmpps"
    assert "organisation cycle" in refused(doc)


def test_duplicate_id_and_bad_code_and_wrong_format():
    doc = base(people=[person("alex"), person("alex")])
    assert refused(doc) == "people[1].id: duplicate id 'alex'"
    doc = base(people=[person("alex", category="volunteer")])
    assert refused(doc).startswith("people[0].category: 'volunteer' is not one of")
    assert refused({**base(), "format": "something/2"}).startswith("format:")


def test_end_before_start():
    assert refused(with_secondee(start="2026-01-05", end="2026-01-04")).startswith(
        "secondments[0].end: ends"
    )


def test_unknown_fields_are_ignored():
    doc = base(people=[person("alex", unit="Inspection team A", fte=0.8)])
    assert load_dataset(doc).people["alex"].name == "Alex"


def test_query_needs_exactly_one_target():
    doc = base(people=[person("alex")], queries=[{"person": "alex"}])
    assert refused(doc).startswith("queries[0]: must name exactly one")
