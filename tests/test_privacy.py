"""Subject access and anonymisation after the retention period.

Stories: Sam asks for everything held about him and gets it all, supervision
notes included. Years after leaving, a former secondee is anonymised: the
register, the audit trail and their account no longer say who they were, and
the year-end figures of the years they worked are unchanged.
"""

from __future__ import annotations

import datetime as dt
import json

from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from armslength.compliance.models import Supervision
from armslength.declarations.models import Affiliation
from armslength.register.models import Person
from armslength.register.privacy import anonymise, due_for_erasure, subject_access
from armslength.reports.models import Snapshot
from armslength.reports.services import snapshot_take


def test_subject_access_holds_every_record_about_the_person(cast, client_for):
    Supervision.objects.create(person=cast.sam, date=dt.date.today(), notes="Doing well")
    Affiliation.objects.create(
        person=cast.sam, kind="employment", organisation=cast.hmpps, start=dt.date(2015, 1, 1)
    )
    cast.sam.ethnicity = "Self-described"
    cast.sam.save()
    document = subject_access(cast.sam, cast.sam_user)  # their own: special-category included
    assert document["person"]["name"] == "Sam Secondee"
    assert document["person"]["ethnicity"] == "Self-described"
    records = document["records"]
    assert {"register.secondment", "compliance.supervision", "declarations.affiliation"} <= set(
        records
    )
    assert records["compliance.supervision"][0]["notes"] == "Doing well"
    assert document["account"]["username"] == "sam"
    assert "password" not in json.dumps(document, default=str)
    assert any(e["record"].startswith("register.person:") for e in document["audit_trail"])

    download = client_for(cast.sam_user).get(
        reverse("register:person_subject_access", args=[cast.sam.pk])
    )
    assert json.loads(download.content)["person"]["key"] == cast.sam.key
    assert (
        client_for(cast.alice_user)
        .get(reverse("register:person_subject_access", args=[cast.sam.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(cast.cqc_manager)
        .get(reverse("register:person_subject_access", args=[cast.sam.pk]))
        .status_code
        == 404
    )


def test_people_who_left_long_ago_are_anonymised_keeping_the_years_figures(cast, today, settings):
    settings.PERSON_RETENTION_YEARS = 6
    left = today.replace(year=today.year - 7)
    former = Person.objects.create(
        body=cast.hmip,
        key="hr-former",
        name="Dana Former",
        email="dana@example.org",
        category="staff",
        npm_role="frontline",
        gender="female",
        ethnicity="Self-described",
        minority_status="yes",
        joined=left.replace(year=left.year - 5),
        left=left,
    )
    tie = Affiliation.objects.create(
        person=former,
        kind="family",
        establishment=cast.northbridge,
        with_role="authority",
        detail="her father, the governor",
        start=dt.date(2000, 1, 1),
    )
    former.name = "Dana Formerly"  # a change on the trail, with the name in it
    former.save()
    snapshot_take(year=left.year - 1, bodies=[cast.hmip])
    figures_before = Snapshot.objects.get(year=left.year - 1).figures
    assert list(due_for_erasure()) == [former]

    anonymise(former)

    former.refresh_from_db()
    assert former.name == f"Former person {former.pk}" and former.email == ""
    assert former.ethnicity == "" and former.minority_status == ""
    tie.refresh_from_db()
    assert tie.detail == "" and tie.kind == "family"
    trail = LogEntry.objects.get_for_object(former).order_by("pk")
    text = json.dumps([(e.changes, e.object_repr) for e in trail])
    assert "Dana" not in text and "dana@example.org" not in text
    assert trail.filter(action=LogEntry.Action.UPDATE).count() >= 2  # the changes still show
    assert "father" not in json.dumps(list(LogEntry.objects.values_list("changes", flat=True)))
    assert Snapshot.objects.get(year=left.year - 1).figures == figures_before
    assert list(due_for_erasure()) == []


def test_anonymise_command_lists_then_forgets(cast, today, settings, capsys):
    settings.PERSON_RETENTION_YEARS = 6
    Person.objects.filter(pk=cast.alice.pk).update(left=today.replace(year=today.year - 10))
    call_command("anonymise", "--dry-run")
    assert "1 people left before" in capsys.readouterr().out
    assert Person.objects.get(pk=cast.alice.pk).name == "Alice Adams"
    call_command("anonymise")
    assert Person.objects.get(pk=cast.alice.pk).name.startswith("Former person")
    cast.alice_user.refresh_from_db()
    assert not cast.alice_user.is_active and cast.alice_user.email == ""
