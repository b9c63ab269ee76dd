"""Background work for imports: checking and writing thousands of rows off the request."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from armslength.spreadsheets.columns import KINDS
from armslength.spreadsheets.importer import ImportRejected, check, import_sheet
from armslength.spreadsheets.models import ImportJob, JobStatus
from armslength.spreadsheets.reading import ReadError, read_sheet

#: errors kept for the page (all are counted; a file with more needs fixing first anyway)
MAX_ERRORS_SHOWN = 1000


def _sheet(job: ImportJob):
    with job.file.open("rb") as handle:
        return read_sheet(handle.read(), job.original_name)


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
