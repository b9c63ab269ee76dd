"""Interference and reprisals handled (issue 18; APT: privileges and guarantees).

Alice (HMIP staff) reports being threatened at HMP Northbridge. HMIP's manager
acknowledges it, names a handler, records what was done, escalates it to the
NPM coordinator and closes it with an outcome. The coordinator sees the kind
and status, and Alice's name only once she agreed. `armslength remind` chases a
report on which nothing has happened for the policy's number of days (14 by
default). The annual report counts reports by kind and outcome, small numbers
suppressed, and its counts match a hand count on the demo.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from armslength.compliance.models import InterferenceAction, InterferenceReport
from armslength.compliance.services import (
    InterferenceRefused,
    interference_action_add,
    interference_escalate,
)
from armslength.engine.policy import default_policy_text
from armslength.register.demo import load_demo
from armslength.reports.report import build_report
from armslength.reports.suppression import HIDDEN
from armslength.screening.models import PolicyVersion
from tests.conftest import verify_second_factor


@pytest.fixture
def client_for(db):
    def sign_in(user):
        client = Client()
        client.force_login(user)
        verify_second_factor(client, user)
        return client

    return sign_in


def report_as_alice(client, cast, today, **extra):
    return client.post(
        reverse("compliance:interferencereport_add"),
        {
            "person": cast.alice.pk,
            "date": today.isoformat(),
            "kind": "intimidation",
            "establishment": cast.northbridge.pk,
            "what": "An officer said my report would cost me my job.",
            "by_whom": "Wing officer",
            **extra,
        },
    )


def handle(client, report, **data):
    return client.post(
        reverse("compliance:interference_handle", args=[report.pk]), data, follow=True
    )


def test_a_report_is_handled_through_the_web_and_escalated_without_the_reporters_name(
    cast, client_for, today, django_capture_on_commit_callbacks
):
    alice = client_for(cast.alice_user)
    assert report_as_alice(alice, cast, today).status_code == 302
    report = InterferenceReport.objects.get()
    assert (report.status, report.handler, report.name_may_be_shared) == ("received", None, False)

    manager = client_for(cast.hmip_manager)
    page = handle(
        manager,
        report,
        step="action",
        date=today.isoformat(),
        text="Acknowledged to Alice; notes secured.",
        status="acknowledged",
    ).content.decode()
    assert "Action recorded." in page
    report.refresh_from_db()
    assert report.status == "acknowledged" and report.handler == cast.hmip_manager
    handle(manager, report, step="handler", handler=cast.hmip_manager.pk)
    # closing without saying how it ended is refused, and nothing changes
    page = handle(
        manager, report, step="action", date=today.isoformat(), text="Done.", status="closed"
    ).content.decode()
    assert "Say how it ended" in page
    report.refresh_from_db()
    assert report.status == "acknowledged" and report.actions.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        handle(manager, report, step="escalate")
    report.refresh_from_db()
    assert report.escalated_at is not None
    (sent,) = [m for m in mail.outbox if cast.coordinator.email in m.to]
    assert "Intimidation" in sent.body or "intimidation" in sent.body
    assert "Alice" not in sent.body and "cost me my job" not in sent.body
    assert "not shared" in sent.body

    coordinator = client_for(cast.coordinator)
    escalations = coordinator.get(reverse("compliance:interference_escalations"))
    text = escalations.content.decode()
    assert "Intimidation or threats" in text and "Acknowledged" in text and "HMIP" in text
    assert "Alice" not in text and "cost me my job" not in text and "Wing officer" not in text
    # the coordinator cannot open the report itself
    assert coordinator.get(report.get_absolute_url()).status_code == 404

    handle(
        manager,
        report,
        step="action",
        date=today.isoformat(),
        text="Governor replied; officer spoken to.",
        status="closed",
        outcome="resolved",
    )
    report.refresh_from_db()
    assert (report.status, report.outcome) == ("closed", "resolved")
    dates = list(report.actions.values_list("date", flat=True))
    assert len(dates) == 3 and all(d == today for d in dates)
    # Alice follows her report's handling on its page
    mine = alice.get(report.get_absolute_url()).content.decode()
    assert "Closed" in mine and "Governor replied" in mine and "Record the action" not in mine


def test_the_coordinator_sees_the_name_only_when_the_reporter_agreed(cast, client_for, today):
    alice = client_for(cast.alice_user)
    report_as_alice(alice, cast, today, name_may_be_shared="on")
    agreed = InterferenceReport.objects.get()
    assert agreed.name_may_be_shared
    interference_escalate(report=agreed, user=cast.hmip_manager)
    page = client_for(cast.coordinator).get(reverse("compliance:interference_escalations"))
    assert "Alice Adams" in page.content.decode()
    # a manager entering a report cannot agree on the reporter's behalf
    manager = client_for(cast.hmip_manager)
    report_as_alice(manager, cast, today, name_may_be_shared="on", kind="hindrance")
    by_manager = InterferenceReport.objects.get(kind="hindrance")
    assert not by_manager.name_may_be_shared


def test_only_the_persons_own_managers_handle_a_report(cast, client_for, today):
    report_as_alice(client_for(cast.alice_user), cast, today)
    report = InterferenceReport.objects.get()
    step = {"step": "action", "date": today.isoformat(), "text": "x", "status": "closed"}
    url = reverse("compliance:interference_handle", args=[report.pk])
    assert client_for(cast.cqc_manager).post(url, step).status_code == 404
    assert client_for(cast.cqc_manager).get(report.get_absolute_url()).status_code == 404
    assert client_for(cast.alice_user).post(url, step).status_code == 403
    assert client_for(cast.sam_user).post(url, step).status_code == 404
    assert client_for(cast.coordinator).post(url, step).status_code == 404
    assert client_for(cast.auditor).post(url, step).status_code == 403
    assert Client().post(url, step).status_code == 302  # to sign in
    assert not InterferenceAction.objects.exists()
    # a staff member cannot give themself a status through the record's form either
    client_for(cast.alice_user).post(
        reverse("compliance:interferencereport_edit", args=[report.pk]),
        {
            "person": cast.alice.pk,
            "date": today.isoformat(),
            "kind": "intimidation",
            "what": "x",
            "status": "closed",
            "handler": cast.hmip_manager.pk,
        },
    )
    report.refresh_from_db()
    assert report.status == "received" and report.handler is None
    with pytest.raises(InterferenceRefused):
        interference_action_add(report=report, text="x", status="closed", outcome="")


def dry_run() -> str:
    out = io.StringIO()
    call_command("remind", "--dry-run", stdout=out)
    assert not mail.outbox or all("Interference" not in m.body for m in mail.outbox)
    return out.getvalue()


def idle(report, days, today):
    moment = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time(9)))
    InterferenceReport.objects.filter(pk=report.pk).update(last_activity_at=moment)


def test_the_remind_command_chases_a_report_nothing_happened_on(cast, client_for, today):
    report_as_alice(client_for(cast.alice_user), cast, today)
    report = InterferenceReport.objects.get()
    idle(report, 13, today)
    assert "Interference report" not in dry_run()
    # 15 days without an action (the default is 14): the body's managers are chased
    idle(report, 15, today)
    assert "Interference report" in dry_run()
    mail.outbox.clear()
    call_command("remind")
    (chase,) = [m for m in mail.outbox if "Interference report" in m.body]
    assert chase.to == [cast.hmip_manager.email]
    assert "nothing recorded for 15 days" in chase.body and "Alice" not in chase.body


def test_the_reminder_period_is_a_policy_setting_and_escalations_chase_the_coordinator(
    cast, client_for, today
):
    report_as_alice(client_for(cast.alice_user), cast, today)
    report = InterferenceReport.objects.get()
    interference_escalate(report=report, user=cast.hmip_manager)
    idle(report, 20, today)
    text = default_policy_text().replace(
        "interference_remind_days: 14", "interference_remind_days: 30"
    )
    PolicyVersion.objects.create(text=text, version="30 days", note="a month")
    assert "nterference" not in dry_run()
    PolicyVersion.objects.all().delete()
    mail.outbox.clear()
    call_command("remind")
    to_coordinator = [m for m in mail.outbox if m.to == [cast.coordinator.email]]
    assert to_coordinator and "escalated report of intimidation" in to_coordinator[0].body
    assert "Alice" not in to_coordinator[0].body


def test_the_report_section_counts_match_a_hand_count_on_the_demo(db, today):
    load_demo(seed=1, today=today)
    section = next(s for s in build_report(today.year).sections if s.key == "interference")
    tables = {t.key: t for t in section.tables}
    this_year = InterferenceReport.objects.filter(
        date__year=today.year, date__lte=today
    ).select_related("person__body")
    # by hand: count each kind and each outcome, one report at a time
    by_kind: dict[str, int] = {}
    by_outcome: dict[str, int] = {}
    for report in this_year:
        label = report.get_kind_display()
        by_kind[label] = by_kind.get(label, 0) + 1
        outcome = report.get_outcome_display() if report.status == "closed" else "Still open"
        by_outcome[outcome] = by_outcome.get(outcome, 0) + 1
    for key, counted in (("by_kind", by_kind), ("by_outcome", by_outcome)):
        rows = {label: n for label, n in tables[key].rows}
        assert rows.pop("Total") == len(this_year) == 24
        shown = {label: n for label, n in rows.items() if n is not HIDDEN}
        hidden = [label for label, n in rows.items() if n is HIDDEN]
        assert shown and all(n >= 5 for n in shown.values())
        assert all(counted.get(label, 0) == n for label, n in shown.items())
        # every small count is hidden (and, where one alone would show, a second one)
        assert all(label in hidden for label, n in counted.items() if n < 5)
        assert len(hidden) != 1


def test_bad_handling_input_is_refused_with_a_message_and_nothing_written(cast, client_for, today):
    report_as_alice(client_for(cast.alice_user), cast, today)
    report = InterferenceReport.objects.get()
    manager = client_for(cast.hmip_manager)
    for bad, words in (
        ({"step": "action", "date": "yesterday", "text": "x", "status": "acted_on"}, "Date:"),
        ({"step": "action", "date": today.isoformat(), "text": "x", "status": "??"}, "Status"),
        ({"step": "action", "date": today.isoformat(), "text": "", "status": "acted_on"}, "What"),
        ({"step": "handler", "handler": cast.cqc_manager.pk}, "Choose a manager"),
        ({"step": "nonsense"}, "Choose what to do"),
    ):
        page = handle(manager, report, **bad).content.decode()
        assert words in page, bad
    report.refresh_from_db()
    assert (report.status, report.handler, report.actions.count()) == ("received", None, 0)
    handle(manager, report, step="escalate")
    page = handle(manager, report, step="escalate").content.decode()
    assert "already escalated" in page
