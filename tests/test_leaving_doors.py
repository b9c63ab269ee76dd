"""Leaving dates through every door, and dates that leave no time to ask (issue 18 defects).

A leaving date set through a spreadsheet import opens the same exit checklist as
the web: the acknowledgement is asked before the date. A leaving date of today or
in the past asks nothing that cannot be done (the account is locked from that
day): the checklist says it was not asked, and the audit trail records why.
"""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.core import mail
from django.urls import reverse

from armslength.compliance.services import reminders_due
from armslength.visits.services import exit_checklist, person_leaving_set
from tests.test_spreadsheets import csv_bytes, run


def asked(person_user) -> list:
    return [
        m
        for m in mail.outbox
        if "acknowledge continuing confidentiality" in m.subject and m.to == [person_user.email]
    ]


def test_a_leaving_date_imported_from_a_spreadsheet_asks_for_the_acknowledgement(
    cast, today, django_capture_on_commit_callbacks
):
    cast.alice.key = "hmip-alice"
    cast.alice.save()
    leaving = today + dt.timedelta(days=20)
    data = csv_bytes(
        ["key", "name", "category", "npm_role", "gender", "left"],
        [["hmip-alice", "Alice Adams", "staff", "frontline", "female", leaving.isoformat()]],
    )
    with django_capture_on_commit_callbacks(execute=True):
        run("people", data, cast.hmip, user=cast.hmip_manager)
    cast.alice.refresh_from_db()
    assert cast.alice.left == leaving
    assert len(asked(cast.alice_user)) == 1
    checklist = exit_checklist(person=cast.alice)
    assert checklist is not None and not checklist.too_late_to_ask
    # the same file again changes nothing and asks nothing again
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run("people", data, cast.hmip, user=cast.hmip_manager)
    assert not asked(cast.alice_user)


def test_a_leaving_date_of_today_asks_nothing_impossible_and_the_checklist_says_so(
    cast, today, client_for, django_capture_on_commit_callbacks
):
    client = client_for(cast.hmip_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("visits:leaving", args=[cast.alice.pk]), {"left": today.isoformat()}
        )
    assert response.status_code == 302
    # no request she can no longer answer: no email, no reminder line
    assert not asked(cast.alice_user)
    lines = [i for d in reminders_due(today=today) for i in d.items if "You leave on" in i]
    assert not lines
    cast.alice.refresh_from_db()
    assert exit_checklist(person=cast.alice).too_late_to_ask
    page = client.get(response.url).content.decode()
    assert "Not asked:" in page and "cannot sign in to acknowledge" in page
    # and the audit trail says why it was not asked
    entry = LogEntry.objects.get_for_object(cast.alice).filter(
        changes__icontains="exit acknowledgement"
    )
    assert entry.exists() and "not asked" in str(entry.first().changes)


def test_a_past_leaving_date_is_not_asked_either_a_future_one_is(
    cast, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person_leaving_set(
            person=cast.alice, left=today - dt.timedelta(days=3), user=cast.hmip_manager
        )
    assert not asked(cast.alice_user)
    with django_capture_on_commit_callbacks(execute=True):
        person_leaving_set(
            person=cast.alice, left=today + dt.timedelta(days=1), user=cast.hmip_manager
        )
    assert len(asked(cast.alice_user)) == 1
