"""The outside probe of the web planner (issue 16): visits running past the period, a
register changed since the plan, another body's people, confirmed visits, messages that
say what happened, a review that marks accepted teams, bounded periods, words not codes,
the progress bar, and a plan that counts nothing its manager may not know of."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.urls import reverse

from armslength.visits.models import Assignment, PlanningRun, RunStatus, Unavailability
from armslength.visits.planning import planning_build, progress_words
from armslength.visits.services import assignment_add
from armslength.visits.tasks import progress_recorder
from tests.test_planning_web import plan_on_the_web, proposed, staff, visit_at

__all__ = ["plan_on_the_web"]  # the fixture, shared with the acceptance tests


def test_a_visit_running_past_the_period_is_planned_on_every_one_of_its_days(
    cast, client_for, today, plan_on_the_web
):
    cheap = {"home_region": "south", "can_lead": True}
    first = today + dt.timedelta(days=60)  # the period's last day
    lee = staff(cast, "Lee Leaver", left=first + dt.timedelta(days=1), **cheap)
    lou = staff(cast, "Lou Onleave", **cheap)
    day3 = first + dt.timedelta(days=2)
    Unavailability.objects.create(person=lou, start=day3, end=day3)
    for n in range(2):
        staff(cast, f"Far Away {n}", can_lead=True)
    visit = visit_at(cast, today, 60, end=first + dt.timedelta(days=2), needs_lead=True)

    run = plan_on_the_web(days=60)
    assert run.problem["horizon"]["end"] == visit.end.isoformat()
    chosen = {p for p, _role in proposed(run, visit)}
    assert len(chosen) == 2 and not chosen & {lee.key, lou.key}
    client_for(cast.hmip_manager).post(run.get_absolute_url(), {"visit": [visit.key]})
    assert not visit.assignments.filter(person__in=[lee, lou]).exists()


def test_accepting_rechecks_the_register_as_it_is_now(cast, client_for, today, plan_on_the_web):
    people = [staff(cast, f"Person {n}", home_region="south") for n in range(4)]
    cancelled = visit_at(cast, today, 10, team_size=1)
    moved = visit_at(cast, today, 20, team_size=1)
    on_leave = visit_at(cast, today, 30, team_size=1)
    over = visit_at(cast, today, 40, team_size=1)
    run = plan_on_the_web()
    who = {v.key: proposed(run, v)[0][0] for v in (cancelled, moved, on_leave, over)}
    by_key = {p.key: p for p in people}

    cancelled.status = "cancelled"
    cancelled.save()
    moved.start, moved.end = moved.start + dt.timedelta(days=3), moved.end + dt.timedelta(days=3)
    moved.save()
    Unavailability.objects.create(
        person=by_key[who[on_leave.key]], start=on_leave.end, end=on_leave.end
    )
    heavy = by_key[who[over.key]]
    heavy.max_visits = 0
    heavy.save()

    chosen = [cancelled.key, moved.key, on_leave.key, over.key]
    page = client_for(cast.hmip_manager).post(
        run.get_absolute_url(), {"visit": chosen}, follow=True
    )
    text = page.content.decode()
    assert f"Not accepted for {cancelled}: it was cancelled since the plan was made" in text
    assert f"Not accepted for {moved}: it was moved since the plan was made — plan again" in text
    assert f"Not accepted for {on_leave}: " in text and "now unavailable" in text
    assert f"Not accepted for {over}: " in text and "limit of 0 visits a year" in text
    assert not Assignment.objects.filter(visit__in=[cancelled, moved, on_leave, over]).exists()
    # a refused place stays on the visit's audit trail, as a refusal by hand does
    trail = LogEntry.objects.get_for_object(on_leave).filter(changes__icontains="refused")
    assert trail.filter(changes__icontains="now unavailable").exists()


def test_another_bodys_stale_member_is_named_by_body_only_and_keeps_their_place(
    cast, client_for, today, plan_on_the_web
):
    visit = visit_at(cast, today, 20, team_size=2)
    visit.partner_bodies.set([cast.cqc])
    assignment_add(visit=visit, person=cast.carol, role="member")
    cast.carol.left = today + dt.timedelta(days=5)
    cast.carol.save()
    for n in range(3):
        staff(cast, f"Spare {n}", home_region="south")

    run = plan_on_the_web()
    assert run.problem["visits"][0]["team_size"] == 1  # Carol's place is CQC's to free
    assert len(proposed(run, visit)) == 1
    client = client_for(cast.hmip_manager)
    review = client.get(run.get_absolute_url()).content.decode()
    assert "A member from CQC no longer counts: ask CQC." in review
    assert "not in post" not in review and "Carol Carter is on the team but" not in review
    page = client.post(run.get_absolute_url(), {"visit": [visit.key]}, follow=True)
    assert f"Team changed: {visit}" in page.content.decode()
    assert visit.assignments.count() == 2


def test_confirmed_visits_are_planned_and_a_review_marks_what_was_accepted(
    cast, client_for, today, plan_on_the_web
):
    confirmed = visit_at(cast, today, 20, team_size=1, status="confirmed")
    done = visit_at(cast, today, 25, team_size=1, status="done")
    staff(cast, "Pat Person", home_region="south", npm_role="")  # NPM role not recorded
    run = plan_on_the_web()
    assert [v["id"] for v in run.problem["visits"]] == [confirmed.key]
    assert proposed(run, done) == []

    client = client_for(cast.hmip_manager)
    review = client.get(run.get_absolute_url()).content.decode()
    assert "Proposed teams (1 visit)" in review
    assert "Pat Person&#x27;s NPM role is not recorded (UK-9)" in review
    assert f'id="accept-{confirmed.key}"' in review
    client.post(run.get_absolute_url(), {"visit": [confirmed.key]})
    after = client.get(run.get_absolute_url()).content.decode()
    row = after[after.index(f'id="proposal-{confirmed.key}"') :].split("</tr>")[0]
    assert "Accepted" in row and 'type="checkbox"' not in row
    assert "Accept the selected teams" not in after  # nothing left to accept

    start = client.get(reverse("visits:planning")).content.decode()
    assert "run by hmip.manager" in start and "1 proposed place accepted" in start


def test_refusals_say_what_happened_and_name_the_visit(cast, client_for, today, plan_on_the_web):
    planned = visit_at(cast, today, 20, team_size=1)
    full = visit_at(cast, today, 30, team_size=1)
    assignment_add(visit=full, person=staff(cast, "Already There"), role="member")
    staff(cast, "Spare", home_region="south")
    run = plan_on_the_web()
    client = client_for(cast.hmip_manager)
    text = client.post(run.get_absolute_url(), {"visit": [full.key]}, follow=True)
    text = text.content.decode()
    assert f"Not accepted for {full}: this run proposed no team for it" in text
    assert "already on the team" not in text
    long = client.post(run.get_absolute_url(), {"visit": ["x" * 5000]}, follow=True)
    long = long.content.decode()
    assert "this run proposed no team for it" in long and "x" * 100 not in long

    waiting = PlanningRun.objects.create(
        body=cast.hmip, start=run.start, end=run.end, problem=run.problem, plan=run.plan
    )
    waiting.status = RunStatus.RUNNING
    waiting.save()
    text = client.post(waiting.get_absolute_url(), {"visit": [planned.key]}, follow=True)
    assert "the plan is not ready yet" in text.content.decode()
    assert not planned.assignments.exists()

    cancel = client.post(run.get_absolute_url(), {"cancel": "1"}, follow=True).content.decode()
    assert "this run has already finished" in cancel and "Asked the planner" not in cancel
    run.refresh_from_db()
    assert not run.cancel_requested


def test_an_empty_period_says_so_and_periods_are_bounded(cast, client_for, today, plan_on_the_web):
    run = plan_on_the_web()
    client = client_for(cast.hmip_manager)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "There are no planned visits in this period" in page
    assert "This plan costs" not in page

    runs = PlanningRun.objects.count()
    for start, end, words in (
        (today, today + dt.timedelta(days=3 * 365), "Plan at most two years at a time."),
        (dt.date(1990, 1, 1), dt.date(1990, 6, 1), "Give a date from 2000 to 2100."),
        (dt.date(2200, 1, 1), dt.date(2200, 6, 1), "Give a date from 2000 to 2100."),
    ):
        response = client.post(
            reverse("visits:planning"),
            {"start": start.isoformat(), "end": end.isoformat(), "time_limit": 5},
        )
        assert response.status_code == 400
        assert words in response.content.decode()
        assert "Earlier runs" in response.content.decode()  # the list stays on the page
    assert PlanningRun.objects.count() == runs


def test_words_not_codes_and_locale_dates(cast, client_for, today, plan_on_the_web):
    visit = visit_at(cast, today, 20, team_size=1, requires={"mental_health": 1})
    visit_at(cast, today, 30, team_size=1, requires={"human_rights": 1})  # nobody has it
    staff(cast, "Mina Mind", home_region="south", expertise=["mental_health", "social_work"])
    run = plan_on_the_web()
    assert proposed(run, visit)
    page = client_for(cast.hmip_manager).get(run.get_absolute_url()).content.decode()
    assert "Mental health (needed)" in page and "Social work" in page
    assert "human rights expertise" in page  # the planner's reason, in words
    for code in ("mental_health", "social_work", "human_rights"):
        assert code not in page
    assert run.start.isoformat() not in str(run) and today.strftime("%Y") in str(run)


def test_the_progress_words_say_how_many_visits_are_still_without_a_team(cast, today):
    for n in range(3):
        visit_at(cast, today, 10 + 10 * n, team_size=1, requires={"astronomy": 1})
    problem = planning_build(body=cast.hmip, start=today, end=today + dt.timedelta(days=60)).problem
    words = progress_words(30000, 10000, problem=problem)
    assert words == (
        "the best plan so far costs 30000, 3 visits still without a team; "
        "no plan can cost less than 10000"
    )
    assert "1 visit still without a team" in progress_words(10003, 0, problem=problem)


def test_an_auditor_reads_the_run_but_sees_nothing_to_accept_or_cancel(
    cast, client_for, today, plan_on_the_web
):
    visit = visit_at(cast, today, 20, team_size=1)
    staff(cast, "Spare", home_region="south")
    run = plan_on_the_web()
    page = client_for(cast.auditor).get(run.get_absolute_url()).content.decode()
    assert f"proposal-{visit.key}" in page
    assert 'type="checkbox"' not in page and "Accept the selected teams" not in page


def test_the_plan_counts_no_visit_its_manager_may_not_know_of(
    cast, client_for, today, plan_on_the_web
):
    # HMIP's manager is themself a secondee: they may not know of unannounced visits
    cast.hmip_manager.person = staff(cast, "Dee Seconded", category="secondee", npm_role="non_npm")
    cast.hmip_manager.save()
    known = visit_at(cast, today, 20, team_size=1, requires={"astronomy": 1})
    secret = visit_at(cast, today, 30, team_size=1, type="unannounced")
    staff(cast, "Spare", home_region="south")
    run = plan_on_the_web()
    assert [v["id"] for v in run.problem["visits"]] == [known.key]
    page = client_for(cast.hmip_manager).get(run.get_absolute_url()).content.decode()
    assert "This plan costs 10000: 1 visit without a team" in page
    assert secret.key not in page
    # the lead without that bar plans both
    build = planning_build(body=cast.hmip, start=today, end=today + dt.timedelta(days=60))
    assert {v["id"] for v in build.problem["visits"]} == {known.key, secret.key}


def test_the_review_rechecks_proposed_people_as_the_register_is_now(
    cast, client_for, today, plan_on_the_web
):
    visit = visit_at(cast, today, 20, team_size=1)
    pia = staff(cast, "Pia Proposed", home_region="south")
    run = plan_on_the_web()
    assert proposed(run, visit) == [(pia.key, "member")]
    pia.left = today + dt.timedelta(days=10)  # she leaves after the plan was made
    pia.save()
    Unavailability.objects.create(person=pia, start=visit.start, end=visit.start)
    page = client_for(cast.hmip_manager).get(run.get_absolute_url()).content.decode()
    row = page[page.index("Pia Proposed") :].split("</li>")[0]
    assert "Pia Proposed is not in post on" in row
    assert "Pia Proposed is now unavailable on some of its days" in row


def test_the_bar_shows_100_only_once_the_plan_is_written(cast, client_for, today):
    run = PlanningRun.objects.create(
        body=cast.hmip, start=today, end=today, status=RunStatus.RUNNING, problem={"visits": []}
    )
    # the planner's search reports its whole time as spent, the plan is still being written
    progress_recorder(run.pk)(20000, 10000, 1.0)
    page = client_for(cast.hmip_manager).get(run.get_absolute_url()).content.decode()
    assert 'value="95"' in page and "100%" not in page


def test_the_review_reads_in_welsh(cast, client_for, today, plan_on_the_web):
    visit_at(cast, today, 20, team_size=1)
    visit_at(cast, today, 30, team_size=1, requires={"human_rights": 1})
    staff(cast, "Spare", home_region="south", npm_role="")
    run = plan_on_the_web()
    cast.hmip_manager.language = "cy"
    cast.hmip_manager.save()
    page = client_for(cast.hmip_manager).get(run.get_absolute_url()).content.decode()
    assert "Mae&#x27;r cynllun hwn yn costio" in page and "ymweliad heb dîm" in page
    assert "Timau arfaethedig (1 ymweliad)" in page
    # the team rule's warning, in Welsh too
    assert "Nid yw rôl Spare yn y Mecanwaith wedi&#x27;i chofnodi" in page
    assert "NPM role is not recorded" not in page
    assert "This plan costs" not in page and "cost 0: home region" not in page
