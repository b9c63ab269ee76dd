"""The web planner on the register: only people in post are proposed, teams are completed and
never overfilled, accepting twice changes nothing, and the review speaks in words (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from armslength.declarations.models import Affiliation
from armslength.engine import team
from armslength.planner.check import check_plan
from armslength.planner.problem import load_problem
from armslength.planner.solve import make_plan
from armslength.register.demo import load_demo
from armslength.register.models import Body, Organisation, Person, Secondment
from armslength.visits.models import Assignment, PlanningRun, Visit
from armslength.visits.planning import planning_build
from armslength.visits.services import assignment_add


def staff(cast, name, **fields) -> Person:
    defaults = {
        "body": cast.hmip,
        "name": name,
        "category": "staff",
        "npm_role": "frontline",
        "gender": "female",
        "home_region": "north",
        "expertise": ["legal"],
    }
    return Person.objects.create(**{**defaults, **fields})


def visit_at(cast, today, days, **fields) -> Visit:
    start = today + dt.timedelta(days=days)
    defaults = {
        "body": cast.hmip,
        "establishment": cast.southgate,
        "start": start,
        "end": start + dt.timedelta(days=1),
        "team_size": 2,
        "needs_lead": False,
    }
    return Visit.objects.create(**{**defaults, **fields})


@pytest.fixture
def plan_on_the_web(cast, client_for, today, django_capture_on_commit_callbacks):
    """Run the planner from the web page for the next 60 days; the finished run."""

    def run(days: int = 60) -> PlanningRun:
        client = client_for(cast.hmip_manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("visits:planning"),
                {
                    "start": today.isoformat(),
                    "end": (today + dt.timedelta(days=days)).isoformat(),
                    "time_limit": 5,
                },
            )
        run = PlanningRun.objects.latest("created_at")
        assert response["Location"] == run.get_absolute_url()
        run.refresh_from_db()
        assert run.status == "done", run.error
        return run

    return run


def proposed(run, visit) -> list[tuple[str, str]]:
    return sorted(
        (a["person"], a["role"]) for a in run.plan["assignments"] if a["visit"] == visit.key
    )


def test_leaver_ended_term_ended_secondment_and_non_npm_are_never_proposed(
    cast, today, plan_on_the_web
):
    home_office = Organisation.objects.create(key="ho", name="Home Office", sector="executive")
    cheap = {"home_region": "south", "can_lead": True, "expertise": ["forensic", "legal"]}
    out = [
        staff(cast, "Lee Leaver", left=today + dt.timedelta(days=10), **cheap),
        staff(
            cast,
            "Meg Member",
            category="member",
            term_start=today - dt.timedelta(days=900),
            term_end=today + dt.timedelta(days=15),
            **cheap,
        ),
        staff(cast, "Sid Seconded", category="secondee", **cheap),
        staff(cast, "Nat Nonnpm", npm_role="non_npm", **cheap),
    ]
    Secondment.objects.create(
        person=out[2],
        origin=home_office,
        start=today - dt.timedelta(days=400),
        end=today + dt.timedelta(days=12),
        open_process=True,
        published_criteria=True,
    )
    for n in range(3):
        staff(cast, f"Far Away {n}", can_lead=True)  # in post, but travel from the north
    ordinary = visit_at(cast, today, 20, team_size=2, needs_lead=True)
    forensic = visit_at(cast, today, 30, team_size=1, requires={"forensic": 1})

    run = plan_on_the_web()
    keys = {p.key for p in out}
    assert len(proposed(run, ordinary)) == 2
    assert not keys & {a["person"] for a in run.plan["assignments"]}
    reasons = {u["visit"]: u["reasons"] for u in run.plan["unplanned"]}
    assert any("forensic" in r for r in reasons[forensic.key])
    for p in out:  # the one eligibility rule says why each is out
        assert not team.eligibility(p.post(), ordinary.start, ordinary.end).eligible


def test_a_visit_with_three_of_four_gets_exactly_one_more_who_leads_and_twice_changes_nothing(
    cast, client_for, today, plan_on_the_web
):
    visit = visit_at(cast, today, 20, team_size=4, needs_lead=True)
    for n in range(3):
        assignment_add(visit=visit, person=staff(cast, f"On Team {n}"), role="member")
    leah = staff(cast, "Leah Lead", can_lead=True)
    staff(cast, "Mo Member")

    run = plan_on_the_web()
    assert run.problem["visits"][0]["team_size"] == 1 and run.problem["visits"][0]["needs_lead"]
    assert proposed(run, visit) == [(leah.key, "lead")]

    client = client_for(cast.hmip_manager)
    page = client.post(run.get_absolute_url(), {"visit": [visit.key]}, follow=True)
    text = page.content.decode()
    assert f"Team changed: {visit}" in text and "Leah Lead (lead)" in text
    assert visit.assignments.count() == 4
    assert visit.assignments.get(role="lead").person == leah

    again = client.post(run.get_absolute_url(), {"visit": [visit.key]}, follow=True)
    text = again.content.decode()
    assert "Nothing changed for" in text and "already on the team" in text
    assert "Team changed" not in text
    assert visit.assignments.count() == 4


def test_a_proposed_lead_joins_as_member_when_the_team_has_gained_a_lead(
    cast, client_for, today, plan_on_the_web
):
    visit = visit_at(cast, today, 20, team_size=3, needs_lead=True)
    mia = staff(cast, "Mia Member", can_lead=True)
    assignment_add(visit=visit, person=mia, role="member")
    staff(cast, "Leah Lead", can_lead=True)
    staff(cast, "Mo Member")

    run = plan_on_the_web()
    assert [role for _p, role in proposed(run, visit)].count("lead") == 1
    assignment_add(visit=visit, person=mia, role="lead")  # meanwhile, by hand
    client_for(cast.hmip_manager).post(run.get_absolute_url(), {"visit": [visit.key]})
    assert visit.assignments.count() == 3
    assert list(visit.assignments.filter(role="lead").values_list("person", flat=True)) == [mia.pk]


def test_a_member_no_longer_in_post_counts_for_nothing_and_the_team_is_never_overfilled(
    cast, client_for, today, plan_on_the_web
):
    visit = visit_at(cast, today, 20, team_size=2)
    lena = staff(cast, "Lena Leaving")
    Assignment.objects.create(visit=visit, person=lena, role="member")  # added before she left
    lena.left = today + dt.timedelta(days=5)
    lena.save()
    for n in range(3):
        staff(cast, f"Spare {n}")

    run = plan_on_the_web()
    assert run.problem["visits"][0]["team_size"] == 2  # Lena covers nothing
    assert len(proposed(run, visit)) == 2
    client = client_for(cast.hmip_manager)
    review = client.get(run.get_absolute_url()).content.decode()
    assert "Lena Leaving is on the team but counts for nothing" in review
    assert "is not in post on" in review
    page = client.post(run.get_absolute_url(), {"visit": [visit.key]}, follow=True)
    assert "larger than its size 2" in page.content.decode()
    assert visit.assignments.count() == 1


def test_the_review_gives_verdict_expertise_and_cost_parts_and_never_says_objective(
    cast, client_for, today, plan_on_the_web
):
    home_office = Organisation.objects.create(key="ho", name="Home Office", sector="executive")
    dana = staff(cast, "Dana Declared", expertise=["forensic", "legal"])
    Affiliation.objects.create(
        person=dana, kind="employment", organisation=cast.hmpps, end="2020-01-01"
    )
    sid = staff(
        cast, "Sid Seconded", category="secondee", home_region="south", expertise=["forensic"]
    )
    Secondment.objects.create(
        person=sid,
        origin=home_office,
        start=today - dt.timedelta(days=100),
        end=today + dt.timedelta(days=400),
        open_process=True,
        published_criteria=True,
    )
    visit = visit_at(cast, today, 20, team_size=2, requires={"forensic": 2})
    visit_at(cast, today, 40, team_size=1, requires={"astronomy": 1})

    client = client_for(cast.hmip_manager)
    start_page = client.get(reverse("visits:planning")).content.decode()
    run = plan_on_the_web()
    assert proposed(run, visit) == sorted([(dana.key, "member"), (sid.key, "member")])
    page = client.get(run.get_absolute_url()).content.decode()
    progress = client.get(run.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    dana_row = page[page.index("Dana Declared") :].split("</li>")[0]
    assert "badge-declared" in dana_row and "Worked for HM Prison" in dana_row
    assert "forensic (needed)" in dana_row and "Legal" in dana_row  # the label, not the code
    assert "cost 28: travel cost 3 (home region north, visit in south); declared interest 25" in (
        dana_row
    )
    sid_row = page[page.index("Sid Seconded") :].split("</li>")[0]
    assert "badge-clear" in sid_row
    assert "cost 6: secondee 6 (UK-10" in sid_row
    assert "This plan costs 10034: 1 visit without a team, 10000 each = 10000; travel 3" in page
    assert "No plan can cost less than" in page
    assert "astronomy expertise" in page  # the planner's reason for the unplanned visit
    assert "The plan costs 10034, 1 visit still without a team; no plan can cost less" in progress
    for text in (start_page, page, progress):
        assert "objective" not in text.lower()


def test_the_problem_built_from_a_demo_period_is_valid_and_its_plan_passes_the_checker(db):
    today = dt.date(2026, 11, 23)
    load_demo(seed=1, today=today)
    body = Body.objects.get(key="hmip")
    start, end = today, today + dt.timedelta(days=45)
    build = planning_build(body=body, start=start, end=end)
    problem = load_problem(build.problem)  # the planning format's own validation
    assert len(problem.visits) >= 30 and len(problem.people) >= 30
    by_key = {s.visit.key: s for s in build.standings}
    staffed = [s for s in build.standings if s.members]
    assert staffed, "the demo has visits already staffed"
    people = {p.key: p for p in Person.objects.filter(body=body).prefetch_related("secondments")}
    for v in build.problem["visits"]:
        s = by_key[v["id"]]
        # the places asked of a partner body (the demo's joint visit) are the partner's
        assert v["team_size"] == s.visit.team_size - len(s.members) - s.asked_of_partners >= 1
        for entry in build.problem["people"]:
            busy = [
                (dt.date.fromisoformat(u["start"]), dt.date.fromisoformat(u["end"]))
                for u in entry["unavailable"]
            ]
            free = not team.unavailable(busy, s.visit.start, s.visit.end)
            person = people[entry["id"]]
            if free:  # whoever may be put on a visit is eligible on its dates
                assert team.eligibility(person.post(), s.visit.start, s.visit.end).eligible
            if person in [p for p, _r in s.members]:
                assert not free  # a member is busy on their own visit
    plan = make_plan(problem, time_limit=3, workers=1).as_json(problem)
    assert check_plan(problem, plan) == []  # the independent checker's rules
