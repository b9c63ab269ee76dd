"""The home page as an inbox: what needs the signed-in person, soonest due first.

Each item is one click from where it is done (review a declaration, sign off an
assessment, accept a visit, chase a round, look at an alert, fix a finding).
Every query goes through `access.readable()`, so an inbox never shows what the
lists would not: another body's records, an unannounced visit the reader is
not told of, names for the coordinator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from armslength.accounts.models import Role
from armslength.core import access


@dataclass(frozen=True)
class Item:
    kind: str
    text: str
    url: str
    action: str
    due: dt.date | None = None

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


def inbox_for(user, today: dt.date | None = None) -> list[Item]:
    """Everything waiting for `user`, ordered by due date (undated last, then by kind)."""
    today = today or timezone.localdate()
    items: list[Item] = []
    if user.role == Role.MANAGER:
        for source in (
            _declarations_to_review,
            _assessments_to_sign_off,
            _visit_alerts,
            _overrides_to_decide,
            _teams_short,
            _planner_runs,
            _rounds_to_chase,
            _interference_reports,
            _findings,
            _imports_waiting,
        ):
            items += source(user, today)
        items += _leavers(user, today)
    if user.role == Role.COORDINATOR:
        items += _imports_waiting(user, today)
        items += _years_to_freeze(user, today)
    if user.person_id:
        items += _my_visits_to_accept(user, today)
        items += _my_tasks(user, today)
    far = dt.date.max
    return sorted(items, key=lambda i: (i.due or far, i.kind, i.text))


def _declarations_to_review(user, today):
    from armslength.declarations.models import Affiliation, ReviewStatus

    rows = (
        access.writable(user, Affiliation)
        .filter(status=ReviewStatus.PENDING)
        .exclude(person_id=user.person_id)
        .select_related("person", "establishment", "organisation")
        .order_by("declared_at")[:50]
    )
    return [
        Item(
            _("Declaration"),
            _("%(person)s declared %(what)s") % {"person": a.person.name, "what": a},
            a.get_absolute_url() + "#review-h",
            _("Review"),
            timezone.localtime(a.declared_at).date() + dt.timedelta(days=14),
        )
        for a in rows
    ]


def _assessments_to_sign_off(user, today):
    from armslength.compliance.models import Assessment

    rows = (
        access.writable(user, Assessment)
        .filter(signed_off_at__isnull=True)
        .select_related("person")
        .order_by("date")[:50]
    )
    return [
        Item(
            _("Assessment"),
            _("Conflict assessment of %(person)s (%(date)s) is a draft")
            % {"person": a.person.name, "date": date_format(a.date)},
            a.get_absolute_url(),
            _("Sign off"),
            a.date,
        )
        for a in rows
    ]


def _visit_alerts(user, today):
    from armslength.visits.models import VisitAlert

    rows = (
        access.readable(user, VisitAlert)
        .filter(resolved_at__isnull=True, visit__end__gte=today)
        .select_related("visit__establishment", "person")[:50]
    )
    return [
        Item(
            _("Visit alert"),
            str(a.text),
            a.get_absolute_url(),
            _("Look at the team"),
            a.visit.start,
        )
        for a in rows
    ]


def _overrides_to_decide(user, today):
    from armslength.visits.models import Override, OverrideStatus

    rows = (
        access.writable(user, Override)
        .filter(status=OverrideStatus.REQUESTED, visit__end__gte=today)
        .exclude(requested_by=user)
        .select_related("visit__establishment", "person")[:50]
    )
    return [
        Item(
            _("Override"),
            _("A second manager's decision on %(person)s for %(visit)s")
            % {"person": o.person.name, "visit": o.visit},
            o.visit.get_absolute_url() + "#screen-h",
            _("Approve or refuse"),
            o.visit.start,
        )
        for o in rows
    ]


def _teams_short(user, today):
    from armslength.visits.models import Role as TeamRole
    from armslength.visits.models import Visit

    horizon = today + dt.timedelta(days=90)
    rows = (
        access.writable(user, Visit)
        .filter(start__gte=today, start__lte=horizon, status__in=("planned", "confirmed"))
        .annotate(members=Count("assignments", filter=~Q(assignments__role=TeamRole.PREPARATION)))
        .filter(members__lt=models_f("team_size"))
        .select_related("establishment")
        .order_by("start")[:50]
    )
    return [
        Item(
            _("Team"),
            _("%(visit)s: %(n)s of %(size)s in the team")
            % {"visit": v, "n": v.members, "size": v.team_size},
            v.get_absolute_url() + "#team-h",
            _("Add people"),
            v.start,
        )
        for v in rows
    ]


def models_f(name: str):
    from django.db.models import F

    return F(name)


def _planner_runs(user, today):
    """Proposals of the last fortnight whose teams are not all on their visits yet."""
    from armslength.visits.models import Assignment, PlanningRun, RunStatus

    since = timezone.now() - dt.timedelta(days=14)
    rows = access.readable(user, PlanningRun).filter(
        status=RunStatus.DONE, created_by=user, finished_at__gte=since
    )[:5]
    items = []
    for run in rows:
        proposed = {(a["visit"], a["person"]) for a in (run.plan or {}).get("assignments", [])}
        if not proposed:
            continue
        placed = set(
            Assignment.objects.filter(visit__key__in={v for v, _p in proposed}).values_list(
                "visit__key", "person__key"
            )
        )
        if proposed <= placed:
            continue
        items.append(
            Item(
                _("Planner"),
                _("Proposed teams for %(start)s to %(end)s are ready")
                % {"start": date_format(run.start), "end": date_format(run.end)},
                run.get_absolute_url(),
                _("Review the proposal"),
                run.start,
            )
        )
    return items


def _rounds_to_chase(user, today):
    from armslength.compliance.models import DeclarationRound

    rows = (
        access.writable(user, DeclarationRound)
        .filter(closed=False)
        .annotate(
            waiting=Count("responses", filter=Q(responses__responded_at__isnull=True)),
        )
        .filter(waiting__gt=0)
        .order_by("due_on")
    )
    return [
        Item(
            _("Declaration round"),
            _("%(round)s: %(n)s have not responded") % {"round": r.name, "n": r.waiting},
            r.get_absolute_url(),
            _("Chase"),
            r.due_on,
        )
        for r in rows
    ]


def _interference_reports(user, today):
    from armslength.compliance.models import InterferenceReport, InterferenceStatus

    rows = (
        access.readable(user, InterferenceReport)
        # handled means a dated action (the old `action` text field is no longer written)
        .exclude(status=InterferenceStatus.CLOSED)
        .filter(actions__isnull=True)
        .exclude(person_id=user.person_id)
        .select_related("person")
        .order_by("date")[:50]
    )
    return [
        Item(
            _("Interference"),
            _("%(person)s reported interference on %(date)s; no action recorded yet")
            % {"person": r.person.name, "date": date_format(r.date)},
            r.get_absolute_url(),
            _("Handle the report"),
            r.date + dt.timedelta(days=7),
        )
        for r in rows
    ]


def _findings(user, today):
    from armslength.compliance.fixes import fix_for
    from armslength.compliance.models import FindingRecord
    from armslength.core.labels import rule_title

    rows = (
        access.readable(user, FindingRecord)
        .filter(closed_at__isnull=True)
        .select_related("person")
        .order_by("due")[:100]
    )
    items = []
    for f in rows:
        fix = fix_for(f.rule, person_id=f.person_id, body_id=f.body_id)
        url, action = (fix[1], fix[0]) if fix else (reverse("compliance:dashboard"), _("Open"))
        who = f"{f.person.name}: " if f.person else ""
        items.append(Item(_("Finding"), f"{who}{rule_title(f.rule)}", url, action, f.due))
    return items


def _imports_waiting(user, today):
    from armslength.spreadsheets.models import ImportJob, JobStatus

    rows = access.readable(user, ImportJob).filter(
        created_by=user, status__in=(JobStatus.MAPPING, JobStatus.CHECKED, JobStatus.REJECTED)
    )[:10]
    return [
        Item(
            _("Import"),
            _("%(file)s: %(status)s") % {"file": j.original_name, "status": j.get_status_display()},
            j.get_absolute_url(),
            _("Continue"),
            None,
        )
        for j in rows
    ]


def _years_to_freeze(user, today):
    from armslength.reports.models import Snapshot

    last = today.year - 1
    if Snapshot.objects.filter(year=last).exists():
        return []
    return [
        Item(
            _("Annual report"),
            _("Freeze the figures of %(year)s for the annual report") % {"year": last},
            reverse("reports:snapshots"),
            _("Freeze the year"),
            dt.date(today.year, 3, 31),
        )
    ]


def _my_visits_to_accept(user, today):
    from armslength.visits.models import Assignment

    rows = (
        access.readable(user, Assignment)
        .filter(person_id=user.person_id, accepted_at__isnull=True, visit__end__gte=today)
        .exclude(visit__status="cancelled")
        .select_related("visit__establishment")
    )
    return [
        Item(
            _("Visit"),
            _("You are on the team for %(visit)s") % {"visit": a.visit},
            a.visit.get_absolute_url() + "#team-h",
            _("Accept"),
            a.visit.start,
        )
        for a in rows
    ]


def _my_tasks(user, today):
    from armslength.compliance.views import my_tasks

    return [
        Item(_("To do"), str(text), url, _("Do it"), None)
        for text, url in my_tasks(user).get("tasks", [])
    ]


def _leavers(user, today):
    """People of the body leaving within 60 days whose exit checklist is not done."""
    from armslength.register.models import Person
    from armslength.visits.services import exit_checklist

    horizon = today + dt.timedelta(days=60)
    leaving = (
        access.writable(user, Person)
        .filter(left__gte=today, left__lte=horizon)
        .exclude(pk=user.person_id)
        .order_by("left")[:50]
    )
    items = []
    for person in leaving:
        checklist = exit_checklist(person=person)
        if checklist is None or checklist.done:
            continue
        items.append(
            Item(
                _("Leaver"),
                _("%(person)s leaves on %(date)s: exit checklist not done")
                % {"person": person.name, "date": date_format(person.left)},
                reverse("visits:leaving", args=[person.pk]),
                _("Complete the exit checklist"),
                person.left,
            )
        )
    return items
