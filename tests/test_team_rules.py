"""Team rules written once (issue 13): eligibility, overlaps, the team table's verdicts,
the planner's problem builder, one weights table and one month helper."""

from __future__ import annotations

import datetime as dt
import pathlib
import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armslength.declarations.models import Affiliation
from armslength.engine import team
from armslength.register.models import Person, Secondment
from armslength.visits.models import Assignment, Visit
from armslength.visits.services import (
    AssignmentRefused,
    assignment_add,
    assignment_check,
    planning_problem,
    team_warnings,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent / "armslength"


@pytest.fixture
def visit(cast, today):
    return Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate,
        start=today + dt.timedelta(days=30),
        end=today + dt.timedelta(days=32),
        team_size=2,
    )


def refusal_for(person):
    return LogEntry.objects.filter(additional_data__refused__person=person.key).get()


def person(cast, name, **kw):
    fields = {"category": "staff", "npm_role": "frontline", "gender": "female", **kw}
    return Person.objects.create(body=cast.hmip, name=name, **fields)


def test_a_leaver_is_refused_with_the_date_they_left(cast, visit, today):
    leaver = person(cast, "Lee Leaver", left=visit.start - dt.timedelta(days=200))
    with pytest.raises(AssignmentRefused, match=r"not in post.*left on"):
        assignment_add(visit=visit, person=leaver, role="member")
    assert not Assignment.objects.exists()
    assert refusal_for(leaver).additional_data["refused"]["rules"] == ["team-eligibility"]


def test_someone_leaving_during_the_visit_is_refused(cast, visit):
    leaver = person(cast, "Mid Leaver", left=visit.start + dt.timedelta(days=1))
    with pytest.raises(AssignmentRefused, match="left on"):
        assignment_add(visit=visit, person=leaver, role="member")


def test_a_member_whose_term_ended_is_refused(cast, visit, today):
    member = person(
        cast,
        "Mo Member",
        category="member",
        term_start=today - dt.timedelta(days=900),
        term_end=today,
    )
    with pytest.raises(AssignmentRefused, match="term of office ended"):
        assignment_add(visit=visit, person=member, role="member")


def test_a_secondee_whose_secondment_ended_is_refused(cast, visit, today):
    cast.sam_secondment.end = visit.start - dt.timedelta(days=1)
    cast.sam_secondment.save()
    with pytest.raises(AssignmentRefused, match="secondment ended"):
        assignment_add(visit=visit, person=cast.sam, role="member")


def test_a_non_npm_person_is_refused(cast, visit):
    clerk = person(cast, "Nora Non", npm_role="non_npm")
    with pytest.raises(AssignmentRefused, match="does no NPM work"):
        assignment_add(visit=visit, person=clerk, role="member")


def test_an_unset_npm_role_is_eligible_with_a_warning(cast, visit):
    unset = person(cast, "Una Unset", npm_role="")
    check = assignment_check(visit=visit, person=unset)
    assert not check.ineligible and any("not recorded" in n for n in check.notes)
    assignment_add(visit=visit, person=unset, role="member")
    assert any("Una Unset's NPM role is not recorded" in w for w in team_warnings(visit))


def test_the_team_check_shows_why_someone_is_not_eligible(cast, client_for, visit):
    leaver = person(cast, "Lee Leaver", left=visit.start)
    page = (
        client_for(cast.hmip_manager)
        .get(reverse("visits:team_check", args=[visit.pk]), {"person": leaver.pk})
        .content.decode()
    )
    assert "Not eligible for this visit" in page and "left on" in page


def test_a_member_made_block_by_a_new_fact_shows_block_in_the_team_table(
    cast, client_for, visit, today
):
    assignment_add(visit=visit, person=cast.alice, role="member")
    Affiliation.objects.create(
        person=cast.alice,
        kind="employment",
        establishment=cast.southgate,
        start=today - dt.timedelta(days=10),
    )
    page = client_for(cast.hmip_manager).get(visit.get_absolute_url()).content.decode()
    table = page.split('id="team"')[1].split("</table>")[0]
    assert "Alice Adams" in table and "block" in table.lower()
    assert "Was clear when added" in table


def test_a_cancelled_visit_is_never_an_overlap(cast, visit):
    other = Visit.objects.create(
        body=cast.hmip, establishment=cast.northbridge, start=visit.start, end=visit.end
    )
    assignment_add(visit=other, person=cast.alice, role="member")
    with pytest.raises(AssignmentRefused, match="already on"):
        assignment_add(visit=visit, person=cast.alice, role="member")
    other.status = "cancelled"
    other.save()
    assignment_add(visit=visit, person=cast.alice, role="member")
    assert not any("also on" in w for w in team_warnings(visit))


def test_a_lead_must_be_able_to_lead_and_not_seconded(cast, visit):
    with pytest.raises(AssignmentRefused, match="not recorded as able to lead"):
        assignment_add(visit=visit, person=cast.alice, role="lead")
    assert refusal_for(cast.alice).additional_data["refused"]["rules"] == ["team-lead"]


def test_the_planner_problem_uses_the_same_rules_and_the_policys_weights(cast, today):
    from armslength.engine.policy import PLANNING_WEIGHTS

    start, end = today, today + dt.timedelta(days=60)
    person(cast, "Lena Leaving", left=today + dt.timedelta(days=40))
    person(cast, "Gone Before", left=today - dt.timedelta(days=1))
    person(cast, "Nora Non", npm_role="non_npm")
    elsewhere = Visit.objects.create(
        body=cast.cqc,
        establishment=cast.northbridge,
        start=today + dt.timedelta(days=5),
        end=today + dt.timedelta(days=6),
    )
    cancelled = Visit.objects.create(
        body=cast.cqc,
        establishment=cast.northbridge,
        start=today + dt.timedelta(days=8),
        end=today + dt.timedelta(days=9),
        status="cancelled",
    )
    Assignment.objects.create(visit=elsewhere, person=cast.alice, role="member")
    Assignment.objects.create(visit=cancelled, person=cast.alice, role="member")
    Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate,
        start=today + dt.timedelta(days=30),
        end=today + dt.timedelta(days=31),
    )
    problem = planning_problem(body=cast.hmip, start=start, end=end)
    people = {p["id"]: p for p in problem["people"]}
    assert "gone-before" not in " ".join(people) and not any("nora" in k for k in people)
    lena = next(p for k, p in people.items() if "lena" in k)
    assert {"start": (today + dt.timedelta(days=40)).isoformat(), "end": end.isoformat()} in lena[
        "unavailable"
    ]
    alice = people[cast.alice.key]["unavailable"]
    assert {"start": elsewhere.start.isoformat(), "end": elsewhere.end.isoformat()} in alice
    assert all(u["start"] != cancelled.start.isoformat() for u in alice)
    assert problem["weights"] == PLANNING_WEIGHTS
    assert problem["travel"]["unknown"]["south"] == 3 and problem["travel"]["south"]["south"] == 0
    assert people[cast.sam.key]["category"] == "secondee"


def test_one_is_a_secondee_on_this_day(cast, today):
    assert cast.sam.is_secondee_on(today)
    assert not cast.sam.is_secondee_on(today - dt.timedelta(days=101))
    assert not cast.alice.is_secondee_on(today)
    Secondment.objects.create(person=cast.alice, start=today + dt.timedelta(days=5))
    assert cast.alice.is_secondee_on(today + dt.timedelta(days=5))


days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2022, 12, 31))
maybe = st.one_of(st.none(), days)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    joined=maybe,
    left=maybe,
    term=st.tuples(maybe, maybe),
    spans=st.lists(st.tuples(maybe, maybe), max_size=2),
    category=st.sampled_from(["member", "staff", "secondee", "external_expert"]),
    first=days,
    length=st.integers(0, 10),
)
def test_eligible_exactly_when_in_post_on_every_day(
    joined, left, term, spans, category, first, length
):
    post = team.Post(
        name="P",
        category=category,
        npm_role="frontline",
        joined=joined,
        left=left,
        term_start=term[0],
        term_end=term[1],
        secondments=tuple(spans),
    )
    last = first + dt.timedelta(days=length)

    def in_post(day):
        if (joined and day < joined) or (left and day >= left):
            return False
        before = term[0] and day < term[0]
        if category == "member" and (before or (term[1] and day > term[1])):
            return False
        if category == "secondee" and spans:
            return any(team.covers(s, day) for s in spans)
        return True

    every = all(in_post(first + dt.timedelta(days=n)) for n in range(length + 1))
    assert team.eligibility(post, first, last).eligible == every


#: (what, its one home, a pattern that finds a twin of it elsewhere, with any figures)
SINGLE_HOMES = [
    # month arithmetic: a helper, or a date library's months
    ("a month helper", "engine/dates.py", r"def _?add_months\b|relativedelta\("),
    # a weights table: the objective's keys given figures in a literal
    ("a weights table", "engine/policy.py", r"[\"'](unplanned|secondee)[\"']\s*:\s*\d"),
    # the travel cost between regions: a function of two regions, or its figure
    (
        "a travel cost",
        "engine/policy.py",
        r"def _?travel_(cost|table)\(\s*home|TRAVEL_OTHER_REGION\s*=",
    ),
]


def test_one_weights_table_and_one_month_helper():
    from armslength.engine.dates import add_months
    from armslength.engine.policy import PLANNING_WEIGHTS, travel_cost
    from armslength.planner.problem import DEFAULT_WEIGHTS

    assert DEFAULT_WEIGHTS is PLANNING_WEIGHTS
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert travel_cost("north", "north") == 0 < travel_cost("north", "south")
    twins = []
    for path in ROOT.rglob("*.py"):
        text = path.read_text()
        rel = path.relative_to(ROOT).as_posix()
        twins += [
            f"{rel}: {what} (its home is {home})"
            for what, home, pattern in SINGLE_HOMES
            if rel != home and re.search(pattern, text)
        ]
    assert twins == []


@pytest.mark.parametrize(
    ("what", "twin"),
    [
        ("a month helper", "def add_months(day, n):"),
        ("a month helper", "later = day + relativedelta(months=3)"),
        ("a weights table", 'WEIGHTS = {"unplanned": 500, "travel": 2}'),
        ("a travel cost", "def travel_cost(home, region):"),
    ],
)
def test_the_twin_search_finds_a_twin(what, twin):
    """The grep above would see a copy, whatever its figures."""
    pattern = next(p for w, _home, p in SINGLE_HOMES if w == what)
    assert re.search(pattern, twin)
