"""Teams checked live; the planner on a programme; accepted teams on the calendar."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from armslength.declarations.models import Affiliation
from armslength.register.models import Person
from armslength.visits.models import Visit


def test_teams_are_checked_live_and_the_planner_fills_the_calendar(
    cast, live_server, sign_in, assert_accessible, today
):
    Affiliation.objects.create(
        person=cast.alice,
        kind="employment",
        establishment=cast.northbridge,
        role="officer",
        end="2020-01-01",
    )
    for n in range(4):
        Person.objects.create(
            body=cast.hmip,
            name=f"Inspector {n}",
            category="staff",
            gender="female" if n % 2 else "male",
            npm_role="frontline",
            expertise=["legal"] if n < 2 else ["medical"],
            can_lead=n == 0,
        )
    start = today + dt.timedelta(days=20)
    origin_visit = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.northbridge,
        start=start,
        end=start + dt.timedelta(days=2),
        team_size=2,
        requires={"legal": 1},
    )
    Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate,
        start=start + dt.timedelta(days=7),
        end=start + dt.timedelta(days=8),
        team_size=2,
        requires={"medical": 1},
        needs_lead=False,
    )

    page = sign_in("hmip.manager")
    page.goto(f"{live_server.url}{origin_visit.get_absolute_url()}")
    # a secondee to the establishment they were seconded from: refused, with UK-14
    # the picker narrows as the manager types; each person shows unit, body and key
    picker = page.get_by_role("searchbox", name="Type to narrow the choices below")
    picker.fill("sam secondee")
    expect(page.get_by_label("Add a person", exact=True)).to_have_value(str(cast.sam.pk))
    expect(page.locator("#team-check")).to_contain_text("may not be involved in this visit")
    page.get_by_role("button", name="Add to team").click()
    # the refusal's banner is where the page lands, in view, inside the team section
    banner = page.locator("#team-refused")
    expect(banner).to_contain_text("Refused: Sam Secondee may not be involved")
    expect(banner).to_be_in_viewport()
    expect(page.get_by_text("UK-14").first).to_be_visible()
    # a former employee: only offered as preparation
    page.get_by_label("Add a person", exact=True).select_option(
        label=f"Alice Adams — no unit · HMIP · {cast.alice.key}"
    )
    expect(page.locator("#team-check")).to_contain_text("only as preparation support")
    page.get_by_label("Role").select_option("preparation")
    page.get_by_role("button", name="Add to team").click()
    expect(page.locator("#team")).to_contain_text("Preparation only")
    assert_accessible(page)

    # the planner proposes teams for the programme; the bar finishes; accept them
    menu = page.get_by_role("navigation", name="Main")
    menu.locator("summary", has_text="Visits").click()
    menu.get_by_role("link", name="Plan teams", exact=True).click()
    page.get_by_label("Visits from").fill(today.isoformat())
    page.get_by_label("until").fill((today + dt.timedelta(days=60)).isoformat())
    page.get_by_label("Time limit (seconds)").fill("5")
    page.get_by_role("button", name="Run the planner").click()
    expect(page.locator("#planning-bar")).to_have_attribute("value", "100", timeout=30_000)
    expect(page.locator("#planning-progress")).to_contain_text("Done")
    expect(page.locator("#proposed tbody tr")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("button", name="Accept the selected teams").click()
    expect(page.get_by_text("Team changed:")).to_have_count(2)

    page.goto(f"{live_server.url}/visits/calendar/?year={start.year}&month={start.month}")
    team_names = [a.person.name for a in origin_visit.assignments.exclude(role="preparation")]
    assert len(team_names) == 2
    for name in team_names:
        expect(page.locator(".calendar").get_by_text(name, exact=False).first).to_be_visible()
    assert "Sam Secondee" not in page.locator(".calendar").inner_text()


def test_two_people_of_the_same_name_are_told_apart_in_the_team_picker(
    cast, live_server, sign_in, today
):
    for unit in ("North team", "South team"):
        Person.objects.create(
            body=cast.hmip,
            name="Yusuf Okafor",
            unit=unit,
            category="staff",
            gender="male",
            npm_role="frontline",
        )
    visit = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.southgate,
        start=today + dt.timedelta(days=30),
        end=today + dt.timedelta(days=31),
    )
    south = Person.objects.get(name="Yusuf Okafor", unit="South team")
    page = sign_in("hmip.manager")
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    select = page.get_by_label("Add a person", exact=True)
    labels = select.locator("option").all_inner_texts()
    assert [t for t in labels if t.startswith("Yusuf")] == [
        f"Yusuf Okafor — North team · HMIP · {Person.objects.get(unit='North team').key}",
        f"Yusuf Okafor — South team · HMIP · {south.key}",
    ]
    page.get_by_role("searchbox", name="Type to narrow the choices below").fill("okafor south")
    expect(select).to_have_value(str(south.pk))
    expect(select.locator("option:not([hidden])")).to_have_count(2)  # the empty choice and one
