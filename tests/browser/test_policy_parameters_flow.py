"""The coordinator changes a policy figure in the form: a weakened UK-14 rule is
refused, a valid change shows its diff before it is adopted (issue 17)."""

from __future__ import annotations

from playwright.sync_api import expect

from armslength.screening.models import PolicyVersion


def test_parameter_form_refuses_weakening_uk14_and_shows_a_diff_before_adopting(
    cast, live_server, sign_in, assert_accessible
):
    page = sign_in("coordinator")
    page.goto(f"{live_server.url}/policy/")
    page.get_by_role("link", name="Change figures and rules").click()
    assert_accessible(page)

    # weakening a UK-14 rule is refused, next to the rule
    page.locator("#id_rule-secondment-origin-verdict").select_option("declared")
    page.get_by_label("What changed and why").fill("Try to weaken UK-14")
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.locator("#id_rule-secondment-origin-verdict_error")).to_contain_text(
        "UK-14 rules can never be switched off or weakened"
    )
    expect(page.locator("#policy-diff")).to_have_count(0)
    expect(page.get_by_role("button", name="Adopt this version")).to_have_count(0)

    # a valid change: the diff first, then adoption
    page.locator("#id_rule-secondment-origin-verdict").select_option("block")
    page.locator("#id_supervision_days").fill("30")
    page.get_by_label("What changed and why").fill("Supervise secondees monthly")
    page.get_by_role("button", name="Preview the changes").click()
    diff = page.locator("#policy-diff")
    expect(diff).to_contain_text("-  supervision_days: 90")
    expect(diff).to_contain_text("+  supervision_days: 30")
    assert not PolicyVersion.objects.exists()  # nothing adopted by a preview
    page.screenshot(path="/tmp/guid-policy-diff.png", full_page=True)
    page.get_by_role("button", name="Adopt this version").click()

    expect(page.get_by_text("is now in force")).to_be_visible()
    row = page.locator("#param-supervision_days")
    expect(row).to_contain_text("30 days")
    expect(row).to_contain_text("This NPM's own choice")
    expect(row).to_contain_text("adopted by coordinator")
    assert PolicyVersion.objects.get().note == "Supervise secondees monthly"
