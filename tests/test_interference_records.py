"""Interference reports are records that stay, with the dates they give (issue 18 defects
found by an outside probe).

A reporter (or anyone) cannot delete a report: its handler closes it with an outcome
(APT: privileges and guarantees). The coordinator's escalations page dates each report
by what happened, not by when its row was created.
"""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from armslength.compliance.models import InterferenceReport
from armslength.compliance.services import interference_escalate
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
