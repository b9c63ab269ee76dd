"""Spreadsheet import: templates in, every error out by row and column, all or nothing.

Stories: HMIP's manager downloads the people template and imports it; their
HR export names the columns differently, they match them once and the match
is remembered; a file with mistakes lists every one and writes nothing; the
same file imported again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from armslength.declarations.models import Affiliation
from armslength.register.models import Body, Establishment, Organisation, Person, Secondment
from armslength.spreadsheets.columns import KINDS
from armslength.spreadsheets.importer import ImportRejected, Mapping, check, import_sheet
from armslength.spreadsheets.models import ColumnMapping, ImportJob, JobStatus
from armslength.spreadsheets.reading import ReadError, read_sheet

PEOPLE = KINDS["people"]


def csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def people_file(n: int, *, errors: dict[int, tuple[str, str]] | None = None) -> bytes:
    """n people rows; `errors` puts a bad value in a column of the given (0-based) rows."""
    header = ["key", "name", "category", "npm_role", "gender", "joined", "full_time_npm"]
    rows = []
    for i in range(n):
        row = {
            "key": f"hr-{i:05d}",
            "name": f"Person {i}",
            "category": "staff",
            "npm_role": "frontline",
            "gender": "female" if i % 2 else "male",
            "joined": "2024-04-01",
            "full_time_npm": "yes",
        }
        if errors and i in errors:
            column, value = errors[i]
            row[column] = value
        rows.append([row[h] for h in header])
    return csv_bytes(header, rows)


def run(kind: str, data: bytes, body, name: str = "file.csv", **kwargs):
    sheet = read_sheet(data, name)
    columns = Mapping.guess(KINDS[kind], sheet.header)
    return import_sheet(KINDS[kind], sheet, columns, body=body, **kwargs)


# --- the importer ---------------------------------------------------------------------


def test_the_people_template_imports_and_a_second_import_changes_nothing(
    cast, client_for, tmp_path
):
    client = client_for(cast.hmip_manager)
    response = client.get(reverse("spreadsheets:template", args=["people", "csv"]))
    template = tmp_path / "people.csv"
    template.write_bytes(response.getvalue())
    call_command("import", str(template), "--kind", "people", "--body", "HMIP")
    alex = Person.objects.get(key="hmip-hr-10234")
    assert (alex.body, alex.name, alex.expertise) == (
        cast.hmip,
        "Alex Morgan",
        ["legal", "detention"],
    )
    assert Person.objects.get(key="hmip-hr-10377").npm_share == Decimal("0.60")
    entries = LogEntry.objects.count()
    out = io.StringIO()
    call_command("import", str(template), "--kind", "people", "--body", "HMIP", stdout=out)
    assert "0 new, 0 updated, 2 unchanged" in out.getvalue()
    assert LogEntry.objects.count() == entries  # nothing written, so nothing audited


def test_every_kinds_template_imports_in_dependency_order(cast, client_for, tmp_path):
    Body.objects.create(key="imb", abbreviation="IMB", name="Independent Monitoring Boards")
    client = client_for(cast.hmip_manager)
    for kind in ("organisations", "establishments", "people", "secondments", "affiliations"):
        data = client.get(reverse("spreadsheets:template", args=[kind, "xlsx"])).content
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(data)
        call_command("import", str(path), "--kind", kind, "--body", "HMIP")
    assert Establishment.objects.get(key="hmp-northbridge").visiting_bodies.count() == 2
    sam = Person.objects.get(key="hmip-hr-10377")
    assert Secondment.objects.get(person=sam).origin == cast.hmpps
    assert Affiliation.objects.get(person__key="hmip-hr-10234").organisation == cast.hmpps


def test_each_mistake_is_named_by_row_and_column_and_nothing_is_written(cast):
    cast.alice.key = "alice"
    cast.alice.save()
    Person.objects.create(body=cast.cqc, key="cqc-1", name="Other", category="staff", gender="male")
    people = csv_bytes(
        ["key", "name", "category", "gender", "joined", "npm_share", "full_time_npm"],
        [
            ["p1", "Good", "staff", "female", "2024-01-01", "", "yes"],
            ["p2", "Bad date", "staff", "female", "31-12-2024", "", "yes"],
            ["p1", "Twice", "staff", "female", "", "", "yes"],
            ["p3", "Bad category", "boss", "female", "", "", "yes"],
            ["cqc-1", "Theirs", "staff", "male", "", "", "yes"],
            ["p4", "", "staff", "male", "", "", "yes"],
            ["p5", "Share", "staff", "male", "", "0.5", "yes"],
        ],
    )
    with pytest.raises(ImportRejected) as raised:
        run("people", people, cast.hmip)
    found = {(e.row, e.column): e.message for e in raised.value.plan.errors}
    assert set(found) == {
        (3, "joined"),
        (4, "key"),
        (5, "category"),
        (7, "name"),
        (8, "npm_share"),
    }
    assert "YYYY-MM-DD" in found[(3, "joined")]
    assert "duplicate person" in found[(4, "key")] and "row 2" in found[(4, "key")]
    # another body's key is just a new key of this body's (hmip-cqc-1): no error confirms it
    assert "untick full time" in found[(8, "npm_share")]
    assert not Person.objects.filter(key__in=["p1", "hmip-p1"]).exists()

    secondments = csv_bytes(
        ["person", "origin", "origin_establishment", "start", "end"],
        [
            ["alice", "hmpps", "hmp-nowhere", "2025-01-01", ""],
            ["alice", "hmpps", "", dt.date.today().isoformat(), ""],
        ],
    )
    with pytest.raises(ImportRejected) as raised:
        run("secondments", secondments, cast.hmip)
    messages = [str(e) for e in raised.value.plan.errors]
    assert (
        messages[0] == "row 2, column origin_establishment: no establishment with key 'hmp-nowhere'"
    )
    # both rows are current secondments of a staff member, found on the same pass
    current = [m for m in messages if "This secondment is current" in m]
    assert [m.split(":")[0] for m in current] == ["row 2, column start", "row 3, column start"]
    assert "category is Staff" in current[1]


def test_forty_scattered_errors_are_all_listed(cast):
    bad = {i * 12 + 5: ("joined", "someday") for i in range(20)}
    bad |= {i * 12 + 9: ("gender", "unknown") for i in range(20)}
    data = people_file(500, errors=bad)
    sheet = read_sheet(data, "p.csv")
    plan = check(PEOPLE, sheet, Mapping.guess(PEOPLE, sheet.header), body=cast.hmip)
    assert len(plan.errors) == 40
    assert sorted(e.row for e in plan.errors) == sorted(i + 2 for i in bad)
    assert {e.column for e in plan.errors} == {"joined", "gender"}
    assert not Person.objects.filter(key__startswith="hmip-hr-").exists()


def test_a_failure_while_writing_leaves_nothing_behind(cast):
    """All or nothing also when the database refuses a row late (here: a key taken meanwhile)."""
    data = people_file(3)
    sheet = read_sheet(data, "p.csv")
    plan = check(PEOPLE, sheet, Mapping.guess(PEOPLE, sheet.header), body=cast.hmip)
    Person.objects.create(body=cast.hmip, key="hmip-hr-00002", name="Taken", category="staff")
    from django.db import IntegrityError, transaction

    from armslength.spreadsheets.importer import apply

    with pytest.raises(IntegrityError), transaction.atomic():
        apply(plan)
    assert Person.objects.filter(key__in=["hmip-hr-00000", "hmip-hr-00001"]).count() == 0


def test_xlsx_with_real_date_cells_and_a_remembered_column_mapping(cast):
    book = Workbook()
    sheet = book.active
    sheet.append(["Staff number", "Full name", "Category", "Gender", "Start date"])
    sheet.append([10001, "Xia Lin", "Staff", "Female", dt.datetime(2023, 5, 2)])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_sheet(buffer.getvalue(), "hr.xlsx")
    columns = {
        "key": "Staff number",
        "name": "Full name",
        "category": "Category",
        "gender": "Gender",
        "joined": "Start date",
    }
    import_sheet(PEOPLE, parsed, columns, body=cast.hmip)
    xia = Person.objects.get(key="hmip-10001")
    assert (xia.joined, xia.category, xia.gender) == (dt.date(2023, 5, 2), "staff", "female")
    ColumnMapping.objects.create(body=cast.hmip, kind="people", columns=columns)
    remembered = ColumnMapping.objects.get(body=cast.hmip, kind="people").columns
    assert Mapping.guess(PEOPLE, parsed.header, remembered) == columns


def test_a_file_that_is_not_a_spreadsheet_is_refused_whole():
    with pytest.raises(ReadError, match="not an Excel workbook"):
        read_sheet(b"key,name\n", "people.xlsx")
    with pytest.raises(ReadError, match=r"\.csv or \.xlsx"):
        read_sheet(b"%PDF-1.4", "people.pdf")
    with pytest.raises(ReadError, match="appears twice"):
        read_sheet(b"key,name,Key\n", "people.csv")


def test_import_command_exits_2_listing_errors_and_writing_nothing(cast, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(people_file(5, errors={1: ("joined", "2024-02-30")}))
    with pytest.raises(CommandError) as raised:
        call_command("import", str(path), "--kind", "people", "--body", "HMIP")
    assert raised.value.returncode == 2
    assert "row 3, column joined: '2024-02-30' is not a date" in str(raised.value)
    assert not Person.objects.filter(key__startswith="hmip-hr-").exists()
    with pytest.raises(CommandError, match="--body"):
        call_command("import", str(path), "--kind", "people")


def test_organisations_in_one_file_may_name_parents_further_down(db):
    data = csv_bytes(
        ["key", "name", "parent", "sector"],
        [
            ["child", "Child agency", "parent", "executive"],
            ["parent", "Parent dept", "", "executive"],
        ],
    )
    run("organisations", data, None)
    assert Organisation.objects.get(key="child").parent.key == "parent"


# --- the web pages ----------------------------------------------------------------------


def _upload(client, data: bytes, name="people.csv", kind="people"):
    return client.post(
        reverse("spreadsheets:start"),
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_web_import_maps_checks_lists_errors_then_imports(
    cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for(cast.hmip_manager)
    bad = people_file(30, errors={4: ("gender", "robot")})
    response = _upload(client, bad)
    job = ImportJob.objects.get()
    assert response.url == reverse("spreadsheets:map", args=[job.pk])
    mapping = client.get(response.url)
    assert 'value="gender" selected' in mapping.text  # same-named columns are matched
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, {c: c for c in job.header})
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    page = client.get(job.get_absolute_url())
    assert "1 error: nothing was imported." in page.text and "robot" in page.text
    assert client.post(reverse("spreadsheets:run", args=[job.pk])).status_code == 403

    response = _upload(client, people_file(30))
    job = ImportJob.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, {c: c for c in job.header})
    job.refresh_from_db()
    assert job.status == JobStatus.CHECKED and job.summary["new"] == 30
    assert not Person.objects.filter(
        key__startswith="hmip-hr-"
    ).exists()  # the check writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("spreadsheets:run", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Person.objects.filter(body=cast.hmip, key__startswith="hmip-hr-").count() == 30
    entry = LogEntry.objects.get_for_object(Person.objects.get(key="hmip-hr-00000")).get()
    assert entry.actor == cast.hmip_manager


def test_imports_are_seen_and_run_only_by_their_body(cast, client_for):
    client = client_for(cast.hmip_manager)
    _upload(client, people_file(2))
    job = ImportJob.objects.get()
    other = client_for(cast.cqc_manager)
    assert other.get(job.get_absolute_url()).status_code == 404
    assert other.post(reverse("spreadsheets:run", args=[job.pk])).status_code == 404
    assert other.get(reverse("spreadsheets:map", args=[job.pk])).status_code == 404
    assert client_for(cast.auditor).get(job.get_absolute_url()).status_code == 200
    assert (
        client_for(cast.auditor).post(reverse("spreadsheets:run", args=[job.pk])).status_code == 403
    )
    assert client_for(cast.alice_user).get(reverse("spreadsheets:start")).status_code == 403


def test_the_coordinator_imports_reference_data_but_not_people(cast, client_for):
    client = client_for(cast.coordinator)
    refused = _upload(client, people_file(2))
    assert refused.status_code == 400 and not ImportJob.objects.exists()
    data = csv_bytes(["key", "name", "sector"], [["nhs", "NHS", "health"]])
    assert _upload(client, data, name="orgs.csv", kind="organisations").status_code == 302
    assert ImportJob.objects.get().body is None


def test_a_long_check_shows_its_progress_and_polls(cast, client_for):
    client = client_for(cast.hmip_manager)
    _upload(client, people_file(3))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.CHECKING, done_rows=2500, total_rows=5000
    )
    page = client.get(job.get_absolute_url())
    assert "Checking row 2,500 of 5,000" in page.text
    assert 'value="50"' in page.text and 'hx-trigger="every 1s"' in page.text
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    assert 'hx-trigger="every 1s"' not in client.get(job.get_absolute_url()).text


def test_a_nul_character_in_a_cell_is_an_error_not_a_crash(cast):
    data = csv_bytes(
        ["key", "name", "category", "gender"], [["k1", "Bad\x00Name", "staff", "male"]]
    )
    with pytest.raises(ImportRejected) as raised:
        run("people", data, cast.hmip)
    assert str(raised.value.plan.errors[0]) == "row 2, column name: contains a NUL character"


def test_a_job_the_worker_never_picked_up_says_so(cast, client_for):
    client = client_for(cast.hmip_manager)
    _upload(client, people_file(3))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CHECKING)
    assert "background worker" not in client.get(job.get_absolute_url()).text
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - dt.timedelta(minutes=5))
    assert "background worker may not be running" in client.get(job.get_absolute_url()).text
