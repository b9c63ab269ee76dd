"""A manager declares a staff member's family tie with a governor, sees the block, ends the tie."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from playwright.sync_api import expect


def test_declared_tie_blocks_until_it_ends(cast, live_server, sign_in, assert_accessible, today):
    page = sign_in("hmip.manager")
    page.goto(f"{live_server.url}{cast.alice.get_absolute_url()}")
    expect(page.get_by_text("Clear for every establishment.")).to_be_visible()
    page.get_by_role("link", name="Declare an interest").click()
    page.get_by_label("Kind").select_option("family")
    page.get_by_label("Establishment").select_option(label="HMP Southgate")
    page.get_by_label("The other person is").select_option("authority")
    page.get_by_label("Person concerned").fill("Jo Adams, the governor")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Family tie")

    page.get_by_role("link", name="Alice Adams").first.click()
    row = page.locator("#person-screening tbody tr", has_text="HMP Southgate")
    expect(row).to_contain_text("block")
    expect(row).to_contain_text("A declared family tie with the authorities of HMP Southgate")
    expect(row).to_contain_text("APT: conflict of interest")
    assert_accessible(page)

    # the establishment's page shows her too
    page.get_by_role("link", name="HMP Southgate").first.click()
    expect(page.locator("#establishment-screening")).to_contain_text("Alice Adams")

    # end the tie as of yesterday: she is clear again
    page.go_back()
    page.get_by_role("link", name="Family tie").click()
    yesterday = today - dt.timedelta(days=1)
    expect(page.get_by_label("Ended on")).to_have_value(yesterday.isoformat())
    page.get_by_role("button", name="End it").click()
    # the message reads the date in the locale's format, as every page does
    expect(page.get_by_text(f"Ended on {date_format(yesterday, 'DATE_FORMAT')}.")).to_be_visible()
    page.get_by_role("link", name="Alice Adams").first.click()
    expect(page.get_by_text("Clear for every establishment.")).to_be_visible()
