"""A body manager keeps the register; another body's manager cannot reach it."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from armslength.register.models import Person


def test_manager_adds_a_secondee_and_another_body_cannot_see_them(
    cast, live_server, sign_in, assert_accessible, today
):
    page = sign_in("hmip.manager")
    assert_accessible(page)

    menu = page.get_by_role("navigation", name="Main")
    menu.locator("summary", has_text="People").click()
    menu.get_by_role("link", name="People", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Add person").click()
    page.get_by_label("Name", exact=True).fill("Rowan Rivers")
    page.get_by_label("Category").select_option("secondee")
    page.get_by_label("NPM role").select_option("frontline")
    page.get_by_label("Gender").select_option("female")
    page.get_by_label("Detention", exact=True).check()
    page.get_by_label("Policing", exact=True).check()
    page.get_by_label("Origin organisation").select_option(label="HM Prison and Probation Service")
    page.get_by_label("Origin establishment").select_option(label="HMP Northbridge")
    start = today - dt.timedelta(days=30)
    page.locator("#id_secondment-start").fill(start.isoformat())
    page.locator("#id_secondment-end").fill((start + dt.timedelta(days=729)).isoformat())
    page.locator("#id_secondment-inclusive_0").check()  # yes
    page.locator("#id_secondment-merit_based_0").check()  # yes
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Rowan Rivers")
    expect(page.get_by_role("cell", name="HMP Northbridge", exact=True)).to_be_visible()
    # the engine already keeps them away from the place they came from (UK-14)
    row = page.locator("#person-screening tbody tr", has_text="HMP Northbridge")
    expect(row).to_contain_text("Seconded from HMP Northbridge")
    person = Person.objects.get(name="Rowan Rivers")
    assert person.secondments.count() == 1

    # find them in the list
    menu = page.get_by_role("navigation", name="Main")
    menu.locator("summary", has_text="People").click()
    menu.get_by_role("link", name="People", exact=True).click()
    page.get_by_role("searchbox", name="Search").fill("Rowan")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("link", name="Rowan Rivers")).to_be_visible()
    expect(page.get_by_role("link", name="Alice Adams")).to_have_count(0)

    # the change is in the history: the person and the secondment, by this manager
    page.get_by_role("link", name="Rowan Rivers").click()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Rowan Rivers")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Create person")
    expect(timeline).to_contain_text("Create secondment")
    expect(timeline).to_contain_text("hmip.manager")
    assert_accessible(page)

    # another body's manager cannot see them, in the list or by guessing the URL
    page = sign_in("cqc.manager")
    page.goto(f"{live_server.url}/people/?q=Rowan")
    expect(page.get_by_text("No people match.")).to_be_visible()
    response = page.goto(f"{live_server.url}/people/{person.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/people/{person.pk}/history/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/people/{person.pk}/edit/")
    assert response.status == 404


def test_invalid_dates_show_an_error_next_to_the_field(cast, live_server, sign_in):
    page = sign_in("hmip.manager")
    page.goto(f"{live_server.url}/people/add/")
    page.get_by_label("Name", exact=True).fill("Wrong Dates")
    page.get_by_label("Category").select_option("secondee")
    page.get_by_label("Gender").select_option("male")
    page.get_by_label("Origin organisation").select_option(label="Ministry of Justice")
    page.locator("#id_secondment-start").fill("2026-05-01")
    page.locator("#id_secondment-end").fill("2026-04-01")
    page.get_by_role("button", name="Save").click()
    error = page.locator("#id_secondment-end_error")
    expect(error).to_have_text("The end date is before the start date.")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    assert not Person.objects.filter(name="Wrong Dates").exists()


def test_main_pages_are_accessible_for_each_role(cast, live_server, sign_in, assert_accessible):
    for username, paths in {
        "auditor": ["/", "/audit/", f"/people/{cast.sam.pk}/", "/secondments/"],
        "coordinator": ["/", "/bodies/", "/establishments/", "/accounts/users/add/"],
        "alice": ["/", "/accounts/me/"],
    }.items():
        page = sign_in(username)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            expect(page).not_to_have_title(re.compile("Not found|error", re.I))
            assert_accessible(page)
