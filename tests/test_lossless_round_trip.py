"""Issue 17: export -> import into an empty register -> export gives the same
document (as_of aside), policy versions and declarations' reviews included;
special-category fields travel only with the explicit export flag."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from armslength.declarations.models import Affiliation
from armslength.engine.policy import default_policy_text
from armslength.register.demo import load_demo
from armslength.register.models import Body, Organisation, Person
from armslength.screening.dataset_io import ImportFailed, export_document, import_document
from armslength.screening.models import PolicyVersion
from armslength.screening.services import policy_version_adopt, screen_register


def empty_database():
    """A truly empty database, as on a new installation: every table flushed, the
    accounts (the reviewers, the coordinator who adopted the policy) and the audit
    trail included."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from armslength.accounts.models import User

    if connection.vendor == "postgresql":
        # inside the test's transaction, PostgreSQL refuses to TRUNCATE a table with
        # deferred foreign-key checks pending: run them now
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()  # the flush re-created them under new ids
    assert not User.objects.exists() and not LogEntry.objects.exists()
    assert not Person.objects.exists() and not PolicyVersion.objects.exists()
    assert not Body.objects.exists() and not Organisation.objects.exists()


def register_screening(today) -> dict:
    """What the screening page reads: the register under the policy in force, every
    person against every establishment, and the findings."""
    screening = screen_register(today)
    keys = sorted(Person.objects.values_list("key", flat=True))
    return {
        "policy": screening.version,
        "results": [r.as_json() for r in screening.for_people(keys)],
        "findings": [f.as_json() for f in screening.findings()],
    }


def comparable(doc: dict) -> dict:
    doc = json.loads(json.dumps(doc))
    doc.pop("as_of")
    return doc


@pytest.fixture
def reviewed_demo(db, today):
    """The demo with an adopted policy version and declarations reviewed by two people,
    one query still open; Alys declares her ethnicity (special-category)."""
    from armslength.accounts.models import Role, User

    load_demo(seed=11, today=today)
    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    manager = User.objects.filter(role=Role.MANAGER).first()
    policy_version_adopt(
        text=default_policy_text().replace("supervision_days: 90", "supervision_days: 60"),
        note="Supervise every two months",
        user=coordinator,
    )
    declarations = list(Affiliation.objects.order_by("pk")[:2])
    for declaration, (reviewer, status, note) in zip(
        declarations,
        [
            (coordinator, "queried", "Which ward does your cousin work on?"),
            (manager, "accepted", "Checked against the staff list"),
        ],
        strict=True,
    ):
        declaration.status = status
        declaration.review_note = note
        declaration.reviewed_by = reviewer
        declaration.reviewed_at = timezone.now()
        declaration.save()
    person = Person.objects.order_by("key").first()
    person.ethnicity = "Welsh"
    person.save()
    return {"coordinator": coordinator, "manager": manager, "person": person}


def test_export_import_into_an_empty_database_export_is_lossless(reviewed_demo, today):
    coordinator, manager = reviewed_demo["coordinator"], reviewed_demo["manager"]
    before = json.loads(json.dumps(export_document(today)))
    screening_before = register_screening(today)
    (adopted,) = before["policy_versions"]
    assert (adopted["note"], adopted["adopted_by"]) == (
        "Supervise every two months",
        coordinator.get_username(),
    )
    reviews = {
        a["review_note"]: a["reviewed_by"] for a in before["affiliations"] if a["reviewed_by"]
    }
    assert reviews == {
        "Which ward does your cousin work on?": coordinator.get_username(),
        "Checked against the staff list": manager.get_username(),
    }

    empty_database()
    import_document(before, today=today)
    after = json.loads(json.dumps(export_document(today)))
    assert comparable(after) == comparable(before)
    # the same screening, under the same (imported) policy version
    assert register_screening(today) == screening_before
    assert screening_before["policy"] == PolicyVersion.objects.get().policy().version


def test_special_category_fields_cross_only_with_the_flag(reviewed_demo, today):
    person = reviewed_demo["person"]
    plain = json.loads(json.dumps(export_document(today)))
    flagged = json.loads(json.dumps(export_document(today, include_special_category=True)))
    assert "Welsh" not in json.dumps(plain)
    assert [p["ethnicity"] for p in flagged["people"] if p["id"] == person.key] == ["Welsh"]

    empty_database()
    import_document(plain, today=today)
    assert not Person.objects.exclude(ethnicity="").exists()
    assert not Person.objects.exclude(minority_status="").exists()

    empty_database()
    import_document(flagged, today=today)
    again = export_document(today, include_special_category=True)
    assert comparable(again) == comparable(flagged)
    assert Person.objects.get(key=person.key).ethnicity == "Welsh"


def test_special_category_fields_travel_only_with_the_flag(db, cast, today, tmp_path):
    cast.alice.ethnicity = "Welsh"
    cast.alice.minority_status = "yes"
    cast.alice.save()
    plain = export_document(today)
    assert all("ethnicity" not in p and "minority_status" not in p for p in plain["people"])
    out = tmp_path / "with.json"
    call_command("export", "--out", str(out), "--include-special-category")
    flagged = json.loads(out.read_text())
    (alice,) = [p for p in flagged["people"] if p["id"] == cast.alice.key]
    assert (alice["ethnicity"], alice["minority_status"]) == ("Welsh", "yes")
    out2 = tmp_path / "without.json"
    call_command("export", "--out", str(out2))
    assert "Welsh" not in out2.read_text()


def test_a_reviewer_without_an_account_here_is_still_named_and_a_new_review_replaces_them(
    reviewed_demo, today, client_for
):
    from armslength.accounts.models import Role
    from tests.conftest import make_user

    coordinator = reviewed_demo["coordinator"].get_username()
    doc = json.loads(json.dumps(export_document(today)))
    empty_database()
    import_document(doc, today=today)
    queried = Affiliation.objects.get(review_note="Which ward does your cousin work on?")
    assert queried.reviewed_by is None and queried.reviewed_by_name == coordinator
    version = PolicyVersion.objects.get()
    assert version.created_by is None and version.created_by_name == coordinator

    auditor = make_user("auditor-here", Role.AUDITOR)
    client = client_for(auditor)
    page = client.get(queried.get_absolute_url()).content.decode()
    assert f"· {coordinator}, " in page
    assert f"by {coordinator}" in client.get(version.get_absolute_url()).content.decode()

    # reviewed again here: the account, and no stale imported name
    queried.reviewed_by = auditor
    queried.save(update_fields=["reviewed_by"])
    queried.refresh_from_db()
    assert queried.reviewed_by_name == ""
    again = export_document(today)
    assert [
        a["reviewed_by"] for a in again["affiliations"] if a["review_note"] == queried.review_note
    ] == ["auditor-here"]


def test_an_overlong_imported_user_name_is_refused_naming_the_field(db, cast, today):
    doc = json.loads(json.dumps(export_document(today)))
    doc["policy_versions"] = [
        {
            "version": "x",
            "text": default_policy_text(),
            "note": "",
            "adopted_at": "2026-01-01T00:00:00+00:00",
            "adopted_by": "n" * 151,
        }
    ]
    Affiliation.objects.create(
        person=cast.alice, kind="employment", establishment=cast.southgate, role="nurse"
    )
    doc["affiliations"] = export_document(today)["affiliations"]
    doc["affiliations"][0]["reviewed_by"] = "r" * 151
    with pytest.raises(ImportFailed) as failed:
        import_document(doc, today=today)
    assert any(e.startswith("policy_versions[0].adopted_by: ") for e in failed.value.errors)
    assert any(e.startswith("affiliations[0].reviewed_by: ") for e in failed.value.errors)
    assert not PolicyVersion.objects.exists()
    assert not Affiliation.objects.filter(reviewed_by_name__startswith="r").exists()
