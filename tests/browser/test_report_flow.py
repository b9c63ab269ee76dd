"""The coordinator reads the NPM-wide report, adds commentary, and freezes last year."""

from __future__ import annotations

import datetime as dt

from armslength.register.models import Person
from armslength.reports.models import Narrative, Snapshot
from tests.browser.helpers import open_menu


def test_coordinator_reads_the_report_writes_commentary_and_freezes_a_year(
    cast, sign_in, live_server, assert_accessible, today
):
    Person.objects.filter(pk=cast.alice.pk).update(joined=dt.date(today.year - 3, 1, 1))
    page = sign_in("coordinator")
    open_menu(page, "Reports", "Annual report")
    page.get_by_role("heading", level=1, name=f"independence report {today.year}").wait_for()
    assert page.locator("svg.chart").count() >= 3
    assert page.get_by_text("Provisional:", exact=True).is_visible()
    section = page.locator("#section-secondees")
    section.get_by_role("link", name="Add commentary to this section").click()
    section.get_by_label("Commentary").fill("Reliance on secondees fell as two returned home.")
    section.get_by_role("button", name="Save commentary").click()
    section.get_by_text("Reliance on secondees fell as two returned home.").wait_for()
    assert Narrative.objects.get(section="secondees", body=None).updated_by == cast.coordinator
    assert_accessible(page)

    page.get_by_role("link", name="Snapshots").click()
    page.get_by_label("Reporting year").fill(str(today.year - 1))
    page.get_by_role("button", name="Take snapshot").click()
    page.get_by_text(f"{today.year - 1} frozen for 2 bodies.").wait_for()
    assert Snapshot.objects.filter(year=today.year - 1).count() == 2
    assert_accessible(page)

    page.goto(f"{live_server.url}/reports/?year={today.year - 1}&body={cast.hmip.pk}")
    page.get_by_text("frozen on").first.wait_for()
    row = page.locator("#table-secondees-share_by_year tbody tr").first
    assert row.locator("th").inner_text() == str(today.year - 1)
