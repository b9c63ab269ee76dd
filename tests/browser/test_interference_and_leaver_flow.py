"""Interference handled, and a leaver locked out, in the browser (issue 18).

Alice reports being threatened; HMIP's manager acknowledges it and escalates
it; the coordinator sees its kind and status but not Alice's name. Then Alice
leaves: her manager sets today as her leaving date, and she can no longer sign in.
"""

from __future__ import annotations

from playwright.sync_api import expect

from armslength.compliance.models import InterferenceReport
from tests.browser.helpers import open_menu
from tests.conftest import PASSWORD


def test_an_interference_report_is_handled_and_escalated_without_the_reporters_name(
    cast, live_server, sign_in, assert_accessible, today, page
):
    page.set_default_navigation_timeout(60_000)  # three sign-ins on a busy machine
    page = sign_in("alice")
    page.goto(f"{live_server.url}/compliance/interference/add/")
    page.get_by_label("When it happened").fill(today.isoformat())
    page.get_by_label("Kind").select_option(label="Intimidation or threats")
    page.get_by_label("What happened").fill("The deputy governor said my report would cost me.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#handling")).to_contain_text("Received")
    report = InterferenceReport.objects.get()

    page = sign_in("hmip.manager")
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    page.get_by_label("What was done").fill("Acknowledged to Alice; notes of the visit secured.")
    page.get_by_label("Status after this").select_option(label="Acknowledged")
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_text("Action recorded.")).to_be_visible()
    expect(page.locator("#interference-actions")).to_contain_text("notes of the visit secured")
    page.get_by_role("button", name="Escalate to the NPM coordinator").click()
    expect(page.get_by_text("Escalated to the NPM coordinator.").first).to_be_visible()
    assert_accessible(page)

    page = sign_in("coordinator")
    open_menu(page, "Compliance", "Escalated interference")
    table = page.locator("#escalations")
    expect(table).to_contain_text("Intimidation or threats")
    expect(table).to_contain_text("Acknowledged")
    expect(table).to_contain_text("not shared")
    text = page.locator("main").inner_text()
    assert "Alice" not in text and "deputy governor" not in text
    assert_accessible(page)


def test_a_leaver_cannot_sign_in_from_the_leaving_date(cast, live_server, sign_in, today):
    page = sign_in("hmip.manager")
    page.goto(f"{live_server.url}{cast.alice.get_absolute_url()}")
    page.get_by_role("link", name="Record a leaving date").click()
    page.get_by_role("textbox", name="Leaving date").fill(today.isoformat())
    page.get_by_role("button", name="Save the leaving date").click()
    expect(page.locator("#check-account")).to_contain_text("can no longer sign in")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.url.endswith("/login/")
