"""A manager adds a secondee; the dashboard shows what is missing; each is done; it clears."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from tests.browser.helpers import pick
from tests.conftest import PASSWORD


def test_new_secondee_findings_disappear_as_each_safeguard_is_done(
    cast, live_server, sign_in, assert_accessible, today
):
    page = sign_in("hmip.manager")
    # add the secondee, with a secondment that began last week
    page.goto(f"{live_server.url}/people/add/")
    page.get_by_label("Name", exact=True).fill("Nia Newcomer")
    page.get_by_label("Email").fill("nia@example.org")
    page.get_by_label("Category").select_option("secondee")
    page.get_by_label("NPM role").select_option("frontline")
    page.get_by_label("Gender").select_option("female")
    page.get_by_label("Origin organisation").select_option(label="HM Prison and Probation Service")
    page.locator("#id_secondment-start").fill((today - dt.timedelta(days=7)).isoformat())
    page.locator("#id_secondment-end").fill((today + dt.timedelta(days=700)).isoformat())
    page.locator("#id_secondment-inclusive_0").check()  # yes
    page.locator("#id_secondment-merit_based_0").check()  # yes
    page.get_by_role("button", name="Save").click()
    person_url = page.url

    # the dashboard shows the three missing safeguards
    page.goto(f"{live_server.url}/compliance/")
    nia = page.locator("tr", has_text="Nia Newcomer")
    expect(nia.filter(has_text="secondee-recruitment")).to_have_count(1)
    expect(nia.filter(has_text="secondee-assessment")).to_have_count(1)
    expect(nia.filter(has_text="secondee-awareness")).to_have_count(1)
    assert_accessible(page)

    # 1. the recruitment record (UK-11)
    page.goto(person_url)
    page.locator("#secondments-h").scroll_into_view_if_needed()
    page.get_by_role("link", name="Open").first.click()
    page.get_by_role("link", name="Add the recruitment record").click()
    page.get_by_label("Post").fill("Custody inspector")
    page.get_by_label("Published criteria").fill("Five years of custody experience")
    page.get_by_label("Where it was advertised").fill("Civil Service Jobs")
    page.get_by_label("Advertised on").fill((today - dt.timedelta(days=90)).isoformat())
    page.get_by_label("Selection panel").fill("Two managers and a member")
    page.get_by_label("Outcome").fill("Appointed")
    page.locator("#id_inclusive_0").check()  # the process was inclusive (UK-11)
    page.locator("#id_merit_based_0").check()  # selected on merit (APT: seconded officials)
    page.get_by_label("Why the expertise cannot be found elsewhere").fill(
        "No independent applicant had custody healthcare experience"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recruitment of Nia Newcomer")

    # 2. the conflict assessment, signed off (UK-12)
    page.goto(person_url)
    page.get_by_role("link", name="Record an assessment").click()
    page.get_by_label("Date", exact=True).fill(today.isoformat())
    page.get_by_label("Areas of possible conflict considered").fill("HMPPS and its prisons")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Sign off this assessment").click()
    expect(page.get_by_text("Assessment signed off.")).to_be_visible()

    # 3. a staff account for Nia, who acknowledges the duty herself (UK-15)
    page.goto(f"{live_server.url}/accounts/users/add/")
    page.get_by_label("Username").fill("nia")
    page.get_by_label("Email address").fill("nia@example.org")
    pick(page, "Person in the register", "Nia Newcomer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("nia")

    page = sign_in("nia")
    page.get_by_role("link", name="Acknowledge the duty to act with real and perceived").click()
    assert_accessible(page)
    page.get_by_label("I have read this and I understand it.").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("your acknowledgement is recorded")).to_be_visible()

    # the findings are gone, and the dashboard remembers they were open
    page = sign_in("hmip.manager")
    page.goto(f"{live_server.url}/compliance/")
    expect(page.locator("table[id^=findings] tr", has_text="Nia Newcomer")).to_have_count(0)
    closed = page.locator("section", has_text="Recently closed")
    expect(closed).to_contain_text("Nia Newcomer")
