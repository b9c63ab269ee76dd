"""A new auditor opens the enrolment link the coordinator passed on, enrols an
authenticator in the browser, then signs in with a code."""

from __future__ import annotations

import base64

from django.conf import settings
from django_otp.oath import totp
from playwright.sync_api import expect

from armslength.accounts.twofactor import enrolment_link_issue
from tests.browser.helpers import open_menu
from tests.conftest import PASSWORD


def code_from_key(base32_key: str, ahead: int = 0) -> str:
    padded = base32_key + "=" * (-len(base32_key) % 8)
    return f"{totp(base64.b32decode(padded), 30, 0, 6, ahead):06d}"


def test_auditor_enrols_then_signs_in_with_a_code(cast, page, live_server, assert_accessible):
    link = enrolment_link_issue(cast.auditor, by=cast.coordinator)
    page.goto(live_server.url + link.removeprefix(settings.SITE_URL))  # signs in first
    page.get_by_label("Username").fill("auditor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.locator("figure.qr svg")).to_be_visible()
    assert_accessible(page)
    key = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code").fill(code_from_key(key))
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: continue").click()
    open_menu(page, "Reports", "Audit trail")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit trail")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").fill("auditor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Second step")
    assert_accessible(page)
    page.get_by_label("Code").fill(code_from_key(key, ahead=1))  # the enrolment used this one
    page.get_by_role("button", name="Verify").click()
    open_menu(page, "Reports", "Audit trail")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit trail")
