"""Background work for imports: checking and writing thousands of rows off the request."""

from __future__ import annotations

import time

from django.utils import timezone
from django_tasks import task

from armslength.spreadsheets.columns import KINDS
from armslength.spreadsheets.importer import ImportRejected, Mapping, check, import_sheet
from armslength.spreadsheets.models import ColumnMapping, ImportJob, JobStatus
from armslength.spreadsheets.reading import MAX_BYTES, ReadError, Sheet, read_sheet

#: errors kept for the page (all are counted; a file with more needs fixing first anyway)
MAX_ERRORS_SHOWN = 1000


def _sheet(job: ImportJob, progress=None):
    with job.file.open("rb") as handle:
        # one byte past the limit is enough to refuse a file that grew on disk
        return read_sheet(handle.read(MAX_BYTES + 1), job.original_name, progress)


def remembered(job: ImportJob) -> dict[str, str]:
    found = ColumnMapping.objects.filter(body=job.body, kind=job.kind).first()
    return found.columns if found else {}


def columns_guessed(job: ImportJob, sheet: Sheet) -> dict[str, str]:
    """The column matching offered for a file, read in the request or by the worker alike:
    same-named columns, then what the body matched last time."""
    return Mapping.guess(KINDS[job.kind], sheet.header, remembered(job))


def _throttled(job_id: int):
    """Reading progress, written at most twice a second: the page polls it for its bar."""
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or done >= total:
            last[0] = now
            ImportJob.objects.filter(pk=job_id).update(done_rows=done, total_rows=total)

    return report


@task()
def read_upload(job_id: int) -> None:
    """Read a large file off the request (issue 12, finding 6): the same limits as a small
    one, a refusal naming the limit; then the same column matching as a small file gets."""
    job = ImportJob.objects.select_related("body").get(pk=job_id)
    if job.status != JobStatus.READING:
        return
    try:
        sheet = _sheet(job, _throttled(job_id))
    except ReadError as exc:
        _finish(job_id, JobStatus.FAILED, message=str(exc))
        return
    ImportJob.objects.filter(pk=job_id, status=JobStatus.READING).update(
        status=JobStatus.MAPPING,
        header=sheet.header,
        columns=columns_guessed(job, sheet),
        total_rows=len(sheet.rows),
        done_rows=0,
    )


def _progress(job_id: int):
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(done_rows=done, total_rows=total)

    return report


def _finish(job_id: int, status: str, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **fields)


def _rows(problems) -> list[dict]:
    return [
        {"row": e.row, "column": e.column, "message": e.message, "value": e.value}
        for e in problems[:MAX_ERRORS_SHOWN]
    ]


def _errors(plan) -> list[dict]:
    return _rows(plan.errors)


@task()
def check_import(job_id: int) -> None:
    """The preview: every error by row and column, or what the import would change."""
    job = ImportJob.objects.select_related("body").get(pk=job_id)
    try:
        sheet = _sheet(job)
        plan = check(KINDS[job.kind], sheet, job.columns, body=job.body, progress=_progress(job_id))
    except ReadError as exc:
        _finish(job_id, JobStatus.FAILED, message=str(exc))
        return
    status = JobStatus.REJECTED if plan.errors else JobStatus.CHECKED
    _finish(
        job_id,
        status,
        errors=_errors(plan),
        warnings=_rows(plan.warnings),
        summary={**plan.summary(), "errors": len(plan.errors)},
        done_rows=len(sheet.rows),
        total_rows=len(sheet.rows),
    )


@task()
def run_import(job_id: int) -> None:
    """Check again and write, in one transaction: all of it or, on any error, none."""
    job = ImportJob.objects.select_related("body", "created_by").get(pk=job_id)
    try:
        plan = import_sheet(
            KINDS[job.kind], _sheet(job), job.columns, body=job.body, user=job.created_by
        )
    except ImportRejected as exc:
        _finish(
            job_id,
            JobStatus.REJECTED,
            errors=_errors(exc.plan),
            summary={**exc.plan.summary(), "errors": len(exc.plan.errors)},
            message="The register changed since the check; nothing was imported.",
        )
        return
    except ReadError as exc:
        _finish(job_id, JobStatus.FAILED, message=str(exc))
        return
    _finish(
        job_id,
        JobStatus.DONE,
        summary={**plan.summary(), "errors": 0},
        warnings=_rows(plan.warnings),
    )
