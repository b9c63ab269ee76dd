"""Visits, the screening of a visit's people, and overrides with a second manager's approval."""

from __future__ import annotations

import django_filters as filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from armslength.accounts.models import Role
from armslength.core import access
from armslength.core.views import ObjectEditView, record_views
from armslength.engine.verdicts import Verdict
from armslength.register.filters import SearchFilterSet
from armslength.register.models import Body, Person
from armslength.screening.services import screen_register
from armslength.visits.forms import OverrideRequestForm, VisitForm
from armslength.visits.models import Override, OverrideStatus, Visit, VisitStatus, VisitType

#: what each overridable verdict may be lowered to; block and preparation_only never
OVERRIDABLE = {Verdict.RESTRICTED: ("declared", "clear"), Verdict.DECLARED: ("clear",)}


class VisitFilterSet(SearchFilterSet):
    search_fields = ("establishment__name", "key")
    type = filters.ChoiceFilter(choices=VisitType.choices)
    status = filters.ChoiceFilter(choices=VisitStatus.choices)

    class Meta:
        model = Visit
        fields = ["q", "type", "status"]


class VisitTable(tables.Table):
    establishment = tables.Column(linkify=lambda record: record.get_absolute_url())
    body = tables.Column(accessor="body__abbreviation", verbose_name="Lead body")

    class Meta:
        model = Visit
        fields = ("establishment", "start", "end", "body", "type", "status")


class VisitEditView(ObjectEditView):
    def make_form(self, request, obj, data=None, files=None):
        form = super().make_form(request, obj, data, files)
        if request.user.body_id:
            form.fields["body"].queryset = Body.objects.filter(pk=request.user.body_id)
            if not obj.pk:
                form.initial["body"] = request.user.body_id
        form.fields["partner_bodies"].queryset = Body.objects.all()
        return form


def visit_screening(request, visit: Visit) -> dict:
    """The people the user may see, screened for this visit's dates, with overrides."""
    screening = screen_register()
    people = (
        access.readable(request.user, Person)
        .filter(body__in=[visit.body_id, *visit.partner_bodies.values_list("pk", flat=True)])
        .select_related("body")
    )
    overrides = {
        o.person_id: o
        for o in visit.overrides.select_related("requested_by", "decided_by").order_by(
            "requested_at"
        )
    }
    rows = []
    for person in people:
        if person.key not in screening.ctx.facts:
            continue
        result = screening.for_pair(person.key, visit.establishment.key, visit.start, visit.end)
        if result.verdict != Verdict.CLEAR or person.pk in overrides:
            rows.append((person, result, overrides.get(person.pk)))
    rows.sort(key=lambda row: (-row[1].verdict, row[0].name))
    overridable = [
        (p.pk, f"{p.name} ({r.verdict.code})")
        for p, r, o in rows
        if r.verdict in OVERRIDABLE and o is None
    ]
    form = OverrideRequestForm()
    form.fields["person"].choices = overridable
    visible = set(access.readable(request.user, Person).values_list("pk", flat=True))
    alerts = [
        a
        for a in visit.alerts.filter(resolved_at__isnull=True).select_related("person")
        if a.person_id in visible
    ]
    return {
        "alerts": alerts,
        "screening_rows": rows,
        "policy_version": screening.version,
        "override_form": form if overridable else None,
        "is_manager": request.user.role == Role.MANAGER,
    }


visit_views = record_views(
    Visit,
    namespace="visits",
    form_class=VisitForm,
    table_class=VisitTable,
    filterset_class=VisitFilterSet,
    detail_template="visits/visit_detail.html",
    select_related=("body", "establishment"),
    edit_base=VisitEditView,
    detail_context=visit_screening,
)


class OverrideRequestView(View):
    """A manager asks to lower a `declared` or `restricted` verdict for this visit."""

    def post(self, request, pk):
        visit = access.get_writable(request.user, Visit, pk)
        if request.user.role != Role.MANAGER:
            raise PermissionDenied(_("Overrides are requested by the body's managers."))
        form = OverrideRequestForm(request.POST)
        people = access.readable(request.user, Person)
        form.fields["person"].choices = [(p.pk, p.name) for p in people]
        if not form.is_valid():
            messages.error(request, _("Choose a person, a verdict and write the reason."))
            return HttpResponseRedirect(visit.get_absolute_url())
        person = people.get(pk=form.cleaned_data["person"])
        screening = screen_register()
        result = screening.for_pair(person.key, visit.establishment.key, visit.start, visit.end)
        allowed = OVERRIDABLE.get(result.verdict, ())
        if form.cleaned_data["verdict_to"] not in allowed:
            # block and preparation_only are never overridden (UK-14; APT).
            messages.error(
                request,
                _("A %(v)s verdict cannot be overridden.")
                % {"v": result.verdict.code.replace("_", " ")},
            )
            return HttpResponseRedirect(visit.get_absolute_url())
        Override.objects.create(
            visit=visit,
            person=person,
            verdict_from=result.verdict.code,
            verdict_to=form.cleaned_data["verdict_to"],
            reason=form.cleaned_data["reason"],
            policy_version=screening.version,
            requested_by=request.user,
        )
        messages.success(request, _("Override requested; a second manager must approve it."))
        return HttpResponseRedirect(visit.get_absolute_url())


class OverrideDecideView(View):
    """A second manager of the lead body approves or refuses an override."""

    def post(self, request, pk):
        override = access.get_writable(request.user, Override, pk)
        if request.user.role != Role.MANAGER:
            raise PermissionDenied(_("Overrides are approved by the body's managers."))
        if override.requested_by_id == request.user.pk:
            messages.error(request, _("A second manager must approve: not the one who asked."))
            return HttpResponseRedirect(override.visit.get_absolute_url())
        if override.status != OverrideStatus.REQUESTED:
            messages.error(request, _("This override has already been decided."))
            return HttpResponseRedirect(override.visit.get_absolute_url())
        decision = request.POST.get("decision")
        if decision not in (OverrideStatus.APPROVED, OverrideStatus.REFUSED):
            messages.error(request, _("Approve or refuse."))
            return HttpResponseRedirect(override.visit.get_absolute_url())
        with transaction.atomic():
            override.status = decision
            override.decided_by = request.user
            override.decided_at = timezone.now()
            override.save()
        messages.success(request, _("Override %(s)s.") % {"s": override.get_status_display()})
        return HttpResponseRedirect(override.visit.get_absolute_url())
