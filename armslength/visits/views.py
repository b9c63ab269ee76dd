"""Visits, the screening of a visit's people, and overrides with a second manager's approval."""

from __future__ import annotations

import calendar as calendar_module
import datetime as dt

import django_filters as filters
import django_tables2 as tables
from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from armslength.core import access, access_log
from armslength.core.forms import DateInput
from armslength.core.views import ObjectEditView, record_views
from armslength.engine.verdicts import Verdict
from armslength.register.filters import SearchFilterSet
from armslength.register.models import Body, Person
from armslength.screening.services import screen_register
from armslength.visits.forms import (
    AssignmentForm,
    LeavingForm,
    OverrideRequestForm,
    PlaceRequestForm,
    PlanningForm,
    VisitForm,
)
from armslength.visits.models import (
    Assignment,
    Override,
    PlaceRequest,
    PlanningRun,
    Role,
    RunStatus,
    Unavailability,
    Visit,
    VisitAlert,
    VisitStatus,
    VisitType,
)
from armslength.visits.planning import (
    earlier_runs,
    plan_review,
    planned_by,
    planning_build,
    progress_words,
)
from armslength.visits.services import (
    OVERRIDABLE,
    AssignmentAcceptRefused,
    AssignmentRefused,
    OverrideRefused,
    PlaceRequestRefused,
    assignment_accept,
    assignment_add,
    assignment_check,
    assignment_remove,
    exit_checklist,
    override_decide,
    override_request,
    person_later_places_remove,
    person_leaving_set,
    place_request_create,
    place_request_filled,
    place_request_withdraw,
    plan_accept,
    team_totals,
    team_warnings,
    visit_update,
    visit_verdict,
)
from armslength.visits.tasks import run_planner


class VisitFilterSet(SearchFilterSet):
    search_fields = ("establishment__name", "key")
    type = filters.ChoiceFilter(choices=VisitType.choices)
    status = filters.ChoiceFilter(choices=VisitStatus.choices)
    on = filters.DateFilter(label=gettext_lazy("On the day"), method="filter_on")

    class Meta:
        model = Visit
        fields = ["q", "type", "status", "on"]

    def filter_on(self, queryset, name, value):
        return queryset.filter(start__lte=value, end__gte=value)


class VisitTable(tables.Table):
    establishment = tables.Column(linkify=lambda record: record.get_absolute_url())
    body = tables.Column(accessor="body__abbreviation", verbose_name=gettext_lazy("Lead body"))

    class Meta:
        model = Visit
        fields = ("establishment", "start", "end", "body", "type", "status")


class VisitEditView(ObjectEditView):
    def make_form(self, request, obj, data=None, files=None):
        form = super().make_form(request, obj, data, files)
        # A joint visit may name any body as a partner, not only readable ones.
        form.fields["partner_bodies"].queryset = Body.objects.all()
        return form

    def save(self, request, form, obj):
        """Through `visit_update`: a new place or new dates re-check the whole team."""
        if obj.pk is None:  # a new visit has no team to re-check
            return super().save(request, form, obj)
        values = {
            name: value for name, value in form.cleaned_data.items() if name != "partner_bodies"
        }
        change = visit_update(
            visit=obj,
            values=values,
            partner_bodies=form.cleaned_data.get("partner_bodies"),
            user=request.user,
        )
        if change.removed:
            names = ", ".join(
                f"{r.person.name} ({r.person.body.abbreviation})" for r in change.removed
            )
            messages.warning(
                request,
                _(
                    "Taken off the team after this change: %(names)s. Their own body's "
                    "managers were told why."
                )
                % {"names": names},
            )
        return change.visit


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
    # a leaver's removal is news for the whole team; other alerts say why someone is not
    # clear, which only the person's own body may read (the VisitAlert policy)
    alerts = list(
        access.readable(request.user, VisitAlert)
        .filter(visit=visit, resolved_at__isnull=True)
        .select_related("person")
    )
    return {
        **team_context(request, visit, screening),
        "alerts": alerts,
        "screening_rows": rows,
        "policy_version": screening.version,
        "override_form": form if overridable else None,
        "can_staff": access.may(request.user, "staff", visit),
        "may_request_override": access.can(request.user, "override.request", visit),
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
        visit = access.get_readable(request.user, Visit, pk)
        if not access.can(request.user, "override.request", visit):
            raise PermissionDenied(_("Overrides are requested by the body's managers."))
        form = OverrideRequestForm(request.POST)
        people = team_people(request, visit)
        form.fields["person"].choices = [(p.pk, p.name) for p in people]
        if not form.is_valid():
            messages.error(request, _("Choose a person, a verdict and write the reason."))
            return HttpResponseRedirect(visit.get_absolute_url())
        try:
            override_request(
                visit=visit,
                person=people.get(pk=form.cleaned_data["person"]),
                verdict_to=form.cleaned_data["verdict_to"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except OverrideRefused as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(visit.get_absolute_url())
        messages.success(request, _("Override requested; a second manager must approve it."))
        return HttpResponseRedirect(visit.get_absolute_url())


class OverrideDecideView(View):
    """A second manager of the lead body approves or refuses an override."""

    def post(self, request, pk):
        override = access.get_writable(request.user, Override, pk)
        if not access.can(request.user, "override.decide", override):
            raise PermissionDenied(_("Overrides are approved by the body's managers."))
        try:
            override = override_decide(
                override=override, decision=request.POST.get("decision", ""), user=request.user
            )
        except OverrideRefused as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(override.visit.get_absolute_url())
        messages.success(request, _("Override %(s)s.") % {"s": override.get_status_display()})
        return HttpResponseRedirect(override.visit.get_absolute_url())


# --- teams --------------------------------------------------------------------------------


def team_people(request, visit: Visit):
    """Whom the user may put on this team: their own body's people, if it takes part."""
    if not access.may(request.user, "staff", visit):
        return Person.objects.none()
    return (
        access.readable(request.user, Person)
        .filter(body=request.user.body_id)
        .select_related("body")
        .order_by("name", "unit", "key")
    )


def team_context(request, visit: Visit, screening) -> dict:
    """The whole team as the user may see it: their own body's people in full, the other
    bodies' people of a joint visit by name and role only, and the team's totals.

    Each member's verdict is the engine's as it is now (with any approved override),
    not the one stored when they were added: a new declaration shows at once.
    """
    team = list(visit.assignments.select_related("person", "person__body"))
    for a in team:
        now = visit_verdict(screening, visit, a.person)
        a.verdict_now = now.verdict.code
        a.reasons_now = [r.as_json() for r in now.reasons]
    lead = next((a for a in team if a.role == Role.LEAD), None)
    is_lead = lead is not None and request.user.person_id == lead.person_id
    writable = set(
        access.writable(request.user, Assignment).filter(visit=visit).values_list("pk", flat=True)
    )
    for a in team:
        a.shown_in_full = access.may(request.user, "see_assessment", a)
        a.removable = a.pk in writable
    shown = [(a.person.key, a.reasons_now) for a in team if a.shown_in_full]
    access_log.ties_in_reasons(request.user, shown, where=request.path)  # tie content shown
    form = None
    if access.may(request.user, "staff", visit):
        form = AssignmentForm()
        form.fields["person"].queryset = team_people(request, visit).exclude(
            pk__in=[a.person_id for a in team]
        )
    mine = next((a for a in team if a.person_id == request.user.person_id), None)
    own_body = request.user.body_id if access.can(request.user, "register.own_body_only") else None
    sees_all = access.can(request.user, "audit.read")
    warnings = [
        w
        for w in team_warnings(visit, request.user)
        if w.body_id is None or sees_all or w.body_id == own_body
    ]
    return {
        "team": team,
        "team_totals": team_totals(visit),
        "team_warnings": warnings,
        "assignment_form": form,
        "is_lead": is_lead,
        "my_assignment": mine,
        **place_requests_context(request, visit),
    }


def place_requests_context(request, visit: Visit) -> dict:
    """Requests for places the user may read: the lead's, or those asked of their body."""
    requests = list(
        access.readable(request.user, PlaceRequest)
        .filter(visit=visit)
        .select_related("body", "requested_by")
    )
    for r in requests:
        r.filled_count = place_request_filled(r)
        r.withdrawable = r.status == "open" and access.can_write(request.user, r)
    form = None
    if access.may(request.user, "request_places", visit):
        form = PlaceRequestForm()
        form.fields["body"].queryset = visit.partner_bodies.all()
    return {"place_requests": requests, "place_request_form": form}


class TeamAddView(View):
    def post(self, request, pk):
        visit = access.get_readable(request.user, Visit, pk)
        if not access.may(request.user, "staff", visit):
            raise PermissionDenied(_("The managers of the bodies taking part staff the team."))
        form = AssignmentForm(request.POST)
        form.fields["person"].queryset = team_people(request, visit)
        if not form.is_valid():
            messages.error(request, _("Choose a person and a role."))
        else:
            try:
                assignment_add(
                    visit=visit,
                    person=form.cleaned_data["person"],
                    role=form.cleaned_data["role"],
                    user=request.user,
                )
                messages.success(
                    request, _("%(p)s added to the team.") % {"p": form.cleaned_data["person"].name}
                )
            except AssignmentRefused as exc:
                # shown inside the team section, where the page lands (not at the top)
                messages.error(request, _("Refused: %(why)s") % {"why": exc}, extra_tags="team")
                return HttpResponseRedirect(visit.get_absolute_url() + "#team-refused")
        return HttpResponseRedirect(visit.get_absolute_url() + "#team-h")


class TeamCheckView(View):
    """htmx: the engine's verdict for a person on this visit, as the manager picks them."""

    def get(self, request, pk):
        visit = access.get_readable(request.user, Visit, pk)
        if not access.may(request.user, "staff", visit):
            raise PermissionDenied(_("The managers of the bodies taking part staff the team."))
        person_id = request.GET.get("person")
        if not person_id:
            return render(request, "visits/_team_check.html", {})
        person = team_people(request, visit).filter(pk=person_id).first()
        if person is None:
            raise Http404
        return render(
            request,
            "visits/_team_check.html",
            {"check": assignment_check(visit=visit, person=person)},
        )


class TeamRemoveView(View):
    def post(self, request, pk):
        assignment = access.get_writable(request.user, Assignment, pk)
        visit = assignment.visit
        assignment_remove(assignment=assignment, user=request.user)
        messages.success(request, _("Removed from the team."))
        return HttpResponseRedirect(visit.get_absolute_url() + "#team-h")


class AcceptAssignmentView(View):
    """A team member accepts the visit, confirming they have no undeclared interest."""

    def post(self, request, pk):
        assignment = access.get_readable(request.user, Assignment, pk)
        if not access.can(request.user, "assignment.accept", assignment):
            raise PermissionDenied(_("Only the team member accepts their own place."))
        try:
            assignment_accept(
                assignment=assignment,
                user=request.user,
                no_undeclared_interest=request.POST.get("no_undeclared_interest") == "on",
            )
            messages.success(request, _("Accepted. Thank you."))
        except AssignmentAcceptRefused as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(assignment.visit.get_absolute_url())


#: visits listed in one calendar day; the rest are a link to that day's list
CALENDAR_PER_DAY = 4


def _attach_team_names(shown: dict[int, Visit]) -> None:
    """Team names for the visits a calendar shows, in one query (a busy month has hundreds)."""
    for visit in shown.values():
        visit.team_names = []
    rows = Assignment.objects.filter(visit__in=list(shown)).values_list("visit_id", "person__name")
    for visit_id, name in rows.order_by("person__name"):
        shown[visit_id].team_names.append(name)


class CalendarView(View):
    """A month of the body's visits with their teams."""

    def get(self, request):
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year))
            month = int(request.GET.get("month", today.month))
            if not 1900 <= year <= 2999:  # the months around 1 and 9999 do not exist (a 500)
                raise ValueError
            first = dt.date(year, month, 1)
        except ValueError:
            raise Http404 from None
        last = dt.date(year, month, calendar_module.monthrange(year, month)[1])
        visits = list(
            access.readable(request.user, Visit)
            .filter(start__lte=last, end__gte=first)
            .exclude(status="cancelled")
            .select_related("establishment")
            .order_by("start", "pk")
        )
        weeks = []
        for week in calendar_module.Calendar().monthdatescalendar(year, month):
            weeks.append(
                [(d, d.month == month, [v for v in visits if v.start <= d <= v.end]) for d in week]
            )
        _attach_team_names(
            {v.pk: v for week in weeks for _d, _m, day in week for v in day[:CALENDAR_PER_DAY]}
        )
        prev_month = (first - dt.timedelta(days=1)).replace(day=1)
        next_month = last + dt.timedelta(days=1)
        return render(
            request,
            "visits/calendar.html",
            {
                "weeks": weeks,
                "first": first,
                "prev": prev_month,
                "next": next_month,
                "today": today,
            },
        )


class ScheduleView(View):
    """One person's visits: for the person themself and their managers."""

    def get(self, request, pk):
        person = access.get_readable(request.user, Person, pk)
        # through core.access: an unannounced visit stays hidden from those not to know
        assignments = (
            access.readable(request.user, Assignment)
            .filter(person=person)
            .select_related("visit", "visit__establishment")
            .order_by("visit__start")
        )
        return render(
            request,
            "visits/schedule.html",
            {
                "person": person,
                "assignments": assignments,
                "unavailable": person.unavailability.all(),
            },
        )


# --- the planner ------------------------------------------------------------------------


class PlanningStartView(View):
    def check(self, request):
        if not access.can(request.user, "planningrun.start"):
            raise PermissionDenied(_("Body managers plan their body's visits."))

    def get(self, request):
        self.check(request)
        today = timezone.localdate()
        form = PlanningForm(initial={"start": today, "end": today + dt.timedelta(days=180)})
        return render(
            request, "visits/planning_start.html", {"form": form, "runs": self.runs(request)}
        )

    def runs(self, request) -> list:
        """The body's earlier runs, each with who ran it and whether any team was accepted."""
        return earlier_runs(PlanningRun.objects.filter(body=request.user.body_id))[:10]

    def post(self, request):
        self.check(request)
        form = PlanningForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "visits/planning_start.html",
                {"form": form, "runs": self.runs(request)},
                status=400,
            )
        body = request.user.body
        build = planning_build(
            body=body,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            user=request.user,
        )
        run = PlanningRun.objects.create(
            body=body,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            time_limit=form.cleaned_data["time_limit"],
            problem=build.problem,
            policy_version=build.policy_version,
            created_by=request.user,
        )
        transaction.on_commit(lambda: run_planner.enqueue(run.pk))
        return HttpResponseRedirect(run.get_absolute_url())


class PlanningRunView(View):
    def get(self, request, pk):
        run = access.get_readable(request.user, PlanningRun, pk)
        template = "visits/_planning_progress.html" if request.htmx else "visits/planning_run.html"
        finished = run.status in (RunStatus.DONE, RunStatus.CANCELLED)
        words = progress_words(run.objective, run.bound, finished=finished, problem=run.problem)
        # an auditor reads the run; only who may change it sees Accept and Cancel
        may_change = access.writable(request.user, PlanningRun).filter(pk=run.pk).exists()
        context = {"run": run, "progress_words": words, "may_change": may_change}
        if finished and run.plan and not request.htmx:
            # through core.access: a manager not to know of an unannounced visit does not see it
            visits = (
                access.readable(request.user, Visit)
                .filter(planned_by(run.body), start__gte=run.start, start__lte=run.end)
                .distinct()
            )
            context["review"] = plan_review(
                run=run,
                visits=list(visits.select_related("establishment")),
                screening=screen_register(),
            )
        return render(request, template, context)

    def post(self, request, pk):
        run = access.get_writable(request.user, PlanningRun, pk)
        if "cancel" in request.POST:
            stopped = PlanningRun.objects.filter(
                pk=run.pk, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
            ).update(cancel_requested=True)
            if stopped:
                messages.success(
                    request, _("Asked the planner to stop; it keeps the best plan so far.")
                )
            else:
                messages.error(request, _("Not cancelled: this run has already finished."))
            return HttpResponseRedirect(run.get_absolute_url())
        chosen = request.POST.getlist("visit")
        result = plan_accept(run=run, visit_keys=chosen, user=request.user)
        if result.not_ready:
            messages.error(request, _("Nothing accepted: the plan is not ready yet."))
            return HttpResponseRedirect(run.get_absolute_url())
        for visit, added in result.changed:
            messages.success(
                request,
                _("Team changed: %(visit)s — added %(names)s.")
                % {"visit": visit, "names": ", ".join(added)},
            )
        for _visit, why in result.refused:
            messages.error(request, why)
        if result.unchanged:
            messages.info(
                request,
                _("Nothing changed for %(visits)s: the proposed people are already on the team.")
                % {"visits": "; ".join(str(v) for v in result.unchanged)},
            )
        if not (result.changed or result.refused or result.unchanged):
            messages.info(request, _("No team was chosen: nothing changed."))
        return HttpResponseRedirect(run.get_absolute_url())


class UnavailabilityFilterSet(SearchFilterSet):
    search_fields = ("person__name", "reason")

    class Meta:
        model = Unavailability
        fields = ["q"]


class UnavailabilityTable(tables.Table):
    person = tables.Column(linkify=True)
    start = tables.Column(
        linkify=lambda record: reverse("visits:unavailability_detail", args=[record.pk])
    )

    class Meta:
        model = Unavailability
        fields = ("person", "start", "end", "reason")


unavailability_views = record_views(
    Unavailability,
    namespace="visits",
    form_class=django_forms.modelform_factory(
        Unavailability,
        fields=["person", "start", "end", "reason"],
        widgets={"start": DateInput(), "end": DateInput()},
    ),
    table_class=UnavailabilityTable,
    filterset_class=UnavailabilityFilterSet,
    select_related=("person",),
    initial_from_query=("person",),
)


# --- leavers -------------------------------------------------------------------------------


class LeavingView(View):
    """A leaver's exit checklist: the date, the acknowledgement, later places to give up.

    For the managers of the person's body (they may change the person's record).
    """

    template_name = "visits/leaving.html"

    def get_person(self, request, pk) -> Person:
        return access.get_writable(request.user, Person, pk)

    def render_page(self, request, person, form, status=200):
        context = {
            "person": person,
            "form": form,
            "checklist": exit_checklist(person=person),
            "today": timezone.localdate(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        person = self.get_person(request, pk)
        return self.render_page(request, person, LeavingForm(initial={"left": person.left}))

    def post(self, request, pk):
        person = self.get_person(request, pk)
        if request.POST.get("action") == "remove_places":
            if person.left is None:
                messages.error(request, _("Set a leaving date first."))
            else:
                alerts = person_later_places_remove(person=person, user=request.user)
                messages.success(
                    request,
                    _("%(n)s places removed; the visits' managers are alerted.")
                    % {"n": len(alerts)},
                )
            return HttpResponseRedirect(reverse("visits:leaving", args=[person.pk]))
        form = LeavingForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, person, form, status=400)
        try:
            person_leaving_set(person=person, left=form.cleaned_data["left"], user=request.user)
        except ValidationError as exc:
            form.add_error("left", exc.message_dict.get("left", exc.messages))
            return self.render_page(request, person, form, status=400)
        messages.success(request, _("Leaving date saved."))
        return HttpResponseRedirect(reverse("visits:leaving", args=[person.pk]))


# --- joint visits: requests for places -------------------------------------------------------


class PlaceRequestView(View):
    """The lead body asks a partner body for places; or withdraws the request."""

    def post(self, request, pk):
        visit = access.get_readable(request.user, Visit, pk)
        if not access.may(request.user, "request_places", visit):
            raise PermissionDenied(_("The lead body's managers ask partner bodies for places."))
        form = PlaceRequestForm(request.POST)
        form.fields["body"].queryset = visit.partner_bodies.all()
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {' '.join(errors)}" if label else errors[0])
            return HttpResponseRedirect(visit.get_absolute_url() + "#places-h")
        try:
            made = place_request_create(visit=visit, user=request.user, **form.cleaned_data)
            messages.success(request, _("Asked: %(r)s.") % {"r": made})
        except PlaceRequestRefused as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(visit.get_absolute_url() + "#places-h")


class PlaceRequestWithdrawView(View):
    def post(self, request, pk):
        place_request = access.get_writable(request.user, PlaceRequest, pk)
        place_request_withdraw(request=place_request, user=request.user)
        messages.success(request, _("Request withdrawn."))
        return HttpResponseRedirect(place_request.get_absolute_url())
