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
