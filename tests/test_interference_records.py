"""Interference reports are records that stay, with the dates they give (issue 18 defects
found by an outside probe).

A reporter (or anyone) cannot delete a report: its handler closes it with an outcome
(APT: privileges and guarantees). The coordinator's escalations page dates each report
by what happened, not by when its row was created.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from armslength.compliance.models import InterferenceReport
from armslength.compliance.services import (
    InterferenceRefused,
    interference_action_add,
    interference_escalate,
    interference_report_update,
)
from tests.test_interference import report_as_alice


def test_nobody_deletes_an_interference_report_the_reporter_least_of_all(
    cast,
    client_for,
    today,
):
    alice = client_for(cast.alice_user)
    report_as_alice(alice, cast, today)
    report = InterferenceReport.objects.get()
    delete = reverse("compliance:interferencereport_delete", args=[report.pk])
    refused = alice.post(delete)
    assert refused.status_code == 403 and "never deleted" in refused.content.decode()
    assert InterferenceReport.objects.filter(pk=report.pk).exists()
    # nor her manager; and the report's page offers no Delete button
    manager = client_for(cast.hmip_manager)
    assert manager.post(delete).status_code == 403
    assert InterferenceReport.objects.filter(pk=report.pk).exists()
    detail = manager.get(report.get_absolute_url()).content.decode()
    assert delete not in detail


def test_the_escalations_page_dates_a_report_by_what_happened_not_its_row(
    cast,
    client_for,
    today,
):
    happened = today - dt.timedelta(days=40)
    report = InterferenceReport.objects.create(
        person=cast.alice, date=happened, kind="reprisal", what="Moved off the wing."
    )
    interference_escalate(report=report, user=cast.hmip_manager)
    page = client_for(cast.coordinator).get(reverse("compliance:interference_escalations"))
    (row,) = re.findall(
        r"<tbody><tr>(.*?)</tr>", page.content.decode().split('id="escalations"')[1]
    )
    cells = re.findall(r"<td>(.*?)</td>", row)
    # body, kind, status, happened, escalated, ...
    assert cells[3] == happened.isoformat()
    assert cells[4] == today.isoformat()


def _edit(client, report, cast, today, **changes):
    data = {
        "person": report.person_id,
        "date": report.date.isoformat(),
        "kind": report.kind,
        "establishment": cast.northbridge.pk,
        "what": report.what,
        "by_whom": "Wing officer",
        **changes,
    }
    return client.post(reverse("compliance:interferencereport_edit", args=[report.pk]), data)


def test_a_manager_cannot_change_who_filed_a_report(cast, client_for, today):
    """Issue 18 probe, item 1: the reporter of a report never changes after filing, or the
    escalations page names someone who never agreed."""
    report_as_alice(client_for(cast.alice_user), cast, today, name_may_be_shared="on")
    report = InterferenceReport.objects.get()
    manager = client_for(cast.hmip_manager)
    _edit(manager, report, cast, today, person=cast.sam.pk)
    report.refresh_from_db()
    assert report.person_id == cast.alice.pk
    # the service refuses it whichever door asks
    with pytest.raises(InterferenceRefused, match="Person"):
        interference_report_update(report=report, changes={"person": cast.sam})
    report.refresh_from_db()
    assert report.person_id == cast.alice.pk


def test_what_a_report_says_is_fixed_once_received_and_a_closed_one_is_not_edited(
    cast, client_for, today
):
    """Issue 18 probe, item 2: what happened, its date and kind stay as filed (corrections
    are dated actions); a closed report is not editable by the reporter or a manager."""
    alice = client_for(cast.alice_user)
    report_as_alice(alice, cast, today)
    report = InterferenceReport.objects.get()
    filed = (report.what, report.date, report.kind)
    for client in (alice, client_for(cast.hmip_manager)):
        response = _edit(
            client,
            report,
            cast,
            today,
            what="Nothing happened.",
            date=(today - dt.timedelta(days=300)).isoformat(),
            kind="other",
            by_whom="A governor",
        )
        assert response.status_code == 302
        report.refresh_from_db()
        assert (report.what, report.date, report.kind) == filed
        assert report.by_whom == "A governor"  # what may change still does
    with pytest.raises(InterferenceRefused, match="What happened"):
        interference_report_update(report=report, changes={"what": "Rewritten"})
    interference_action_add(
        report=report, text="Done", status="closed", outcome="resolved", user=cast.hmip_manager
    )
    edit = reverse("compliance:interferencereport_edit", args=[report.pk])
    for client in (alice, client_for(cast.hmip_manager)):
        assert client.get(edit).status_code == 403
        assert _edit(client, report, cast, today, by_whom="Changed").status_code == 403
    report.refresh_from_db()
    assert report.by_whom == "A governor"


def test_the_inbox_lists_a_report_only_until_a_dated_action_is_recorded(cast, client_for, today):
    """Issue 18 probe, item 5: the inbox filtered on the old `action` text field, so a
    handled (even closed) report still read "no action recorded yet"."""
    from armslength.accounts.inbox import inbox_for

    report_as_alice(client_for(cast.alice_user), cast, today)
    report = InterferenceReport.objects.get()

    def listed() -> bool:
        return any(item.url == report.get_absolute_url() for item in inbox_for(cast.hmip_manager))

    assert listed()
    interference_action_add(
        report=report, text="Spoke to the governor.", status="acted_on", user=cast.hmip_manager
    )
    assert not listed()
    interference_action_add(
        report=report, text="Done", status="closed", outcome="resolved", user=cast.hmip_manager
    )
    assert not listed()


def test_an_actions_date_is_between_what_happened_and_today(cast, client_for, today):
    """Issue 18 probe, item 7: 1900 and 2099 were accepted as action dates."""
    report = InterferenceReport.objects.create(
        person=cast.alice, date=today - dt.timedelta(days=10), kind="reprisal", what="Moved."
    )
    manager = client_for(cast.hmip_manager)
    url = reverse("compliance:interference_handle", args=[report.pk])
    for day, says in (
        (dt.date(1900, 1, 1), "before what happened"),
        (dt.date(2099, 1, 1), "later than today"),
        (today + dt.timedelta(days=1), "later than today"),
    ):
        step = {"step": "action", "date": day.isoformat(), "text": "x", "status": "acted_on"}
        page = manager.post(url, step, follow=True).content.decode()
        assert says in page
        with pytest.raises(InterferenceRefused, match=says):
            interference_action_add(report=report, text="x", status="acted_on", on=day)
    assert not report.actions.exists()
    step = {"step": "action", "date": report.date.isoformat(), "text": "x", "status": "acted_on"}
    manager.post(url, step)
    assert report.actions.get().date == report.date


def test_what_happened_is_bounded_with_a_clear_message(cast, client_for, today):
    """Issue 18 probe, item 8: 3,000,000 characters of "what happened" were accepted."""
    alice = client_for(cast.alice_user)
    response = report_as_alice(alice, cast, today, what="x" * 10_001)
    assert response.status_code == 400
    assert "at most 10000 characters" in response.content.decode()
    assert not InterferenceReport.objects.exists()
    assert report_as_alice(alice, cast, today, what="x" * 10_000).status_code == 302


def test_the_annual_reports_small_interference_total_is_suppressed(cast, today):
    """Issue 18 probe, item 12: with 1-4 reports every category read "fewer than 5" but
    the Total row gave the exact count."""
    from armslength.reports.report import build_report
    from armslength.reports.suppression import HIDDEN

    day = today.replace(month=1, day=1)
    for _ in range(3):
        InterferenceReport.objects.create(person=cast.alice, date=day, kind="reprisal", what="x")
    section = next(s for s in build_report(today.year).sections if s.key == "interference")
    for table in section.tables:
        rows = dict(table.rows)
        assert rows["Total"] is HIDDEN, table.key
