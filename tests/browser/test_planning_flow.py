"""A manager plans the demo's programme: the bar moves to 100 %, a proposal reads in words,
accepting some teams changes exactly those teams (issue 16)."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from types import SimpleNamespace

from django.db import connection
from playwright.sync_api import expect

from armslength.accounts.models import User
from armslength.register.demo import load_demo
from armslength.visits import views
from armslength.visits.models import Assignment, PlanningRun
from armslength.visits.tasks import run_planner
from tests.conftest import PASSWORD


def background_worker(monkeypatch):
    """The planner runs beside the web server, as `armslength db_worker` runs it, so the
    page can watch its progress (the test settings' task backend would run it inline)."""

    def enqueue(run_id):
        def work():
            try:
                run_planner.call(run_id)
            finally:
                connection.close()

        threading.Thread(target=work, daemon=True).start()

    monkeypatch.setattr(views, "run_planner", SimpleNamespace(enqueue=enqueue))


def teams() -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for visit, person, role in Assignment.objects.values_list("visit__key", "person__key", "role"):
        out.setdefault(visit, set()).add((person, role))
    return out


def test_a_manager_plans_the_demo_programme_and_accepts_some_teams(
    db, live_server, page, sign_in, monkeypatch, tmp_path
):
    today = dt.date.today()
    load_demo(seed=1, today=today)
    manager = User.objects.get(username="manager.hmip")
    manager.set_password(PASSWORD)
    manager.save()
    background_worker(monkeypatch)
    shots = Path(os.environ.get("SCREENSHOTS_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)

    sign_in("manager.hmip")
    page.goto(f"{live_server.url}/visits/plan/")
    page.get_by_label("Visits from").fill(today.isoformat())
    page.get_by_label("until").fill((today + dt.timedelta(days=60)).isoformat())
    page.get_by_label("Time limit (seconds)").fill("8")
    page.get_by_role("button", name="Run the planner").click()

    # the bar moves while the planner works, in the review's words, and reaches 100 %
    bar = page.locator("#planning-bar")
    expect(page.locator("#planning-cost")).to_contain_text(
        "The best plan so far costs", timeout=30_000
    )
    seen = {bar.get_attribute("value")}
    while page.locator("#planning-bar[value='100']").count() == 0:
        seen.add(bar.get_attribute("value"))
        page.wait_for_timeout(300)
        assert len(seen) < 500
    assert len(seen - {"100"}) >= 1  # progress seen before the end
    expect(page.locator("#planning-progress")).to_contain_text("no plan can cost less than")
    page.get_by_role("link", name="Review the proposed teams").click()

    run = PlanningRun.objects.get()
    assert run.status == "done"
    expect(page.locator("#plan-total")).to_contain_text("This plan costs")
    expect(page.locator("#plan-bound")).to_contain_text("No plan can cost less than")
    first = page.locator("#proposed .proposed-person").first
    expect(first).to_contain_text("proposed as")
    expect(first).to_contain_text("verdict")
    expect(first).to_contain_text("expertise")
    expect(first).to_contain_text("cost")
    assert "objective" not in page.content().lower()
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shots / f"planning-review-{width}.png"))
        page.locator("#proposed-h").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"planning-teams-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    # accept the first two proposed teams only
    boxes = page.locator("#proposed input[name=visit]")
    assert boxes.count() > 2
    chosen = [boxes.nth(0).get_attribute("value"), boxes.nth(1).get_attribute("value")]
    for n in range(2, boxes.count()):
        boxes.nth(n).uncheck()
    before = teams()
    page.get_by_role("button", name="Accept the selected teams").click()
    expect(page.get_by_text("Team changed:")).to_have_count(2)
    after = teams()
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    assert changed == set(chosen)
    proposals = {(a["person"], a["role"]) for a in run.plan["assignments"] if a["visit"] in chosen}
    added = set().union(*(after[k] - before.get(k, set()) for k in chosen))
    assert {p for p, _r in added} == {p for p, _r in proposals}
