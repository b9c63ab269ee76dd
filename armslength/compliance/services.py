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

from armslength.accounts.models import Role, User
from armslength.compliance.models import (
    DEFAULT_TEXTS,
    Acknowledgement,
    AcknowledgementText,
    DeclarationRound,
    FindingRecord,
    ReminderDigest,
    RoundResponse,
)
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
def findings_sync(*, screening: RegisterScreening | None = None) -> list[FindingRecord]:
    """Record the findings open now; close the ones whose cause is fixed.

    The history stays: a closed finding keeps when it opened and closed.
    """
    screening = screening or screen_register()
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
    FindingRecord.objects.bulk_create(created)
    return list(FindingRecord.objects.filter(closed_at__isnull=True))


# --- acknowledgements ------------------------------------------------------------


def acknowledgement_text(*, body: Body, kind: str) -> AcknowledgementText:
    """The body's current wording of a duty; the standard wording until it adopts its own."""
    text = AcknowledgementText.current(body, kind)
    if text is None:
        text = AcknowledgementText.objects.create(
            body=body, kind=kind, version="1", text=DEFAULT_TEXTS[kind]
        )
    return text


@transaction.atomic
def acknowledgement_give(
    *, person: Person, kind: str, on: dt.date | None = None
) -> Acknowledgement:
    """The person confirms the duty, in the text version they were shown (UK-15)."""
    text = acknowledgement_text(body=person.body, kind=kind)
    return Acknowledgement.objects.create(
        person=person, kind=kind, date=on or timezone.localdate(), text_version=text.version
    )


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
        Person.objects.filter(left__gte=today, left__lte=horizon)
        .exclude(acknowledgements__kind="exit_confidentiality")
        .order_by("left")
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
            findings_sync()
            digests = _not_yet_sent(reminders_due(today=today), today)
            transaction.set_rollback(True)
        return digests
    findings_sync()
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
