"""The sensitive-data access log: who looked at whose special-category data, ties or
supervision notes, and when.

Each view is an audit-log entry with the action "access" (django-auditlog's),
so auditors review it in the audit trail beside the changes (filter: action
= access). What counts as sensitive is decided here, in one place:
- a declared family, friendship or client tie (who it is with);
- supervision notes (UK-13: confidential to the secondee and their managers);
- a person's self-declared ethnicity or minority status (only they see it).
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType


def sensitive_part(obj, user) -> str | None:
    """What sensitive data showing `obj` to `user` reveals, or None."""
    from armslength.compliance.models import Supervision
    from armslength.declarations.models import Affiliation
    from armslength.register.models import Person

    if isinstance(obj, Affiliation) and obj.is_tie:
        return obj.get_kind_display().lower()  # "family tie", "friendship", "client"
    if isinstance(obj, Supervision) and obj.notes:
        return "supervision notes"
    own_profile = isinstance(obj, Person) and user.person_id == obj.pk
    if own_profile and (obj.ethnicity or obj.minority_status):
        return "special-category data (ethnicity, minority status)"
    return None


def viewed(user, objects: Iterable, *, where: str) -> int:
    """Log each sensitive thing among `objects` that `user` was just shown; returns how many."""
    entries = []
    for obj in objects:
        part = sensitive_part(obj, user)
        if part is None:
            continue
        entries.append(
            LogEntry(
                content_type=ContentType.objects.get_for_model(type(obj)),
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                action=LogEntry.Action.ACCESS,
                actor=user if user.is_authenticated else None,
                changes={},
                additional_data={"viewed": part, "where": where},
            )
        )
    LogEntry.objects.bulk_create(entries)
    return len(entries)


#: the engine's rules whose reason sentences carry a tie's content
TIE_RULES = frozenset({"personal-tie-authority", "personal-tie", "client"})


def _rule(reason) -> str:
    return reason["rule"] if isinstance(reason, dict) else reason.rule


def ties_in_reasons(user, shown: Iterable, *, where: str) -> int:
    """Log the ties behind verdict reasons just shown: `shown` is (person key, reasons) pairs.

    A reason of a tie rule ("Refrain from interviewing Lee Hart") shows the tie's
    content as surely as the declaration page does (issue 12, finding 5).
    """
    from armslength.declarations.models import Affiliation
    from armslength.engine.codes import TIE_KINDS

    keys = {key for key, reasons in shown if any(_rule(r) in TIE_RULES for r in reasons)}
    if not keys:
        return 0
    ties = Affiliation.objects.filter(person__key__in=keys, kind__in=TIE_KINDS)
    return viewed(user, ties.select_related("person"), where=where)


def special_category_exported(people: Iterable, *, where: str) -> int:
    """Log that the operator exported these people's special-category data (an explicit flag)."""
    entries = [
        LogEntry(
            content_type=ContentType.objects.get_for_model(type(p)),
            object_pk=str(p.pk),
            object_id=p.pk,
            object_repr=str(p)[:200],
            action=LogEntry.Action.ACCESS,
            actor=None,
            changes={},
            additional_data={
                "viewed": "special-category data (ethnicity, minority status)",
                "where": where,
            },
        )
        for p in people
        if p.ethnicity or p.minority_status
    ]
    LogEntry.objects.bulk_create(entries)
    return len(entries)


def masked(_value: str) -> str:
    """How a masked audit field (supervision notes) is stored: nothing of it at all.

    django-auditlog's default mask keeps the second half of the text visible, which
    left half of every supervision note in the history (issue 12, finding 5).
    """
    return "[confidential: changed]"
