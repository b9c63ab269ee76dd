"""Findings current, reads read-only (issue 13): findings are computed by the services
after each change and by the daily run, never while a page is read; at most one open
finding per key; the API, the dashboard and the report agree."""

from __future__ import annotations

import datetime as dt
import io
import os
import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from armslength.compliance.models import FindingRecord, FindingsComputed
from armslength.compliance.services import findings_sync
from armslength.register.models import Person
from tests.test_api import api_as, keyed

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
#: the one write a read may make: who saw what (and the session's sliding expiry, or an
#: API token's last use, which say when the caller was last here, not what they saw)
ALLOWED = ("auditlog_logentry", "django_session", '"api_apitoken" SET "last_used_at"')


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITES)
        and not any(table in q["sql"] for table in ALLOWED)
    ]


def test_a_dashboard_get_writes_nothing(cast, client_for):
    Person.objects.create(body=cast.hmip, name="No Role", category="staff", gender="male")
    client = client_for(cast.hmip_manager)
    client.get(reverse("compliance:dashboard"))  # sign-in writes are behind us
    for user in (cast.hmip_manager, cast.coordinator, cast.auditor):
        client = client_for(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("compliance:dashboard"))
        assert response.status_code == 200
        assert writes(queries.captured_queries) == []
    assert not FindingRecord.objects.exists()  # nothing computed it: nothing changed


def test_a_change_computes_the_findings_and_the_page_says_when(cast, client_for):
    client = client_for(cast.hmip_manager)
    assert "have not been computed yet" in client.get(reverse("compliance:dashboard")).text
    client.post(
        reverse("register:person_add"),
        {
            "name": "No Role",
            "category": "staff",
            "gender": "male",
            "body": cast.hmip.pk,
            "full_time_npm": "on",
        },
    )
    assert FindingRecord.objects.filter(rule="npm-role-unset", closed_at__isnull=True).exists()
    page = client.get(reverse("compliance:dashboard")).text
    assert "Findings last computed" in page and "after a change" in page


def test_at_most_one_open_finding_per_key(cast):
    FindingRecord.objects.create(key="k", rule="r", severity="error", text="t")
    with pytest.raises(IntegrityError), transaction.atomic():
        FindingRecord.objects.create(key="k", rule="r", severity="error", text="t")
    FindingRecord.objects.filter(key="k").update(closed_at=timezone.now())
    FindingRecord.objects.create(key="k", rule="r", severity="error", text="t")  # reopened


def test_a_finding_that_falls_due_overnight_appears_after_the_daily_run(cast, today):
    member = Person.objects.create(
        body=cast.hmip,
        name="Mo Member",
        category="member",
        npm_role="frontline",
        gender="female",
        term_start=today - dt.timedelta(days=1000),
        term_end=today + dt.timedelta(days=90),  # 90 days' notice: due from today
    )
    findings_sync(today=today - dt.timedelta(days=1))  # computed yesterday: not yet due
    assert not FindingRecord.objects.filter(person=member, rule="term-ending").exists()
    call_command("remind", stdout=io.StringIO())  # the daily run, as cron starts it
    assert FindingRecord.objects.filter(
        person=member, rule="term-ending", closed_at__isnull=True
    ).exists()
    assert FindingsComputed.last().trigger == "the daily run"


def test_after_an_api_change_the_api_dashboard_and_report_counts_agree(cast, client_for, today):
    keyed(cast)
    api = api_as(cast.hmip_manager)
    made = api.post(
        "/api/people/",
        {"key": "newbie", "name": "New Secondee", "category": "secondee", "gender": "male"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    seconded = api.post(
        "/api/secondments/",
        {
            "person": made.json()["key"],  # namespaced by the body (issue 12)
            "origin": "moj",
            "start": today.isoformat(),
            "inclusive": True,
            "merit_based": True,
        },
        format="json",
    )
    assert seconded.status_code == 201, seconded.json()
    from_api = api.get("/api/findings/", {"open": "true"}).json()["count"]
    assert from_api > 0
    page = client_for(cast.hmip_manager).get(reverse("compliance:dashboard"))
    assert page.context["total"] == from_api
    report = api.get(f"/api/reports/{today.year}/", {"body": "hmip"}).json()
    findings = next(t for t in report["tables"] if t["section"] == "findings")
    assert int(findings["rows"][0][2]) == from_api  # open at the end of the (running) year


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL): SQLite serialises writers",
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_computations_leave_one_open_finding_per_key(cast_committed):
    barrier = threading.Barrier(2)
    errors = []

    def compute():
        try:
            barrier.wait()
            findings_sync()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=compute) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    keys = list(FindingRecord.objects.filter(closed_at__isnull=True).values_list("key", flat=True))
    assert keys and len(keys) == len(set(keys))


@pytest.fixture
def cast_committed(transactional_db):
    """People whose findings two computations race to open (committed, for the threads)."""
    from armslength.register.models import Body

    body = Body.objects.create(key="b", abbreviation="B", name="B")
    for n in range(5):
        Person.objects.create(body=body, name=f"P{n}", category="staff", gender="male")


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "register:person_list",
        "screening:screening",
        "visits:visit_list",
        "reports:report",
        "/api/findings/",
        "/api/visits/",
    ],
)
def test_the_pages_that_show_findings_or_verdicts_write_nothing_on_get(cast, client_for, page):
    """Not only the dashboard: a GET of a page that reads findings or verdicts computes
    nothing and stores nothing (access-log entries and the session aside)."""
    Person.objects.create(body=cast.hmip, name="No Role", category="staff", gender="male")
    url = page if page.startswith("/") else reverse(page)
    if page.startswith("/api/"):
        client = api_as(cast.hmip_manager)
    else:
        client = client_for(cast.hmip_manager)
        client.get(url)  # sign-in writes are behind us
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert writes(queries.captured_queries) == []
