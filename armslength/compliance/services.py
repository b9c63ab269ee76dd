"""Compliance work: findings with owners and due dates, their open/closed history,
acknowledgements, declaration rounds, and the daily reminder digests.

Domain actions live here so that the web views, the command line and the
background job all do the same thing and write the same audit entries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from armslength.accounts.models import Role, User
from armslength.compliance.models import (
    DEFAULT_TEXTS,
    Acknowledgement,
    AcknowledgementText,
    DeclarationRound,
    FindingRecord,
    FindingsComputed,
    InterferenceAction,
    InterferenceOutcome,
    InterferenceReport,
    InterferenceStatus,
    ReminderDigest,
    RoundResponse,
)
from armslength.core import access
from armslength.engine.verdicts import Finding
from armslength.register.models import Body, Person
from armslength.screening.services import RegisterScreening, screen_register

#: findings the person concerned must act on themself (the rest: their managers)
PERSON_OWNED = {"secondee-awareness", "exit-confidentiality"}
REMIND_WITHIN = dt.timedelta(days=14)


def finding_owner(rule: str, scope: str | None) -> str:
    if scope == "npm":
        return "NPM coordinator"
    return "the person" if rule in PERSON_OWNED else "body managers"


def _key(f: Finding) -> str:
    raw = "|".join((f.rule, f.person or "", f.body or "", f.scope or "", f.text))
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


@transaction.atomic
def findings_sync(
    *,
    screening: RegisterScreening | None = None,
    today: dt.date | None = None,
    trigger: str = "a change",
) -> list[FindingRecord]:
    """Record the findings open now; close the ones whose cause is fixed.

    Called by the services after each change of facts and by the daily run (for
    findings that fall due with the date); never while a page is read. The history
    stays: a closed finding keeps when it opened and closed. At most one finding
    per key is open (a database constraint): a concurrent computation that
    opened it first wins, and this one skips it.
    """
    screening = screening or screen_register(today)
    now = timezone.now()
    current = {_key(f): f for f in screening.findings()}
    people = dict(
        Person.objects.filter(key__in={f.person for f in current.values() if f.person}).values_list(
            "key", "pk"
        )
    )
    bodies = dict(Body.objects.values_list("key", "pk"))
    person_body = dict(Person.objects.filter(pk__in=people.values()).values_list("pk", "body_id"))
    open_records = {r.key: r for r in FindingRecord.objects.filter(closed_at__isnull=True)}
    for key, record in open_records.items():
        if key not in current:
            record.closed_at = now
            record.save(update_fields=["closed_at"])
    created = []
    for key, f in current.items():
        if key in open_records:
            continue
        person_pk = people.get(f.person) if f.person else None
        due = f.extra.get("due")
        created.append(
            FindingRecord(
                key=key,
                rule=f.rule,
                severity=f.severity,
                person_id=person_pk,
                body_id=person_body.get(person_pk) if person_pk else bodies.get(f.body),
                scope=f.scope or "",
                text=f.text,
                cites=list(f.cites),
                action=f.action,
                due=dt.date.fromisoformat(due) if due else None,
                opened_at=now,
            )
        )
    FindingRecord.objects.bulk_create(created, ignore_conflicts=True)
    FindingsComputed.objects.update_or_create(
        pk=1,
        defaults={"computed_at": now, "as_of": screening.ctx.data.as_of, "trigger": trigger},
    )
    return list(FindingRecord.objects.filter(closed_at__isnull=True))


def findings_after_facts(*, people=(), user=None) -> None:
    """The `core.hooks` consequence of changed facts: the findings are computed again."""
    findings_sync()


# --- acknowledgements ------------------------------------------------------------


def acknowledgement_text(*, body: Body, kind: str) -> AcknowledgementText:
    """The body's current wording of a duty; the standard wording until it adopts its own.

    Reading it writes nothing (a GET shows an unsaved default): the standard wording is
    stored when someone first acknowledges it (`acknowledgement_give`)."""
    text = AcknowledgementText.current(body, kind)
    if text is None:
        text = AcknowledgementText(body=body, kind=kind, version="1", text=DEFAULT_TEXTS[kind])
    return text


@transaction.atomic
def acknowledgement_give(
    *, person: Person, kind: str, on: dt.date | None = None
) -> Acknowledgement:
    """The person confirms the duty, in the text version they were shown (UK-15)."""
    from armslength.core.hooks import facts_changed

    text = acknowledgement_text(body=person.body, kind=kind)
    if text.pk is None:  # the version confirmed is kept: the standard wording is stored now
        text.save()
    given = Acknowledgement.objects.create(
        person=person, kind=kind, date=on or timezone.localdate(), text_version=text.version
    )
    # an acknowledgement closes a finding (UK-15, exit confidentiality): the findings,
    # computed by services rather than on read, are brought up to date now
    facts_changed(people=[person], user=None)
    return given


# --- declaration rounds -------------------------------------------------------------


@transaction.atomic
def declaration_round_open(
    *, body: Body, name: str, due_on: dt.date, user=None
) -> DeclarationRound:
    """Open a round: everyone currently in post at the body must respond."""
    round_ = DeclarationRound(body=body, name=name, due_on=due_on, opened_by=user)
    round_.full_clean()
    round_.save()
    today = timezone.localdate()
    in_post = [p for p in body.people.all() if p.is_current(today)]
    for person in in_post:
        RoundResponse.objects.create(round=round_, person=person)
    return round_


@transaction.atomic
def declaration_round_respond(*, response: RoundResponse, nil_return: bool) -> RoundResponse:
    response.responded_at = timezone.now()
    response.nil_return = nil_return
    response.save()
    return response


def declaration_round_chase(*, round_: DeclarationRound) -> int:
    """Email everyone who has not responded yet; returns how many were chased."""
    pending = round_.responses.filter(responded_at__isnull=True).select_related("person")
    sent = 0
    for response in pending:
        address = _person_address(response.person)
        if not address:
            continue
        send_mail(
            subject=f"Declarations: please respond to '{round_.name}' by {round_.due_on}",
            message=(
                f"Please confirm your declarations of interest, or make a nil return, "
                f"for the round '{round_.name}' of {round_.body.name} by "
                f"{round_.due_on.isoformat()}.\n\n{_site()}{reverse('compliance:my_rounds')}"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
        sent += 1
    return sent


def _person_address(person: Person) -> str:
    user = getattr(person, "user", None)
    return (user.email if user and user.email else "") or person.email


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


# --- reminders ------------------------------------------------------------------------


@dataclass
class Digest:
    user: User
    items: list[str] = field(default_factory=list)


def reminders_due(*, today: dt.date | None = None) -> list[Digest]:
    """What each account must act on that falls due within 14 days or is overdue."""
    today = today or timezone.localdate()
    horizon = today + REMIND_WITHIN
    records = FindingRecord.objects.filter(closed_at__isnull=True).select_related("person", "body")
    digests: dict[int, Digest] = {}
    managers_by_body: dict[int, list[User]] = defaultdict(list)
    for manager in User.objects.filter(role=Role.MANAGER, is_active=True):
        managers_by_body[manager.body_id].append(manager)
    accounts = {u.person_id: u for u in User.objects.filter(person__isnull=False, is_active=True)}
    coordinators = list(User.objects.filter(role=Role.COORDINATOR, is_active=True))

    def add(user: User, line: str) -> None:
        digests.setdefault(user.pk, Digest(user)).items.append(line)

    for record in records:
        due = record.due or record.opened_at.date()
        if due > horizon:
            continue
        when = "overdue since" if due < today else "due"
        who = (
            f"{record.person.name}: "
            if record.person
            else (f"{record.body.abbreviation}: " if record.body else "NPM: ")
        )
        line = f"[{record.severity}] {who}{record.text} — {when} {due.isoformat()}. {record.action}"
        owner = finding_owner(record.rule, record.scope or None)
        if owner == "NPM coordinator":
            for user in coordinators:
                add(user, line)
            continue
        if owner == "the person" and record.person_id in accounts:
            add(accounts[record.person_id], line)
        for manager in managers_by_body.get(record.body_id, []):
            add(manager, line)
    pending = RoundResponse.objects.filter(
        responded_at__isnull=True,
        round__closed=False,
        round__due_on__lte=horizon,
    ).select_related("round", "person")
    for response in pending:
        user = accounts.get(response.person_id)
        if user:
            when = "overdue since" if response.round.due_on < today else "due"
            add(
                user,
                f"Declaration round '{response.round.name}': confirm your declarations "
                f"or make a nil return — {when} {response.round.due_on.isoformat()}.",
            )
    leaving = (
        # from the leaving date itself the account cannot sign in: asked only before it
        Person.objects.filter(left__gt=today, left__lte=horizon)
        .exclude(acknowledgements__kind="exit_confidentiality")
        .order_by("left")
    )
    for report in interference_stale(today=today):
        # the handler chases; with nobody named yet, every manager of the person's body
        idle = (today - timezone.localtime(report.last_activity_at).date()).days
        line = (
            f"Interference report {report.pk} ({report.get_kind_display().lower()}, "
            f"{report.get_status_display().lower()}): nothing recorded for {idle} days. "
            f"{_site()}{report.get_absolute_url()}"
        )
        handlers = [report.handler] if report.handler and report.handler.is_active else []
        for manager in handlers or managers_by_body.get(report.person.body_id, []):
            add(manager, line)
        if report.escalated_at:
            # the coordinator: the body, kind and status, never the content or a name
            for user in coordinators:
                add(
                    user,
                    f"{report.person.body.abbreviation}: an escalated report of "
                    f"{report.get_kind_display().lower()} "
                    f"({report.get_status_display().lower()}) has had no action for "
                    f"{idle} days.",
                )
    for person in leaving:
        # asked before the date: from the leaving date the account cannot sign in
        if user := accounts.get(person.pk):
            add(
                user,
                f"You leave on {person.left.isoformat()}: acknowledge continuing "
                "confidentiality before then (APT: seconded officials).",
            )
    return [d for d in digests.values() if d.items and d.user.email]


def reminders_send(*, today: dt.date | None = None, dry_run: bool = False) -> list[Digest]:
    """Send one digest per account per day; a second run on the same day sends nothing."""
    today = today or timezone.localdate()
    if dry_run:
        # Bring the findings up to date to list them, then undo: a dry run writes nothing.
        with transaction.atomic():
            findings_sync(today=today, trigger="the daily run")
            digests = _not_yet_sent(reminders_due(today=today), today)
            transaction.set_rollback(True)
        return digests
    # findings that fall due with the date (reviews, supervision, terms) open here
    findings_sync(today=today, trigger="the daily run")
    digests = _not_yet_sent(reminders_due(today=today), today)
    for digest in digests:
        with transaction.atomic():
            ReminderDigest.objects.create(user=digest.user, day=today, items=len(digest.items))
            send_mail(
                subject=f"armslength: {len(digest.items)} item(s) due or overdue",
                message=_digest_text(digest, today),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[digest.user.email],
            )
    return digests


def _not_yet_sent(digests: list[Digest], today: dt.date) -> list[Digest]:
    already = set(ReminderDigest.objects.filter(day=today).values_list("user_id", flat=True))
    return [d for d in digests if d.user.pk not in already]


def _digest_text(digest: Digest, today: dt.date) -> str:
    lines = [
        f"Good morning {digest.user.first_name or digest.user.username},",
        "",
        f"These fall due within 14 days or are overdue, as of {today.isoformat()}:",
        "",
    ]
    lines += [f"- {item}" for item in digest.items]
    lines += ["", f"The compliance dashboard: {_site()}{reverse('compliance:dashboard')}"]
    return "\n".join(lines)


# --- interference and reprisals --------------------------------------------------------------
# APT: privileges and guarantees: staff "should equally enjoy guarantees against
# intimidation and attempts to hinder their work". A report is handled, not just kept.


class InterferenceRefused(Exception):
    """A handling step that cannot be taken; the message says why."""


def interference_delete(*, report: InterferenceReport, user=None) -> None:
    """Never: a report of interference or reprisal is a safeguard's record (APT: privileges
    and guarantees). Its handler closes it with an outcome; nobody, the reporter least of
    all, deletes it, so its counts in the annual report and its history stay true."""
    raise InterferenceRefused(
        _("An interference report is never deleted: its handler closes it with an outcome.")
    )


#: what a report says happened: fixed once it is received, so the escalations page, the
#: annual report and the handler all read what the reporter filed (issue 18). Corrections
#: are added as dated actions.
INTERFERENCE_FIXED_FIELDS = ("person", "date", "kind", "what")


def interference_report_editable(report: InterferenceReport) -> None:
    """Refuse changing a closed report: its outcome stands on what it said."""
    if report.pk and report.status == InterferenceStatus.CLOSED:
        raise InterferenceRefused(
            _("A closed interference report is not changed; its history stays as it ended.")
        )


@transaction.atomic
def interference_report_update(
    *, report: InterferenceReport, changes: dict, user=None
) -> InterferenceReport:
    """Change what may change after filing (where, by whom, the reporter's consent); the
    reporter, the date, the kind and what happened are fixed once received."""
    current = InterferenceReport.objects.select_for_update().get(pk=report.pk)
    interference_report_editable(current)
    for name in INTERFERENCE_FIXED_FIELDS:
        if name in changes and _field_value(current, name) != _field_value_of(changes[name]):
            raise InterferenceRefused(
                _(
                    "%(field)s cannot change once a report is received; add a dated action "
                    "to correct it."
                )
                % {"field": str(InterferenceReport._meta.get_field(name).verbose_name).capitalize()}
            )
    for name, value in changes.items():
        if name not in INTERFERENCE_FIXED_FIELDS:
            setattr(current, name, value)
    current.save()
    return current


def _field_value(report: InterferenceReport, name: str):
    field = InterferenceReport._meta.get_field(name)
    return getattr(report, field.attname)


def _field_value_of(value):
    return getattr(value, "pk", value)


@transaction.atomic
def interference_action_add(
    *,
    report: InterferenceReport,
    text: str,
    status: str,
    on: dt.date | None = None,
    outcome: str = "",
    user=None,
) -> InterferenceAction:
    """Record a dated step and the status it leaves; closing needs an outcome."""
    if status not in InterferenceStatus.values:
        raise InterferenceRefused(f"Unknown status {status!r}.")
    if not text.strip():
        raise InterferenceRefused("Say what was done.")
    if status == InterferenceStatus.CLOSED and outcome not in InterferenceOutcome.values:
        raise InterferenceRefused("Say how it ended to close the report.")
    if status != InterferenceStatus.CLOSED and outcome:
        raise InterferenceRefused("An outcome is given when the report is closed.")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise InterferenceRefused(_("An action's date cannot be later than today."))
    if on < report.date:
        raise InterferenceRefused(
            _("An action's date cannot be before what happened (%(date)s).")
            % {"date": report.date.isoformat()}
        )
    action = InterferenceAction.objects.create(
        report=report,
        date=on,
        text=text.strip(),
        status=status,
        by=user,
    )
    report.status = status
    report.outcome = outcome if status == InterferenceStatus.CLOSED else ""
    if (
        report.handler_id is None
        and user is not None
        and access.can(user, "interferencereport.handle", report)
    ):
        report.handler = user  # whoever acts first handles it, until someone is named
    report.last_activity_at = timezone.now()
    report.save(update_fields=["status", "outcome", "handler", "last_activity_at"])
    return action


@transaction.atomic
def interference_handler_set(*, report: InterferenceReport, handler: User, user=None):
    """Name the manager of the person's body who handles the report."""
    if not access.can(handler, "interferencereport.handle", report):  # a manager of the body
        raise InterferenceRefused("The handler is a manager of the person's body.")
    report.handler = handler
    report.last_activity_at = timezone.now()
    report.save(update_fields=["handler", "last_activity_at"])
    return report


@transaction.atomic
def interference_escalate(*, report: InterferenceReport, user=None) -> InterferenceReport:
    """Tell the NPM coordinator: the kind, the status and the dates, and the reporter's
    name only if the reporter agreed (the content stays with the body)."""
    if report.escalated_at is not None:
        raise InterferenceRefused("This report is already escalated.")
    report.escalated_at = timezone.now()
    report.save(update_fields=["escalated_at"])
    interference_action_add(
        report=report,
        text="Escalated to the NPM coordinator.",
        status=report.status,
        outcome=report.outcome,
        user=user,
    )
    summary = escalation_summary(report)
    addresses = [
        u.email for u in User.objects.filter(role=Role.COORDINATOR, is_active=True) if u.email
    ]
    if addresses:
        transaction.on_commit(
            lambda: send_mail(
                subject=f"Interference escalated by {summary.body}",
                message=(
                    f"{summary.body} has escalated a report of {summary.kind.lower()} "
                    f"(status: {summary.status.lower()}; happened {summary.happened}). "
                    f"Reporter: {summary.reporter or 'not shared'}.\n\n"
                    f"{_site()}{reverse('compliance:interference_escalations')}"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=addresses,
            )
        )
    return report


@dataclass(frozen=True)
class EscalationSummary:
    """What the NPM coordinator reads of an escalated report: never its content, and the
    reporter's name only when the reporter agreed to share it."""

    body: str
    kind: str
    status: str
    outcome: str
    #: the date the report gives for what happened (the date the annual report counts it
    #: under), not when its row was created: a report typed in or imported later keeps it
    happened: dt.date
    escalated: dt.date
    actions: int
    last_activity: dt.date
    reporter: str | None


def escalation_summary(report: InterferenceReport) -> EscalationSummary:
    return EscalationSummary(
        body=report.person.body.abbreviation,
        kind=report.get_kind_display(),
        status=report.get_status_display(),
        outcome=report.get_outcome_display() if report.outcome else "",
        happened=report.date,
        escalated=timezone.localtime(report.escalated_at).date(),
        actions=report.actions.count(),
        last_activity=timezone.localtime(report.last_activity_at).date(),
        reporter=report.person.name if report.name_may_be_shared else None,
    )


def escalations() -> list[EscalationSummary]:
    """Every escalated report, as the coordinator may see it."""
    reports = (
        InterferenceReport.objects.filter(escalated_at__isnull=False)
        .select_related("person", "person__body")
        .order_by("-escalated_at")
    )
    return [escalation_summary(r) for r in reports]


def interference_stale(*, today: dt.date | None = None) -> list[InterferenceReport]:
    """Open reports on which nothing has happened for the policy's number of days."""
    from armslength.screening.models import current_policy

    today = today or timezone.localdate()
    days = current_policy()[0].parameters.interference_remind_days
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time()))
    return list(
        InterferenceReport.objects.exclude(status=InterferenceStatus.CLOSED)
        .filter(last_activity_at__lt=cutoff)
        .select_related("person", "person__body", "handler")
    )
