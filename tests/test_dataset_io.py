"""The register moves through the dataset format: export, import, round trip, screening."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from armslength.declarations.models import Affiliation
from armslength.engine.dataset import load_dataset
from armslength.engine.screening import screen
from armslength.register.demo import load_demo
from armslength.register.models import Person, Secondment
from armslength.screening.dataset_io import ImportFailed, export_document, import_document
from armslength.screening.services import screen_register
from tests.test_demo_and_cli import wipe_register

ROOT = Path(__file__).resolve().parent.parent


def comparable(doc: dict) -> dict:
    doc = json.loads(json.dumps(doc))
    for a in doc["affiliations"]:
        a.pop("declared_at")
    return doc


def test_export_then_import_into_an_empty_register_round_trips(db, today):
    load_demo(seed=11, today=today)
    before = export_document(today)
    result_before = screen(load_dataset(before)).as_json()
    wipe_register()
    assert not Person.objects.exists()
    report = import_document(before, today=today)
    assert report.created["people"] == len(before["people"])
    after = export_document(today)
    assert comparable(after) == comparable(before)
    assert screen(load_dataset(after)).as_json() == result_before


def test_reimport_updates_instead_of_duplicating(db, today):
    load_demo(seed=12, today=today)
    doc = export_document(today)
    counts = (Person.objects.count(), Secondment.objects.count(), Affiliation.objects.count())
    report = import_document(doc, today=today)
    assert report.updated["people"] == len(doc["people"]) and "people" not in report.created
    assert (
        Person.objects.count(),
        Secondment.objects.count(),
        Affiliation.objects.count(),
    ) == counts


def test_a_bad_dataset_imports_nothing_and_names_the_entry(db, cast, today):
    doc = export_document(today)
    doc["people"].append(
        {"id": "new-one", "name": "New One", "body": "nobody", "category": "staff"}
    )
    with pytest.raises(ImportFailed) as caught:
        import_document(doc, today=today)
    assert str(caught.value).startswith("people[3].body: unknown body 'nobody'")
    assert not Person.objects.filter(key="new-one").exists()


def test_model_rules_are_checked_row_by_row_and_all_are_reported(db, cast, today):
    doc = export_document(today)
    doc["people"][0]["term"] = {"start": "2020-01-01", "end": "2024-01-01"}  # staff: no term
    doc["secondments"][0]["person"] = "hmip-alice-adams"  # a current secondment for staff
    name_before = Person.objects.get(key="hmip-alice-adams").name
    doc["people"][0]["name"] = "Changed Name"
    with pytest.raises(ImportFailed) as caught:
        import_document(doc, today=today)
    errors = caught.value.errors
    assert any(e.startswith("people[0].term_start") for e in errors)
    assert any(e.startswith("secondments[0].start") and "category" in e for e in errors)
    assert Person.objects.get(key="hmip-alice-adams").name == name_before
    assert Secondment.objects.get().person.key == "hmip-sam-secondee"


def test_dry_run_writes_nothing(db, cast, today):
    doc = export_document(today)
    doc["people"][0]["name"] = "Dry Run"
    import_document(doc, dry_run=True, today=today)
    assert not Person.objects.filter(name="Dry Run").exists()


def test_web_findings_equal_the_command_on_the_exported_dataset(db, today, tmp_path):
    """One engine: the web app's screening of the demo equals `armslength screen` on its export."""
    load_demo(seed=1, today=today)
    out = tmp_path / "register.json"
    call_command("export", "--format", "dataset", "--out", str(out))
    proc = subprocess.run(
        [sys.executable, "-m", "armslength.cli", "screen", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    command = json.loads(proc.stdout)
    web = screen_register(today)
    assert [f.as_json() for f in web.findings()] == command["findings"]
    assert [r.as_json() for r in web.for_people(web.ctx.facts)] == command["results"]


def run_cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "armslength.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_import_command_refuses_a_bad_file_and_imports_nothing(db, cast, tmp_path):
    bad = tmp_path / "bad.json"
    doc = export_document(cast.sam_secondment.start)
    doc["affiliations"] = [
        {"person": "hmip-alice-adams", "kind": "family", "establishment": "hmp-northbridge"}
    ]
    bad.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as caught:
        call_command("import", str(bad))
    assert caught.value.returncode == 2
    assert "affiliations[0].with_role" in str(caught.value) and "\n" not in str(caught.value)
    assert not Affiliation.objects.exists()


def test_import_command_exit_code_and_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "armslength.dataset/1", "people": [{"id": "x"}]}')
    env = {"DEBUG": "1", "ARMSLENGTH_VAR_DIR": str(tmp_path)}
    for args in (["import", str(bad)], ["import", str(tmp_path / "missing.json")]):
        proc = run_cli(*args, env=env)
        assert proc.returncode == 2
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_import_command_with_body_check(db, cast, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(export_document(cast.sam_secondment.start)))
    with pytest.raises(CommandError, match=r"people\[\d\]\.body"):
        call_command("import", str(good), "--body", "HMIP")  # CQC's Carol is in the file
    call_command("import", str(good), "--dry-run")
