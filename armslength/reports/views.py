"""Report pages: the annual report (HTML, PDF, CSV), snapshots and commentary.

Who sees which report: the coordinator and auditors every body's and the
NPM-wide one; a body's manager their own body's and the NPM-wide one (it is
published, and holds only aggregate, suppressed figures); staff none.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from armslength.core import access
from armslength.engine import codes
from armslength.register.models import Body
from armslength.reports import render as renderer
from armslength.reports.models import Narrative, Snapshot, SnapshotSource
from armslength.reports.report import SECTION_TITLES, Report, build_report
from armslength.reports.services import SnapshotExists, manual_figures, snapshot_take


def report_bodies(user) -> list[Body]:
    """The bodies whose own report the user may read (the NPM-wide one comes on top)."""
    if not access.can(user, "report.read"):
        raise PermissionDenied(_("Annual reports are for managers, the coordinator and auditors."))
    if not access.can(user, "report.read_every_body"):
        return [user.body] if user.body else []
    return list(Body.objects.order_by("abbreviation"))


def report_years() -> list[int]:
    this_year = timezone.localdate().year
    years = set(Snapshot.objects.values_list("year", flat=True)) | {this_year, this_year - 1}
    return sorted(years, reverse=True)


class ReportChoiceForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Reporting year"), coerce=int)
    body = forms.TypedChoiceField(
        label=gettext_lazy("Report for"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, bodies: list[Body], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in report_years()]
        self.fields["body"].choices = [("", _("The whole NPM"))] + [
            (b.pk, f"{b.abbreviation} — {b.name}") for b in bodies
        ]


def chosen_report(request) -> tuple[ReportChoiceForm, Report, str]:
    """The report the query string asks for, after checking the user may read it."""
    bodies = report_bodies(request.user)
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    form = ReportChoiceForm(data, bodies=bodies)
    if not form.is_valid():
        raise Http404(_("No such report."))
    body = next((b for b in bodies if b.pk == form.cleaned_data["body"]), None)
    report = build_report(form.cleaned_data["year"], body=body)
    query = urlencode({"year": report.year, **({"body": body.pk} if body else {})})
    return form, report, query


def may_write_commentary(user, body: Body | None) -> bool:
    return access.can(user, "report.write_commentary", body)


class ReportView(View):
    def get(self, request):
        form, report, query = chosen_report(request)
        return render(
            request,
            "reports/report.html",
            {
                "report": report,
                "choice": form,
                "query": query,
                "editable": may_write_commentary(request.user, report.body),
                "can_snapshot": access.can(request.user, "snapshot.enter"),
            },
        )


class ReportPdfView(View):
    def get(self, request):
        _form, report, _query = chosen_report(request)
        response = HttpResponse(renderer.pdf_bytes(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{renderer.file_stem(report)}.pdf"'
        return response


class ReportCsvView(View):
    def get(self, request):
        _form, report, _query = chosen_report(request)
        response = HttpResponse(renderer.csv_zip(report), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{renderer.file_stem(report)}.zip"'
        return response


# --- commentary ---------------------------------------------------------------


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Narrative
        fields = ["text"]
        labels = {"text": gettext_lazy("Commentary")}
        help_texts = {
            "text": gettext_lazy(
                "Shown under the section in the web page and the PDF. Plain text; a blank "
                "line starts a new paragraph. Leave empty to remove it."
            )
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class NarrativeView(View):
    """Add or change the commentary under one section of one report."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.year = int(request.GET.get("year", ""))
        except ValueError:
            raise Http404(_("No such report.")) from None
        self.section = request.GET.get("section", "")
        if self.section not in SECTION_TITLES:
            raise Http404(_("No such section."))
        body_id = request.GET.get("body")
        self.body = None
        if body_id:
            self.body = Body.objects.filter(pk=body_id).first()
            if self.body is None:
                raise Http404(_("No such body."))

    def dispatch(self, request, *args, **kwargs):
        if not may_write_commentary(request.user, self.body):
            raise PermissionDenied(_("Only the coordinator, or this body's managers, write this."))
        return super().dispatch(request, *args, **kwargs)

    def _instance(self) -> Narrative:
        found = Narrative.objects.filter(body=self.body, year=self.year, section=self.section)
        return found.first() or Narrative(body=self.body, year=self.year, section=self.section)

    def _render(self, request, form):
        return render(
            request,
            "reports/narrative_form.html",
            {
                "form": form,
                "year": self.year,
                "body": self.body,
                "section": self.section,
                "title": SECTION_TITLES[self.section],
            },
        )

    def get(self, request):
        return self._render(request, NarrativeForm(instance=self._instance()))

    def post(self, request):
        form = NarrativeForm(request.POST, instance=self._instance())
        if not form.is_valid():
            return self._render(request, form)
        narrative = form.save(commit=False)
        narrative.updated_by = request.user
        narrative.save()
        if request.htmx:
            return render(
                request,
                "reports/_narrative.html",
                {
                    "section": SimpleNamespace(key=self.section, narrative=narrative.text),
                    "report": SimpleNamespace(year=self.year, body=self.body),
                    "editable": True,
                },
            )
        messages.success(request, _("Commentary saved."))
        query = urlencode({"year": self.year, **({"body": self.body.pk} if self.body else {})})
        return HttpResponseRedirect(f"{reverse('reports:report')}?{query}#section-{self.section}")


# --- snapshots ----------------------------------------------------------------


class SnapshotTakeForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Reporting year"), min_value=2000)
    retake = forms.BooleanField(
        label=gettext_lazy("Re-take a year already frozen (replaces its figures; audited)"),
        required=False,
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("%(year)s has not begun yet.") % {"year": year})
        return year


class SnapshotListView(View):
    def get(self, request, take_form=None):
        if not access.can(request.user, "report.read"):
            raise PermissionDenied
        snapshots = access.readable(request.user, Snapshot).select_related("body", "taken_by")
        years = sorted({s.year for s in snapshots}, reverse=True)
        return render(
            request,
            "reports/snapshots.html",
            {
                "snapshots": snapshots.order_by("-year", "body__abbreviation"),
                "years": years,
                "take_form": take_form
                or SnapshotTakeForm(initial={"year": timezone.localdate().year - 1}),
                "can_take": access.can(request.user, "snapshot.take"),
                "can_enter": access.can(request.user, "snapshot.enter"),
            },
        )

    def post(self, request):
        if not access.can(request.user, "snapshot.take"):
            raise PermissionDenied(_("The coordinator freezes the year for every body."))
        form = SnapshotTakeForm(request.POST)
        if not form.is_valid():
            return self.get(request, take_form=form)
        year, retake = form.cleaned_data["year"], form.cleaned_data["retake"]
        try:
            taken = snapshot_take(year=year, user=request.user, retake=retake)
        except SnapshotExists as exc:
            form.add_error("retake", str(exc))
            return self.get(request, take_form=form)
        messages.success(
            request,
            _("%(year)s frozen for %(n)d bodies.") % {"year": year, "n": len(taken)},
        )
        return HttpResponseRedirect(reverse("reports:snapshots"))


class ManualSnapshotForm(forms.Form):
    """A year from before the body used armslength, from its own records."""

    body = forms.ModelChoiceField(queryset=Body.objects.none(), label=gettext_lazy("Body"))
    year = forms.IntegerField(label=gettext_lazy("Reporting year"), min_value=1990)
    visits = forms.IntegerField(label=gettext_lazy("Visits"), min_value=0, required=False)
    visit_days = forms.IntegerField(label=gettext_lazy("Visit-days"), min_value=0, required=False)
    note = forms.CharField(
        label=gettext_lazy("Where these figures come from"), max_length=300, required=True
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Replace the figures already on record for this year (audited)"),
        required=False,
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        for code, label in codes.CATEGORIES:
            self.fields[f"{code}_headcount"] = forms.IntegerField(
                label=_("%(category)s: headcount on NPM work") % {"category": label},
                min_value=0,
                initial=0,
            )
            self.fields[f"{code}_fte"] = forms.DecimalField(
                label=_("%(category)s: FTE") % {"category": label},
                min_value=0,
                decimal_places=2,
                max_digits=8,
                initial=0,
            )
        self.order_fields(["body", "year"])

    def clean(self):
        data = super().clean()
        year, body = data.get("year"), data.get("body")
        if year and year >= timezone.localdate().year:
            self.add_error("year", _("Enter by hand only years already over."))
        for code, label in codes.CATEGORIES:
            heads, fte = data.get(f"{code}_headcount"), data.get(f"{code}_fte")
            if heads is not None and fte is not None and fte > heads:
                self.add_error(
                    f"{code}_fte",
                    _("%(category)s FTE cannot exceed the headcount.") % {"category": label},
                )
        if data.get("visit_days") is not None and data.get("visits") is None:
            self.add_error("visits", _("Give the number of visits with the visit-days."))
        on_record = year and body and Snapshot.objects.filter(body=body, year=year).exists()
        if on_record and not data.get("replace"):
            self.add_error(
                "replace",
                _("%(body)s already has figures for %(year)s; tick to replace them.")
                % {"body": body.abbreviation, "year": year},
            )
        return data

    def figures(self) -> dict:
        data = self.cleaned_data
        return manual_figures(
            year=data["year"],
            by_category={
                code: (data[f"{code}_headcount"], float(data[f"{code}_fte"]))
                for code, _label in codes.CATEGORIES
            },
            visits=data.get("visits"),
            visit_days=data.get("visit_days"),
        )


class ManualSnapshotView(View):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.bodies = Body.objects.order_by("abbreviation")
        if not access.can(request.user, "snapshot.enter_any_body"):
            self.bodies = self.bodies.filter(pk=request.user.body_id)

    def dispatch(self, request, *args, **kwargs):
        if not access.can(request.user, "snapshot.enter"):
            raise PermissionDenied(_("The coordinator and body managers enter earlier years."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {"year": timezone.localdate().year - 1}
        if len(self.bodies) == 1:
            initial["body"] = self.bodies[0]
        form = ManualSnapshotForm(initial=initial, bodies=self.bodies)
        return render(request, "reports/snapshot_manual.html", {"form": form})

    def post(self, request):
        form = ManualSnapshotForm(request.POST, bodies=self.bodies)
        if not form.is_valid():
            return render(request, "reports/snapshot_manual.html", {"form": form}, status=400)
        data = form.cleaned_data
        Snapshot.objects.update_or_create(
            body=data["body"],
            year=data["year"],
            defaults={
                "as_of": dt.date(data["year"], 12, 31),
                "figures": form.figures(),
                "source": SnapshotSource.MANUAL,
                "note": data["note"],
                "taken_by": request.user,
            },
        )
        messages.success(
            request,
            _("Figures for %(body)s, %(year)s, recorded.")
            % {"body": data["body"].abbreviation, "year": data["year"]},
        )
        return HttpResponseRedirect(reverse("reports:snapshots"))
