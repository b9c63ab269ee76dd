"""Invariants of the engine, on random registers (hypothesis).

- adding a fact never makes a verdict less severe, except an assessment
  (defined to clear an organisation) and facts that complete a missing one
  (an origin, an operator, the first secondment record of a person recorded
  as a secondee: `incomplete-facts`);
- the verdict is the most severe of its reasons;
- the answer does not depend on the order of the records;
- screening everyone from their facts equals checking every pair.
"""

from __future__ import annotations

import copy
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armslength.engine import codes
from armslength.engine.context import Context
from armslength.engine.dataset import load_dataset
from armslength.engine.facts import Window
from armslength.engine.policy import default_policy
from armslength.engine.rules import evaluate
from armslength.engine.screening import screen, screen_all
from armslength.engine.verdicts import Verdict
from tests.engine.builders import base, person

ESTS = [e["id"] for e in base()["establishments"]]
ORGS = [o["id"] for o in base()["organisations"]]
DATES = [None, "2020-01-01", "2026-01-04", "2027-01-14", "2027-01-15", "2027-01-16", "2028-01-01"]
KINDS = codes.codes(codes.AFFILIATION_KINDS)

dates = st.sampled_from(DATES)


@st.composite
def date_range(draw):
    start, end = draw(dates), draw(dates)
    if start and end and end < start:
        start, end = end, start
    return start, end


@st.composite
def secondment(draw, pid):
    start, end = draw(date_range())
    return {
        "person": pid,
        "origin": draw(st.sampled_from([*ORGS, None])),
        "origin_establishment": draw(st.sampled_from([*ESTS, None])),
        "return_establishment": draw(st.sampled_from([*ESTS, None])),
        "start": start,
        "end": end,
    }


@st.composite
def affiliation(draw, pid):
    kind = draw(st.sampled_from(sorted(KINDS)))
    start, end = draw(date_range())
    record = {
        "person": pid,
        "kind": kind,
        "start": start,
        "end": end,
        "role": "role",
        "detail": "someone",
        "on_leave": draw(st.booleans()),
    }
    if draw(st.booleans()):
        record["establishment"] = draw(st.sampled_from(ESTS))
    else:
        record["organisation"] = draw(st.sampled_from(ORGS))
    if kind in codes.TIE_KINDS:
        record["with_role"] = draw(st.sampled_from(["authority", "staff", "detainee"]))
    return record


@st.composite
def assessment(draw, pid):
    date = draw(st.sampled_from(["2026-01-01", "2027-01-15"]))
    reviews = [r for r in ("2027-01-14", "2028-01-01") if r >= date]
    return {
        "person": pid,
        "date": date,
        "cleared_organisations": draw(st.lists(st.sampled_from(ORGS), max_size=2)),
        "next_review": draw(st.sampled_from([None, *reviews])),
    }


@st.composite
def register(draw):
    n = draw(st.integers(1, 3))
    pids = [f"p{i}" for i in range(n)]
    doc = base(
        people=[
            person(pid, category=draw(st.sampled_from(["staff", "secondee", "member"])))
            for pid in pids
        ]
    )
    for org in doc["organisations"]:
        org["works_at"] = draw(st.lists(st.sampled_from(ESTS), max_size=2, unique=True))
    for p in doc["people"]:
        p["left"] = draw(st.sampled_from([None, None, "2027-01-15", "2027-01-16"]))
    for pid in pids:
        doc["secondments"] += draw(st.lists(secondment(pid), max_size=2))
        doc["affiliations"] += draw(st.lists(affiliation(pid), max_size=3))
        doc["assessments"] += draw(st.lists(assessment(pid), max_size=1))
    doc["visits"] = [
        {
            "id": "v",
            "establishment": draw(st.sampled_from(ESTS)),
            "start": "2027-01-10",
            "end": "2027-01-20",
        }
    ]
    return doc


def all_verdicts(doc) -> dict:
    data = load_dataset(doc)
    ctx = Context(data, default_policy())
    day = Window.day(data.as_of)
    verdicts = {(p, e): evaluate(ctx, p, e, day).verdict for p in data.people for e in ESTS}
    for p in data.people:
        verdicts[(p, "v")] = evaluate(
            ctx, p, data.visits["v"].establishment, data.visits["v"].window
        ).verdict
    return verdicts


SETTINGS = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(register(), st.data())
def test_adding_a_fact_never_makes_a_verdict_less_severe(doc, data):
    before = all_verdicts(doc)
    pid = data.draw(st.sampled_from([p["id"] for p in doc["people"]]))
    grown = copy.deepcopy(doc)
    if data.draw(st.booleans()):
        grown["affiliations"].append(data.draw(affiliation(pid)))
    else:
        new = data.draw(secondment(pid))
        # A secondment without an origin is incomplete (blocks everywhere); one
        # with an origin is the completed fact, and may lift that block. So is
        # the first secondment record of a person recorded as a secondee.
        grown["secondments"].append(new)
        if _unrecorded_secondee(doc, pid):
            return
    after = all_verdicts(grown)
    for key, verdict in before.items():
        assert after[key] >= verdict, (key, verdict, after[key])


def _unrecorded_secondee(doc, pid) -> bool:
    (p,) = [p for p in doc["people"] if p["id"] == pid]
    return p["category"] == "secondee" and not any(s["person"] == pid for s in doc["secondments"])


@SETTINGS
@given(register())
def test_completing_an_origin_is_the_only_way_a_secondment_lowers_a_verdict(doc):
    incomplete = copy.deepcopy(doc)
    for s in incomplete["secondments"]:
        s["origin"] = None
    low, high = all_verdicts(doc), all_verdicts(incomplete)
    assert all(high[k] >= low[k] for k in low)


@SETTINGS
@given(register())
def test_verdict_is_the_most_severe_reason(doc):
    result = screen(load_dataset(doc))
    for r in result.results:
        assert r.verdict == max((x.verdict for x in r.reasons), default=Verdict.CLEAR)


@SETTINGS
@given(register(), st.randoms(use_true_random=False))
def test_order_of_records_does_not_matter(doc, rnd: random.Random):
    shuffled = copy.deepcopy(doc)
    for section in ("people", "secondments", "affiliations", "assessments", "establishments"):
        rnd.shuffle(shuffled[section])
    assert screen(load_dataset(doc)).as_json() == screen(load_dataset(shuffled)).as_json()


@SETTINGS
@given(register())
def test_screening_from_facts_equals_checking_every_pair(doc):
    data = load_dataset(doc)
    ctx = Context(data, default_policy())
    day = Window.day(data.as_of)
    brute = [evaluate(ctx, p, e, day) for p in sorted(data.people) for e in sorted(ESTS)]
    assert screen_all(ctx) == [r for r in brute if r.verdict != Verdict.CLEAR]
