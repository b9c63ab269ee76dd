"""Data protection: everything held about one person, and forgetting people who left.

Subject access (UK GDPR art. 15): `subject_access()` gathers the person's own
record, every record that points at them (found through the model relations,
so a record type added later is included without touching this module), their
account and API tokens, and the audit and access-log entries about them.
Special-category data (ethnicity, minority status) is in it only when the
person asks for their own (or the operator passes an explicit flag, logged);
a manager's or auditor's download leaves it out (issue 12, finding 2). What
the reader may not see (another body's records, an unannounced visit they are
kept from) is left out too (finding 9).

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


def _readable_by(reader, model, pks) -> set:
    """The pks among `pks` that `reader` may read (all of them for the operator, reader None)."""
    from armslength.core import access

    if reader is None:
        return set(pks)
    try:
        return set(access.readable(reader, model).filter(pk__in=pks).values_list("pk", flat=True))
    except LookupError:  # a type without an access policy: not shown to anyone but the operator
        return set()


def _visible(records: list, reader) -> list:
    by_model: dict[type, list] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    shown = []
    for model, rows in by_model.items():
        ok = _readable_by(reader, model, [r.pk for r in rows])
        shown += [r for r in rows if r.pk in ok]
    return shown


def _visible_entries(entries, reader) -> list:
    """Audit entries whose record the reader may read (a refused place on an unannounced
    visit is logged on the visit, which a secondee kept from it may not)."""
    entries = list(entries)
    if reader is None:
        return entries
    wanted: dict[type, set] = {}
    for e in entries:
        model = e.content_type.model_class()
        if model is not None and model is not Person:
            wanted.setdefault(model, set()).add(e.object_pk)
    readable = {
        model: {str(pk) for pk in _readable_by(reader, model, list(pks))}
        for model, pks in wanted.items()
    }
    return [
        e
        for e in entries
        if (model := e.content_type.model_class()) is None
        or model is Person
        or e.object_pk in readable.get(model, set())
    ]


def subject_access(person: Person, reader=None, *, special_category: bool | None = None) -> dict:
    """Everything held about the person that `reader` may see, as one JSON-ready document.

    `reader` None is the operator at the command line. Special-category data is
    included for the person themself, or when `special_category` says so.
    """
    if special_category is None:
        special_category = reader is not None and reader.person_id == person.pk
    records = _visible(_records_about(person), reader)
    by_type: dict[str, list] = {}
    for record in records:
        data = serializers.serialize("python", [record])[0]
        by_type.setdefault(data["model"], []).append({"id": data["pk"], **data["fields"]})
    own = serializers.serialize("python", [person])[0]["fields"]
    if not special_category:
        for name in Person.SPECIAL_CATEGORY_FIELDS:
            own.pop(name, None)
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
    trail = (
        LogEntry.objects.filter(_log_query(person, records))
        .select_related("actor", "content_type")
        .order_by("timestamp")
    )
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
            for e in _visible_entries(trail, reader)
        ],
    }


def subject_access_json(person: Person, reader=None, **kwargs) -> str:
    document = subject_access(person, reader, **kwargs)
    return json.dumps(document, indent=1, default=str, ensure_ascii=False)


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
