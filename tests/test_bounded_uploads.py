"""Issue 12, finding 6: one upload took the server down.

Every refusal of the upload page names the limit it met (columns, cell length,
rows, bytes, content); how quickly each comes under gunicorn is measured by
`benchmarks/bench_upload.py` (timings in a test on a shared machine would be noise).
A file over UPLOAD_QUEUE_BYTES is not read in the request: it is queued for the
background worker (`armslength db_worker`, the planner's queue), the job page
shows how far the reading has got, and then the manager gets the same column
matching, and the same check, as for a small file.
The queued tests run the real worker command on the database queue.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from armslength.spreadsheets.models import ImportJob, JobStatus
from armslength.spreadsheets.reading import (
    MAX_CELL,
    MAX_COLUMNS,
    MAX_READ_ROWS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    ReadError,
    read_sheet,
)
from tests.test_spreadsheets import people_file

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def upload(client, data: bytes, name: str = "people.csv", kind: str = "people"):
    return client.post(
        reverse("spreadsheets:start"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


def refusal(response) -> str:
    assert response.status_code == 400
    assert not ImportJob.objects.exists()
    return " ".join(response.context["form"].errors["file"])


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def blank_rows_xlsx(last_row: int, *, explicit: bool = False) -> bytes:
    """A workbook whose sheet has a header and then nothing until row `last_row`: it reads
    as that many rows, blank ones included. `explicit`: each blank row is an empty
    `<row/>` element (the probe's 3 million), else the rows between are left out."""
    blanks = "".join(f'<row r="{i}"/>' for i in range(2, last_row)) if explicit else ""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:A{last_row}"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>key</t></is></c></row>'
        f"{blanks}"
        f'<row r="{last_row}"><c r="A{last_row}" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# --- refusals, each naming its limit -------------------------------------------------


def test_finding6_the_upload_page_refuses_100000_columns_naming_the_limit(cast, client_for):
    data = ",".join(f"c{i}" for i in range(100_000)).encode() + b"\r\n"
    message = refusal(upload(client_for(cast.hmip_manager), data))
    assert f"the limit is {MAX_COLUMNS}" in message


def test_finding6_the_upload_page_refuses_a_3mb_header_cell_naming_the_limit(cast, client_for):
    data = xlsx([["key", "x" * 3_000_000]])
    message = refusal(upload(client_for(cast.hmip_manager), data, "people.xlsx"))
    assert f"limit of {MAX_CELL:,} characters" in message


def test_finding10_the_upload_page_refuses_a_csv_field_over_131072_characters(cast, client_for):
    data = b"key,name\r\nk1," + b"y" * 140_000 + b"\r\n"
    message = refusal(upload(client_for(cast.hmip_manager), data))
    assert f"limit of {MAX_CELL:,} characters" in message


def test_finding6_millions_of_blank_rows_are_refused_naming_the_limit_without_reading_them(
    cast, client_for
):
    data = blank_rows_xlsx(3_000_000)
    message = refusal(upload(client_for(cast.hmip_manager), data, "people.xlsx"))
    assert f"the limit is {MAX_READ_ROWS:,}" in message and "blank ones included" in message
    # as empty row elements, counted before openpyxl parses one (it took minutes to walk
    # 3 million)
    explicit = blank_rows_xlsx(MAX_READ_ROWS + 2, explicit=True)
    message = refusal(upload(client_for(cast.hmip_manager), explicit, "people.xlsx"))
    assert f"the limit is {MAX_READ_ROWS:,}" in message
    blank_csv = b"key\r\n" + b",\r\n" * (MAX_READ_ROWS + 1)
    message = refusal(upload(client_for(cast.hmip_manager), blank_csv))
    assert f"the limit is {MAX_READ_ROWS:,}" in message


def test_finding6_more_data_rows_than_the_limit_are_refused_naming_it():
    data = b"key\r\n" + b"".join(b"k%d\r\n" % i for i in range(MAX_ROWS + 1))
    with pytest.raises(ReadError, match=f"limit of {MAX_ROWS:,} rows"):
        read_sheet(data, "people.csv")


def test_finding6_a_file_over_20mb_is_refused_naming_the_limit(cast, client_for):
    data = b"key\r\n" + b"k" * (20 * 2**20)
    message = refusal(upload(client_for(cast.hmip_manager), data))
    assert "larger than 20 MB" in message


def test_finding6_a_body_over_the_request_limit_is_refused_before_it_is_read(
    cast, client_for, settings
):
    settings.MAX_REQUEST_BYTES = 2**20
    client = client_for(cast.hmip_manager)
    response = upload(client, b"key\r\n" + b"k" * (2 * 2**20))
    assert response.status_code == 413
    assert "larger than the limit of 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()
    api = client.post("/api/people/", b"[" + b"1," * 2**20 + b"1]", content_type="application/json")
    assert api.status_code == 413
    assert "limit of 1 MB" in api.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "name, data",
    [
        ("people.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)) * 10),
        ("people.csv", b"%PDF-1.7\n" + b"0" * 3000),
        ("people.xlsx", b"key,name\r\nk1,Someone\r\n"),
        ("people.docx", b"key\r\n"),
    ],
    ids=["png-named-csv", "pdf-named-csv", "text-named-xlsx", "not-a-spreadsheet-name"],
)
def test_finding6_content_sniffing_refuses_what_is_not_the_named_type(cast, client_for, name, data):
    message = refusal(upload(client_for(cast.hmip_manager), data, name))
    assert "not text" in message or "not an Excel workbook" in message or ".xlsx" in message


def test_finding6_a_large_png_renamed_csv_is_refused_at_once_not_queued(cast, client_for, settings):
    settings.UPLOAD_QUEUE_BYTES = 1024
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(1, 250)) * 400
    message = refusal(upload(client_for(cast.hmip_manager), png))
    assert "not text" in message


def test_finding6_a_workbook_that_unpacks_past_the_limit_is_refused_uninflated():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * 1000)
    data = bytearray(buffer.getvalue())
    # a bomb declares what it unpacks to: 3 GB, in the central directory's size field
    directory = data.index(b"PK\x01\x02")
    data[directory + 24 : directory + 28] = (3 * 2**30).to_bytes(4, "little")
    with pytest.raises(ReadError, match=f"limit of {MAX_UNPACKED_BYTES // 2**20} MB"):
        read_sheet(bytes(data), "people.xlsx")  # (inflating it would take minutes)


# --- progress -----------------------------------------------------------------------


def test_reading_reports_its_progress_up_to_the_whole_file():
    seen: list[tuple[int, int]] = []
    sheet = read_sheet(people_file(5000), "people.csv", lambda d, t: seen.append((d, t)))
    assert len(sheet.rows) == 5000
    assert len(seen) >= 5
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert seen[-1][0] == seen[-1][1] > 0
    assert 0 < seen[0][0] < seen[0][1]  # the first report is part of the way


# --- a large file goes to the background worker --------------------------------------


def worker() -> None:
    """`armslength db_worker`, as `make run` starts it, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_finding6_a_large_file_is_queued_read_by_the_worker_then_matched_and_checked_as_a_small_one(
    cast, client_for, settings
):
    client = client_for(cast.hmip_manager)
    data = people_file(300, errors={7: ("gender", "robot")})
    small = upload(client, data)
    small_job = ImportJob.objects.get()
    assert small.url == reverse("spreadsheets:map", args=[small_job.pk])

    settings.UPLOAD_QUEUE_BYTES = 1024  # this file is now "large"
    with override_settings(TASKS=DATABASE_QUEUE):
        response = upload(client, data)
        job = ImportJob.objects.exclude(pk=small_job.pk).get()
        # not read in the request: queued for the worker, and the page says how far it is
        assert response.url == job.get_absolute_url()
        assert (job.status, job.header, job.total_rows) == (JobStatus.READING, [], 0)
        queued = DBTaskResult.objects.get()
        assert queued.task_path.endswith("read_upload") and queued.status == "READY"
        page = client.get(job.get_absolute_url()).content.decode()
        assert "A large file is read in the background: 0 % read" in page
        assert 'hx-trigger="every 1s"' in page

        worker()
        job.refresh_from_db()
        assert job.status == JobStatus.MAPPING
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"
        # the same column matching as the small file
        assert (job.header, job.columns, job.total_rows) == (
            small_job.header,
            small_job.columns,
            small_job.total_rows,
        )
        polled = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
        assert polled["HX-Redirect"] == reverse("spreadsheets:map", args=[job.pk])
        assert "The file is read: 300 rows." in client.get(job.get_absolute_url()).text
        auditor = client_for(cast.auditor)  # reads the job; matching columns is not theirs
        assert "Choose the columns</a>" not in auditor.get(job.get_absolute_url()).text
        assert "HX-Redirect" not in auditor.get(
            job.get_absolute_url(), headers={"HX-Request": "true"}
        )
        client = client_for(cast.hmip_manager)
        assert "Choose the columns</a>" in client.get(job.get_absolute_url()).text

        # the check goes through the worker too, and finds what it finds in the small one
        for each in (small_job, job):
            client.post(reverse("spreadsheets:map", args=[each.pk]), {c: c for c in each.header})
        worker()
    small_job.refresh_from_db()
    job.refresh_from_db()
    assert job.status == small_job.status == JobStatus.REJECTED
    assert job.errors == small_job.errors and job.summary == small_job.summary
    assert job.errors[0]["value"] == "robot" and job.errors[0]["row"] == 9


@pytest.mark.django_db(transaction=True)
def test_finding6_a_large_file_over_a_limit_is_refused_by_the_worker_naming_it(
    cast, client_for, settings
):
    settings.UPLOAD_QUEUE_BYTES = 1024
    client = client_for(cast.hmip_manager)
    with override_settings(TASKS=DATABASE_QUEUE):
        upload(client, blank_rows_xlsx(3_000_000), "people.xlsx")
        job = ImportJob.objects.get()
        assert job.status == JobStatus.READING
        worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    page = client.get(job.get_absolute_url()).content.decode()
    assert f"the limit is {MAX_READ_ROWS:,}" in page
    assert 'hx-trigger="every 1s"' not in page


def test_refusals_read_in_the_readers_language():
    from django.utils import translation

    with translation.override("cy"), pytest.raises(ReadError, match="y terfyn yw 200"):
        read_sheet(",".join(f"c{i}" for i in range(300)).encode(), "people.csv")
    with translation.override("fr"), pytest.raises(ReadError, match="n'est pas du texte"):
        read_sheet(b"\x89PNG\r\n\x1a\n" + b"x" * 100, "people.csv")
