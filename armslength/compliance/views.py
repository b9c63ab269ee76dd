"""Secondee safeguards, declaration rounds, the compliance dashboard."""

from __future__ import annotations

from collections import Counter

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from armslength.accounts.models import Role, User
from armslength.compliance import filters, forms, tables
from armslength.compliance.fixes import fix_for
from armslength.compliance.models import (
    Acknowledgement,
    AcknowledgementText,
    Assessment,
    DeclarationRound,
    FindingRecord,
    FindingsComputed,
    InterferenceReport,
    InterferenceStatus,
    RecruitmentRecord,
    RoundResponse,
    Supervision,
)
from armslength.compliance.safeguards import assessment_sign_off
from armslength.compliance.services import (
    INTERFERENCE_FIXED_FIELDS,
    InterferenceRefused,
    acknowledgement_give,
    acknowledgement_text,
    declaration_round_chase,
    declaration_round_open,
    declaration_round_respond,
    escalations,
    finding_owner,
    interference_action_add,
    interference_delete,
    interference_escalate,
    interference_handler_set,
    interference_report_editable,
    interference_report_update,
)
from armslength.core import access, hooks, labels
from armslength.core.exports import export_response, requested_format
from armslength.core.views import ObjectEditView, record_views
from armslength.engine import codes
from armslength.register.models import Person


def _assessor_is_the_manager(request, assessment) -> None:
    assessment.assessor = request.user


def _assessment_context(request, assessment) -> dict:
    return {"can_sign_off": access.can(request.user, "assessment.sign_off", assessment)}


def _supervision_context(request, supervision) -> dict:
    return {"origin_warning": supervision.origin_warning()}


def _recruitment_context(request, record) -> dict:
    return {
        "download_url": reverse("compliance:recruitment_file", args=[record.pk])
        if record.criteria_file
        else None
    }


def _round_context(request, round_) -> dict:
    responses = list(round_.responses.select_related("person"))
    done = sum(1 for r in responses if r.responded_at)
    return {"responses": responses, "done": done, "total": len(responses)}


class InterferenceEdit(ObjectEditView):
    """Filing and amending a report through its services: once received, its reporter, date,
    kind and what happened are fixed, and a closed report is not edited at all."""

    def get_object(self, request, pk):
        obj = super().get_object(request, pk)
        try:
            interference_report_editable(obj)
        except InterferenceRefused as exc:
            raise PermissionDenied(str(exc)) from None
        return obj

    def save(self, request, form, obj):
        if obj.pk is None:
            return super().save(request, form, obj)
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            saved = interference_report_update(report=obj, changes=changes, user=request.user)
        except InterferenceRefused as exc:
            raise PermissionDenied(str(exc)) from None
        hooks.record_changed(saved, user=request.user)
        return saved

    def make_form(self, request, obj, data=None, files=None):
        form = super().make_form(request, obj, data, files)
        if obj.pk is not None:
            for name in INTERFERENCE_FIXED_FIELDS:
                # shown, never taken from the post: fixed once the report is received
                form.fields[name].disabled = True
                form.fields[name].help_text = _(
                    "Fixed once the report is received; corrections are added as dated actions."
                )
        if not access.can(request.user, "interference.report_for_others"):
            form.fields["person"].queryset = Person.objects.filter(pk=request.user.person_id)
            # the new record's empty person is in `initial` already: set, not setdefault
            form.initial["person"] = request.user.person_id
        elif obj.pk is None or obj.person_id != request.user.person_id:
            # only the reporter agrees to their name going to the coordinator
            del form.fields["name_may_be_shared"]
        return form


def _interference_context(request, report) -> dict:
    handles = access.may(request.user, "handle", report)
    context = {
        "actions": report.actions.select_related("by"),
        "handles": handles,
        "is_reporter": request.user.person_id == report.person_id,
        "no_delete": True,  # closed by its handler, never deleted (`interference_delete`)
    }
    if handles:
        context["action_form"] = forms.InterferenceActionForm(
            initial={"date": timezone.localdate(), "status": report.status}
        )
        handler_form = forms.InterferenceHandlerForm(initial={"handler": report.handler_id})
        handler_form.fields["handler"].queryset = _handlers(report)
        context["handler_form"] = handler_form
    return context


def _handlers(report):
    return User.objects.filter(
        role=Role.MANAGER, body=report.person.body_id, is_active=True
    ).order_by("username")


class RoundEdit(ObjectEditView):
    """Opening a round puts everyone in post on its list (a service, not a bare save)."""

    def post(self, request, pk=None):
        if pk is not None:
            return super().post(request, pk)
        obj = self.get_object(request, None)
        form = self.make_form(request, obj, request.POST)
        if not form.is_valid():
            return self.render_form(request, form, obj)
        round_ = declaration_round_open(
            body=form.cleaned_data["body"],
            name=form.cleaned_data["name"],
            due_on=form.cleaned_data["due_on"],
            user=request.user,
        )
        messages.success(
            request, _("Round opened for %(n)s people.") % {"n": round_.responses.count()}
        )
        return HttpResponseRedirect(round_.get_absolute_url())


assessment_views = record_views(
    Assessment,
    namespace="compliance",
    form_class=forms.AssessmentForm,
    table_class=tables.AssessmentTable,
    filterset_class=filters.AssessmentFilterSet,
    detail_template="compliance/assessment_detail.html",
    select_related=("person", "assessor"),
    initial_from_query=("person",),
    prepare_new=_assessor_is_the_manager,
    detail_context=_assessment_context,
)
supervision_views = record_views(
    Supervision,
    namespace="compliance",
    form_class=forms.SupervisionForm,
    table_class=tables.SupervisionTable,
    filterset_class=filters.SupervisionFilterSet,
    detail_template="compliance/supervision_detail.html",
    select_related=("person",),
    initial_from_query=("person",),
    detail_context=_supervision_context,
)
acknowledgement_views = record_views(
    Acknowledgement,
    namespace="compliance",
    form_class=forms.AcknowledgementForm,
    table_class=tables.AcknowledgementTable,
    filterset_class=filters.AcknowledgementFilterSet,
    select_related=("person",),
    initial_from_query=("person", "kind"),
)
recruitment_views = record_views(
    RecruitmentRecord,
    namespace="compliance",
    form_class=forms.RecruitmentRecordForm,
    table_class=tables.RecruitmentRecordTable,
    filterset_class=filters.RecruitmentRecordFilterSet,
    detail_template="compliance/recruitmentrecord_detail.html",
    select_related=("person",),
    initial_from_query=("person", "secondment"),
    detail_context=_recruitment_context,
)
interference_views = record_views(
    InterferenceReport,
    namespace="compliance",
    form_class=forms.InterferenceReportForm,
    table_class=tables.InterferenceReportTable,
    filterset_class=filters.InterferenceReportFilterSet,
    select_related=("person",),
    initial_from_query=("person",),
    edit_base=InterferenceEdit,
    detail_template="compliance/interferencereport_detail.html",
    detail_context=_interference_context,
)


class _InterferenceDelete(interference_views["Delete"]):
    """Through `interference_delete`, which refuses: reports are closed, never deleted."""

    def get(self, request, pk):
        return self.post(request, pk)

    def post(self, request, pk):
        report = access.get_writable(request.user, InterferenceReport, pk)
        try:
            interference_delete(report=report, user=request.user)
        except InterferenceRefused as exc:
            raise PermissionDenied(str(exc)) from None
        return HttpResponseRedirect(reverse("compliance:interferencereport_list"))


interference_views["Delete"] = _InterferenceDelete


class InterferenceHandleView(View):
    """The body's managers handle a report: a dated action, a handler, an escalation."""

    def post(self, request, pk):
        report = access.get_readable(request.user, InterferenceReport, pk)
        if not access.may(request.user, "handle", report):
            raise PermissionDenied(_("The managers of the person's body handle this report."))
        step = request.POST.get("step")
        try:
            if step == "action":
                form = forms.InterferenceActionForm(request.POST)
                if not form.is_valid():
                    for field, errors in form.errors.items():
                        label = form.fields[field].label if field in form.fields else ""
                        messages.error(
                            request,
                            _("%(field)s: %(errors)s")
                            % {"field": label, "errors": " ".join(errors)},
                        )
                    return HttpResponseRedirect(report.get_absolute_url())
                interference_action_add(
                    report=report,
                    text=form.cleaned_data["text"],
                    status=form.cleaned_data["status"],
                    on=form.cleaned_data["date"],
                    outcome=form.cleaned_data["outcome"],
                    user=request.user,
                )
                messages.success(request, _("Action recorded."))
            elif step == "handler":
                form = forms.InterferenceHandlerForm(request.POST)
                form.fields["handler"].queryset = _handlers(report)
                if not form.is_valid():
                    messages.error(request, _("Choose a manager of the person's body."))
                    return HttpResponseRedirect(report.get_absolute_url())
                interference_handler_set(
                    report=report, handler=form.cleaned_data["handler"], user=request.user
                )
                messages.success(request, _("Handler saved."))
            elif step == "escalate":
                interference_escalate(report=report, user=request.user)
                messages.success(request, _("Escalated to the NPM coordinator."))
            else:
                messages.error(request, _("Choose what to do."))
        except InterferenceRefused as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(report.get_absolute_url())


class InterferenceEscalationsView(View):
    """For the NPM coordinator (and auditors): escalated reports as counts and status,
    the reporter's name only where the reporter agreed."""

    def get(self, request):
        if not access.can(request.user, "interference.read_escalations"):
            raise PermissionDenied(_("Escalations are for the NPM coordinator."))
        rows = escalations()
        counts = Counter((r.body, r.status) for r in rows)
        statuses = [label for _code, label in InterferenceStatus.choices]
        bodies = sorted({r.body for r in rows})
        table = [(b, [counts.get((b, st), 0) for st in statuses]) for b in bodies]
        return render(
            request,
            "compliance/interference_escalations.html",
            {"rows": rows, "statuses": statuses, "table": table},
        )


round_views = record_views(
    DeclarationRound,
    namespace="compliance",
    form_class=forms.DeclarationRoundForm,
    table_class=tables.DeclarationRoundTable,
    filterset_class=filters.DeclarationRoundFilterSet,
    detail_template="compliance/declarationround_detail.html",
    select_related=("body",),
    edit_base=RoundEdit,
    detail_context=_round_context,
)
acknowledgement_text_views = record_views(
    AcknowledgementText,
    namespace="compliance",
    form_class=django_forms.modelform_factory(
        AcknowledgementText, fields=["body", "kind", "version", "text"]
    ),
    table_class=tables.AcknowledgementTextTable,
    filterset_class=filters.AcknowledgementTextFilterSet,
    select_related=("body",),
)


class SignOffView(View):
    """The assessor signs the assessment off: from then on it counts (UK-12)."""

    def post(self, request, pk):
        assessment = access.get_writable(request.user, Assessment, pk)
        if access.can(request.user, "assessment.sign_off", assessment):
            assessment_sign_off(assessment=assessment, user=request.user)
            messages.success(request, _("Assessment signed off."))
        return HttpResponseRedirect(assessment.get_absolute_url())


class RecruitmentFileView(View):
    """Uploaded criteria are sent only to those who may read the record, as a download."""

    def get(self, request, pk):
        record = access.get_readable(request.user, RecruitmentRecord, pk)
        if not record.criteria_file:
            raise Http404
        return FileResponse(
            record.criteria_file.open("rb"),
            as_attachment=True,
            filename=record.criteria_file.name.rsplit("/", 1)[-1],
        )


class AcknowledgeView(View):
    """A person reads their body's text of a duty and confirms it (UK-15)."""

    def get_person(self, request):
        if not request.user.person_id:
            raise PermissionDenied(_("Only people in the register acknowledge duties."))
        return access.get_readable(request.user, Person, request.user.person_id)

    def context(self, request, kind, form):
        if kind not in codes.codes(codes.ACKNOWLEDGEMENT_KINDS):
            raise Http404
        person = self.get_person(request)
        return {
            "form": form,
            "person": person,
            "kind": kind,
            "kind_label": labels.labels(codes.ACKNOWLEDGEMENT_KINDS)[kind],
            "text": acknowledgement_text(body=person.body, kind=kind),
            "given": person.acknowledgements.filter(kind=kind).first(),
        }

    def get(self, request, kind):
        return render(
            request,
            "compliance/acknowledge.html",
            self.context(request, kind, forms.AcknowledgeForm()),
        )

    def post(self, request, kind):
        form = forms.AcknowledgeForm(request.POST)
        context = self.context(request, kind, form)
        if not form.is_valid():
            return render(request, "compliance/acknowledge.html", context, status=400)
        acknowledgement_give(person=context["person"], kind=kind)
        messages.success(request, _("Thank you: your acknowledgement is recorded."))
        return HttpResponseRedirect(reverse("home"))


class MyRoundsView(View):
    """A person's declaration rounds: confirm the declarations or make a nil return."""

    def get(self, request):
        if not request.user.person_id:
            raise PermissionDenied(_("Only people in the register respond to rounds."))
        responses = RoundResponse.objects.filter(person_id=request.user.person_id).select_related(
            "round"
        )
        declarations = (
            access.readable(request.user, Person).get(pk=request.user.person_id).affiliations.all()
        )
        return render(
            request,
            "compliance/my_rounds.html",
            {"responses": responses, "declarations": declarations},
        )

    def post(self, request):
        response = access.get_readable(request.user, RoundResponse, request.POST.get("response"))
        if response.person_id != request.user.person_id:
            raise PermissionDenied(_("Only the person responds for themself."))
        if response.round.closed:
            messages.error(request, _("This round is closed."))
        else:
            declaration_round_respond(
                response=response, nil_return=request.POST.get("nil_return") == "1"
            )
            messages.success(request, _("Your response is recorded."))
        return HttpResponseRedirect(reverse("compliance:my_rounds"))


class RoundChaseView(View):
    def post(self, request, pk):
        round_ = access.get_writable(request.user, DeclarationRound, pk)
        sent = declaration_round_chase(round_=round_)
        messages.success(request, _("Reminder sent to %(n)s people.") % {"n": sent})
        return HttpResponseRedirect(round_.get_absolute_url())


SEVERITY_ORDER = {"error": 0, "warning": 1}


class DashboardView(View):
    """Every open finding, who must act and by when; the coordinator sees counts only."""

    def get(self, request):
        # Reading never computes: the services and the daily run keep the findings current.
        if access.can(request.user, "finding.read_counts_only"):
            return self.aggregate(request)
        if not access.can_list(request.user, FindingRecord):
            raise PermissionDenied(
                _("The dashboard is for managers, auditors and the coordinator.")
            )
        records = access.readable(request.user, FindingRecord)
        open_records = records.filter(closed_at__isnull=True).select_related("person", "body")
        rule = request.GET.get("rule") or ""
        severity = request.GET.get("severity") or ""
        owner = request.GET.get("owner") or ""
        rows = []
        for record in open_records:
            record.owner = finding_owner(record.rule, record.scope or None)
            record.fix = fix_for(record.rule, person_id=record.person_id, body_id=record.body_id)
            if (rule and record.rule != rule) or (severity and record.severity != severity):
                continue
            if owner and record.owner != owner:
                continue
            rows.append(record)
        sort = request.GET.get("sort") or "severity"
        if sort == "due":
            rows.sort(key=lambda r: (r.due is None, r.due or r.opened_at.date()))
        else:
            rows.sort(
                key=lambda r: (
                    SEVERITY_ORDER.get(r.severity, 9),
                    r.due is None,
                    r.due or r.opened_at.date(),
                )
            )
        if fmt := requested_format(request):
            return export_response(
                fmt,
                "findings",
                [
                    "severity",
                    "rule",
                    "person",
                    "body",
                    "finding",
                    "cites",
                    "what_to_do",
                    "owner",
                    "due",
                    "open_since",
                ],
                (
                    [
                        r.severity,
                        r.rule,
                        r.person.name if r.person else "",
                        r.body.abbreviation if r.body else "NPM",
                        r.text,
                        "; ".join(r.cites),
                        r.action,
                        r.owner,
                        r.due.isoformat() if r.due else "",
                        r.opened_at.date().isoformat(),
                    ]
                    for r in rows
                ),
            )
        closed = records.filter(closed_at__isnull=False).select_related("person", "body")[:25]
        today = timezone.localdate()
        return render(
            request,
            "compliance/dashboard.html",
            {
                "groups": [
                    (sev, [r for r in rows if r.severity == sev]) for sev in ("error", "warning")
                ],
                "total": len(rows),
                "closed": closed,
                "today": today,
                "rules": sorted(
                    ((r, labels.rule_title(r)) for r in {r.rule for r in open_records}),
                    key=lambda pair: pair[1],
                ),
                "owners": ["body managers", "the person", "NPM coordinator"],
                "filters": {"rule": rule, "severity": severity, "owner": owner, "sort": sort},
                "computed": FindingsComputed.last(),
            },
        )

    def aggregate(self, request):
        open_records = FindingRecord.objects.filter(closed_at__isnull=True)
        counts = Counter(
            (r.body.abbreviation if r.body else "NPM", r.rule)
            for r in open_records.select_related("body")
        )
        bodies = sorted({b for b, _r in counts})
        rules = sorted({r for _b, r in counts})
        table = [
            (b, [counts.get((b, r), 0) for r in rules], sum(counts.get((b, r), 0) for r in rules))
            for b in bodies
        ]
        if fmt := requested_format(request):
            return export_response(
                fmt,
                "findings-per-body",
                ["body", *rules, "total"],
                ([b, *row, total] for b, row, total in table),
            )
        return render(
            request,
            "compliance/dashboard_aggregate.html",
            {
                "rules": rules,
                "table": table,
                "totals": [sum(counts.get((b, r), 0) for b in bodies) for r in rules],
                "computed": FindingsComputed.last(),
            },
        )


def my_tasks(user) -> dict:
    """What a signed-in person must do themself: acknowledgements, rounds (home page)."""
    if not user.person_id:
        return {}
    person = Person.objects.get(pk=user.person_id)
    today = timezone.localdate()
    tasks = []
    if (
        person.is_secondee_on(today)
        and not person.acknowledgements.filter(kind="independence").exists()
    ):
        tasks.append(
            (
                _("Acknowledge the duty to act with real and perceived independence (UK-15)"),
                reverse("compliance:acknowledge", args=["independence"]),
            )
        )
    if person.left and not person.acknowledgements.filter(kind="exit_confidentiality").exists():
        tasks.append(
            (
                _("Acknowledge continuing confidentiality after leaving"),
                reverse("compliance:acknowledge", args=["exit_confidentiality"]),
            )
        )
    pending = person.round_responses.filter(
        Q(responded_at__isnull=True), round__closed=False
    ).select_related("round")
    for response in pending:
        tasks.append(
            (
                _("Confirm your declarations for '%(r)s' by %(d)s")
                % {
                    "r": response.round.name,
                    "d": date_format(response.round.due_on, "DATE_FORMAT"),
                },
                reverse("compliance:my_rounds"),
            )
        )
    return {"tasks": tasks}
