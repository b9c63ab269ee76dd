"""Data protection: everything held about one person, and forgetting people who left.

Subject access (UK GDPR art. 15): `subject_access()` gathers the person's own
record, every record that points at them (found through the model relations,
so a record type added later is included without touching this module), their
account and API tokens, and the audit and access-log entries about them.

Erasure after retention (art. 5(1)(e)): `anonymise()` replaces what identifies
someone who left more than `PERSON_RETENTION_YEARS` ago: name, contact
details, special-category data, the free text of their ties, supervisions and
reports, their account. The counts of frozen year-end snapshots are already
aggregates and stay as they were. In the audit trail the fact, time and author
of each change stay; the values that could identify the person are redacted.
"""

from __future__ import annotations

import datetime as dt
import json

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from armslength.register.models import Person

REDACTED = "[redacted]"

#: free-text fields of records about a person that may name or describe them or others
FREE_TEXT = {
    "declarations.affiliation": ("detail", "role"),
    "compliance.supervision": ("notes", "supervisor"),
    "compliance.interferencereport": ("what", "by_whom", "action"),
    "compliance.assessment": ("areas_considered", "restrictions"),
    "compliance.recruitmentrecord": ("outcome", "justification", "panel"),
    "register.secondment": ("justification",),
    "visits.unavailability": ("reason",),
}


def _records_about(person: Person) -> list:
    """Every row that refers to the person, through any relation (one level deep)."""
    found = []
    for relation in Person._meta.related_objects:
        if (
            relation.related_model is Person
            or relation.related_model._meta.label == "accounts.User"
        ):
            continue  # other people's rows; the account is reported (and erased) on its own
        if relation.one_to_one:
            obj = getattr(person, relation.get_accessor_name(), None)
            found += [obj] if obj is not None else []
            continue
        manager = getattr(person, relation.get_accessor_name())
        found += list(manager.all())
    return found


def _log_query(person: Person, records: list) -> Q:
    query = Q(content_type=ContentType.objects.get_for_model(Person), object_pk=str(person.pk))
    query |= Q(additional_data__parent=f"register.person:{person.pk}")
    query |= Q(additional_data__refused__person=person.key)
    for record in records:
        query |= Q(
            content_type=ContentType.objects.get_for_model(type(record)), object_pk=str(record.pk)
        )
    return query


def subject_access(person: Person) -> dict:
    """Everything held about the person, as one JSON-ready document."""
    records = _records_about(person)
    by_type: dict[str, list] = {}
    for record in records:
        data = serializers.serialize("python", [record])[0]
        by_type.setdefault(data["model"], []).append({"id": data["pk"], **data["fields"]})
    own = serializers.serialize("python", [person])[0]["fields"]
    account = None
    user = getattr(person, "user", None)
    if user is not None:
        account = {
            "username": user.username,
            "role": user.role,
            "email": user.email,
            "last_login": user.last_login,
            "date_joined": user.date_joined,
            "api_tokens": [
                {"name": t.name, "created_at": t.created_at, "revoked_at": t.revoked_at}
                for t in user.api_tokens.all()
            ],
        }
    trail = LogEntry.objects.filter(_log_query(person, records)).select_related("actor")
    return {
        "format": "armslength.subject-access/1",
        "generated_at": timezone.now(),
        "person": {"id": person.pk, **own},
        "records": by_type,
        "account": account,
        "audit_trail": [
            {
                "when": e.timestamp,
                "who": str(e.actor) if e.actor else "system",
                "action": e.get_action_display(),
                "record": f"{e.content_type.app_label}.{e.content_type.model}:{e.object_pk}",
                "changes": e.changes,
                "viewed": (e.additional_data or {}).get("viewed")
                if isinstance(e.additional_data, dict)
                else None,
            }
            for e in trail.order_by("timestamp")
        ],
    }


def subject_access_json(person: Person) -> str:
    return json.dumps(subject_access(person), indent=1, default=str, ensure_ascii=False)


def retention_cutoff(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    years = settings.PERSON_RETENTION_YEARS
    return today.replace(year=today.year - years)


def due_for_erasure(today: dt.date | None = None):
    """People who left before the retention cut-off and are not anonymised yet."""
    return Person.objects.filter(left__lt=retention_cutoff(today)).exclude(
        key__startswith="anonymised-"
    )


@transaction.atomic
def anonymise(person: Person) -> None:
    """Forget who the person was; keep what happened (dates, categories, counts)."""
    records = _records_about(person)
    trail = LogEntry.objects.filter(_log_query(person, records))
    for entry in trail:
        entry.changes = _redacted_changes(entry.changes)
        entry.object_repr = REDACTED
        if isinstance(entry.additional_data, dict) and "refused" in entry.additional_data:
            entry.additional_data["refused"]["person"] = REDACTED
            entry.additional_data["refused"]["reason"] = REDACTED
        entry.save(update_fields=["changes", "object_repr", "additional_data"])
    for record in records:
        fields = FREE_TEXT.get(record._meta.label_lower, ())
        if fields:
            type(record)._default_manager.filter(pk=record.pk).update(**{f: "" for f in fields})
    user = getattr(person, "user", None)
    if user is not None:
        user.username = f"anonymised-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        user.api_tokens.update(revoked_at=timezone.now())
    # a queryset update: the change itself must not write the old values into the trail
    Person.objects.filter(pk=person.pk).update(
        key=f"anonymised-{person.pk}",
        name=f"Former person {person.pk}",
        email="",
        ethnicity="",
        minority_status="",
        home_region="",
        unit="",
        languages=[],
        term_appointing_process="",
    )
    person.refresh_from_db()
    LogEntry.objects.log_create(
        person,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"anonymised": ["", "after the retention period"]},
    )


def _redacted_changes(changes):
    if not changes:
        return changes
    if isinstance(changes, str):
        try:
            changes = json.loads(changes)
        except ValueError:
            return REDACTED
    return {field: [REDACTED, REDACTED] for field in changes}
