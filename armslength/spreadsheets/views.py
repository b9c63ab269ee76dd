"""Spreadsheet import pages: upload, map columns, preview every error, import, templates.

Who imports what: a body's manager imports their own body's people,
secondments and declarations, and (like the coordinator) the shared
organisations and establishments. The import runs with the importer's rights
and is audited under their name.
"""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from armslength.core import access
from armslength.core.exports import XLSX, export_response
from armslength.register.models import Organisation
from armslength.spreadsheets.columns import BODY_KINDS, KINDS, Kind
from armslength.spreadsheets.models import ColumnMapping, ImportJob, JobStatus
from armslength.spreadsheets.reading import (
    MAX_BYTES,
    ReadError,
    file_format,
    read_sheet,
)
from armslength.spreadsheets.tasks import (
    check_import,
    columns_guessed,
    read_upload,
    run_import,
)


def importable_kinds(user) -> list[Kind]:
    kinds = []
    for kind in KINDS.values():
        if kind.key in BODY_KINDS:
            if access.can(user, "import.body_records"):
                kinds.append(kind)
        elif access.can_create(user, Organisation):
            kinds.append(kind)
    return kinds


def _check_may_import(user) -> None:
    if not importable_kinds(user):
        raise PermissionDenied(_("Your role does not import records."))


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"))
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("CSV or Excel (.xlsx), the first row naming the columns."),
    )

    def __init__(self, *args, kinds: list[Kind], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; split it."))
        head = upload.read(8192)
        upload.seek(0)
        #: None: a large file, read by the background worker (issue 12, finding 6)
        self.sheet = None
        try:
            file_format(upload.name, head)  # a PNG named .csv is refused here, at once
            if upload.size <= settings.UPLOAD_QUEUE_BYTES:
                self.sheet = read_sheet(upload.read(), upload.name)
        except ReadError as exc:
            raise forms.ValidationError(str(exc)) from None
        finally:
            upload.seek(0)
        return upload


class ImportStartView(View):
    def get(self, request, form=None):
        _check_may_import(request.user)
        kinds = importable_kinds(request.user)
        form = form or UploadForm(kinds=kinds, initial={"kind": request.GET.get("kind")})
        jobs = access.readable(request.user, ImportJob).select_related("body")[:20]
        return render(
            request,
            "spreadsheets/start.html",
            {"form": form, "kinds": kinds, "jobs": jobs},
            status=400 if form.errors else 200,
        )

    def post(self, request):
        _check_may_import(request.user)
        form = UploadForm(request.POST, request.FILES, kinds=importable_kinds(request.user))
        if not form.is_valid():
            return self.get(request, form=form)
        kind = KINDS[form.cleaned_data["kind"]]
        upload = form.cleaned_data["file"]
        sheet = form.sheet
        job = ImportJob.objects.create(
            kind=kind.key,
            body=request.user.body if access.can(request.user, "import.body_records") else None,
            file=upload,
            original_name=upload.name[:255],
            header=sheet.header if sheet else [],
            total_rows=len(sheet.rows) if sheet else 0,
            status=JobStatus.MAPPING if sheet else JobStatus.READING,
            created_by=request.user,
        )
        if sheet is None:  # the worker reads it; the job page shows how far it has got
            transaction.on_commit(lambda: read_upload.enqueue(job.pk))
            return HttpResponseRedirect(job.get_absolute_url())
        job.columns = columns_guessed(job, sheet)
        job.save(update_fields=["columns"])
        return HttpResponseRedirect(reverse("spreadsheets:map", args=[job.pk]))


class MappingForm(forms.Form):
    def __init__(self, *args, kind: Kind, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", _("— not in the file —"))] + [(h, h) for h in header if h]
        for column in kind.columns:
            self.fields[column.name] = forms.ChoiceField(
                label=column.name,
                choices=options,
                required=column.required,
                help_text=column.help + (_(" (required)") if column.required else ""),
            )

    def clean(self):
        data = super().clean()
        used: dict[str, str] = {}
        for name, header in data.items():
            if not header:
                continue
            if header in used:
                self.add_error(
                    name,
                    _("“%(h)s” is already used for %(other)s.")
                    % {"h": header, "other": used[header]},
                )
            used[header] = name
        return data


class JobMixin:
    def job(self, request, pk, *, write: bool = False) -> ImportJob:
        if write:
            return access.get_writable(request.user, ImportJob, pk)
        return access.get_readable(request.user, ImportJob, pk)


class ImportMapView(JobMixin, View):
    def get(self, request, pk, form=None):
        job = self.job(request, pk, write=True)
        if job.status not in (JobStatus.MAPPING, JobStatus.REJECTED, JobStatus.CHECKED):
            return HttpResponseRedirect(job.get_absolute_url())
        kind = KINDS[job.kind]
        form = form or MappingForm(kind=kind, header=job.header, initial=job.columns)
        return render(
            request,
            "spreadsheets/map.html",
            {"job": job, "form": form, "kind": kind},
            status=400 if form.errors else 200,
        )

    def post(self, request, pk):
        job = self.job(request, pk, write=True)
        form = MappingForm(request.POST, kind=KINDS[job.kind], header=job.header)
        if not form.is_valid():
            return self.get(request, pk, form=form)
        job.columns = {k: v for k, v in form.cleaned_data.items() if v}
        job.status = JobStatus.CHECKING
        job.done_rows = 0
        job.errors = []
        job.warnings = []
        job.summary = {}
        job.save()
        ColumnMapping.objects.update_or_create(
            body=job.body, kind=job.kind, defaults={"columns": job.columns}
        )
        transaction.on_commit(lambda: check_import.enqueue(job.pk))
        return HttpResponseRedirect(job.get_absolute_url())


class ImportJobView(JobMixin, View):
    def get(self, request, pk):
        job = self.job(request, pk)
        may_write = access.can_write(request.user, job)
        context = {
            "job": job,
            "kind": KINDS[job.kind],
            "can_map": may_write,
            "can_run": may_write and job.status == JobStatus.CHECKED,
            "list_url": _list_url(job),
        }
        if request.htmx:
            if job.status == JobStatus.MAPPING and may_write:
                # the worker has read the file: on to the column matching, as for a small one
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("spreadsheets:map", args=[job.pk])
                return response
            return render(request, "spreadsheets/_job_status.html", context)
        return render(request, "spreadsheets/job.html", context)


def _list_url(job: ImportJob) -> str:
    names = {
        "people": "register:person_list",
        "secondments": "register:secondment_list",
        "affiliations": "declarations:affiliation_list",
        "establishments": "register:establishment_list",
        "organisations": "register:organisation_list",
    }
    return reverse(names[job.kind])


class ImportRunView(JobMixin, View):
    def post(self, request, pk):
        job = self.job(request, pk, write=True)
        if job.status != JobStatus.CHECKED:
            raise PermissionDenied(_("Only a checked file without errors can be imported."))
        job.status = JobStatus.IMPORTING
        job.save(update_fields=["status"])
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
        return HttpResponseRedirect(job.get_absolute_url())


class TemplateDownloadView(View):
    """An empty template with the columns, their help and example rows."""

    def get(self, request, kind, fmt):
        found = KINDS.get(kind)
        if found is None or fmt not in ("csv", "xlsx"):
            raise Http404(_("No such template."))
        rows = [[example.get(c.name, "") for c in found.columns] for example in found.examples]
        if fmt == "csv":  # the same CSV every export writes
            return export_response("csv", f"{kind}-template", found.header(), rows)
        response = HttpResponse(template_xlsx(found, rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
        return response


def template_xlsx(kind: Kind, rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(kind.label)
    sheet.append(kind.header())
    for cell, column in zip(sheet[1], kind.columns, strict=True):
        cell.font = Font(bold=True)
        note = column.help + (" (required)" if column.required else "")
        if note:
            cell.comment = Comment(note, "armslength")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
