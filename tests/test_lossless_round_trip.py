"""Issue 17: export -> import into an empty register -> export gives the same
document (as_of aside), policy versions and declarations' reviews included;
special-category fields travel only with the explicit export flag."""

from __future__ import annotations

import json

from django.core.management import call_command
from django.utils import timezone

from armslength.declarations.models import Affiliation
from armslength.engine.policy import default_policy_text
from armslength.register.demo import load_demo
from armslength.register.models import Body, Establishment, Organisation, Person
from armslength.screening.dataset_io import export_document, import_document
from armslength.screening.models import PolicyVersion
from armslength.screening.services import policy_version_adopt
from armslength.visits.models import Visit


def wipe_register_keep_accounts():
    """An empty register; the accounts (reviewers, the coordinator) stay."""
    from armslength.accounts.models import User

    User.objects.update(person=None)
    Visit.objects.all().delete()
    Affiliation.objects.all().delete()
    Person.objects.all().delete()
    PolicyVersion.objects.all().delete()
    Establishment.objects.all().delete()
    for org in Organisation.objects.filter(parent__isnull=False).order_by("-pk"):
        org.delete()
    Organisation.objects.all().delete()
    Body.objects.exclude(users__isnull=False).delete()


def test_export_import_export_is_lossless(db, today):
    from armslength.accounts.models import User

    load_demo(seed=11, today=today)
    coordinator = User.objects.filter(role="coordinator").first()
    policy_version_adopt(
        text=default_policy_text().replace("supervision_days: 90", "supervision_days: 60"),
        note="Supervise every two months",
        user=coordinator,
    )
    reviewed = Affiliation.objects.filter(person__isnull=False).first()
    reviewed.status = "queried"
    reviewed.review_note = "Which ward does your cousin work on?"
    reviewed.reviewed_by = coordinator
    reviewed.reviewed_at = timezone.now()
    reviewed.save()
    before = json.loads(json.dumps(export_document(today)))
    assert before["policy_versions"] and before["policy_versions"][-1]["note"]
    assert any(a["review_note"] == reviewed.review_note for a in before["affiliations"])

    wipe_register_keep_accounts()
    assert not Person.objects.exists() and not PolicyVersion.objects.exists()
    import_document(before, today=today)
    after = json.loads(json.dumps(export_document(today)))
    before.pop("as_of"), after.pop("as_of")
    assert after == before
    got = [a for a in after["affiliations"] if a["review_note"] == reviewed.review_note]
    assert got[0]["reviewed_by"] == coordinator.get_username()


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
