"""A joint visit staffed by two bodies, in the browser (issue 18).

HMIP leads a visit to HMP Northbridge with CQC. HMIP's manager puts Alice on as
lead and asks CQC for a place with a doctor; CQC's manager sees the request,
tries their secondee Dave (seconded out of Northbridge: refused, with the
UK-14 reason, shown to CQC only), then fills the place with Carol. Back at
HMIP, the manager sees Carol by name and role, the whole team's totals, the
request filled, and nothing of Dave.
"""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from armslength.register.models import Person, Secondment
from armslength.visits.models import Visit
from tests.browser.helpers import pick


def test_a_joint_visit_is_staffed_by_two_bodies_each_seeing_only_what_they_may(
    cast, live_server, sign_in, assert_accessible, today, tmp_path
):
    dave = Person.objects.create(
        body=cast.cqc,
        name="Dave Doctor",
        category="secondee",
        npm_role="frontline",
        gender="male",
        expertise=["medical"],
    )
    Secondment.objects.create(
        person=dave,
        origin=cast.hmpps,
        origin_establishment=cast.northbridge,
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=700),
        open_process=True,
        published_criteria=True,
        justification="Prison healthcare",
    )
    cast.alice.can_lead = True
    cast.alice.save()
    visit = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.northbridge,
        start=today + dt.timedelta(days=30),
        end=today + dt.timedelta(days=31),
        team_size=2,
        requires={"medical": 1},
        min_women=1,
    )
    visit.partner_bodies.set([cast.cqc])
    url = f"{live_server.url}{visit.get_absolute_url()}"

    page = sign_in("hmip.manager")
    page.goto(url)
    pick(page, "Add a person", "Alice Adams")
    page.get_by_label("Role").select_option("lead")
    page.get_by_role("button", name="Add to team").click()
    expect(page.get_by_text("Alice Adams added to the team.")).to_be_visible()
    # CQC's people are not HMIP's to choose
    options = page.get_by_label("Add a person").locator("option").all_inner_texts()
    assert not any("CQC" in o for o in options)
    page.get_by_label("Partner body").select_option(label="CQC — Care Quality Commission")
    page.get_by_role("spinbutton", name="Places").fill("1")
    page.get_by_label("Expertise wanted").fill("a doctor")
    page.get_by_role("button", name="Ask for places").click()
    expect(page.locator("#place-requests")).to_contain_text("HMIP asks CQC for 1 place(s)")
    assert_accessible(page)

    page = sign_in("cqc.manager")
    page.goto(url)
    expect(page.locator("#place-requests")).to_contain_text("a doctor")
    expect(page.locator("#place-requests")).to_contain_text("Open")
    pick(page, "Add a person", "Dave Doctor")
    expect(page.locator("#team-check")).to_contain_text("may not be involved in this visit")
    page.get_by_role("button", name="Add to team").click()
    expect(page.get_by_text("Refused: Dave Doctor may not be involved")).to_be_visible()
    expect(page.get_by_text("UK-14").first).to_be_visible()
    pick(page, "Add a person", "Carol Carter")
    page.get_by_role("button", name="Add to team").click()
    expect(page.locator("#team")).to_contain_text("Carol Carter")
    expect(page.locator("#team")).to_contain_text("Checked by HMIP")  # Alice: name and role
    expect(page.locator("#place-requests")).to_contain_text("Filled")
    assert_accessible(page)

    page = sign_in("hmip.manager")
    page.goto(url)
    team = page.locator("#team")
    expect(team).to_contain_text("Carol Carter")
    expect(team).to_contain_text("Checked by CQC")
    expect(page.locator("#team-totals")).to_contain_text(
        "Whole team: 2 of 2; women 2; Medical 1; lead chosen."
    )
    expect(page.locator("#place-requests")).to_contain_text("Filled")
    body = page.locator("main").inner_text()
    assert "Dave Doctor" not in body and "may not be involved" not in body
    # Carol's record is CQC's: HMIP's manager gets her name, not a link to it
    expect(team.get_by_role("link", name="Carol Carter")).to_have_count(0)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(tmp_path / f"joint-{width}.png"), full_page=True)
    assert_accessible(page)
