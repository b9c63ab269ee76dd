"""An audit entry as a person reads it: field labels, related records by name,
values in words, one line per change.

The trail stores raw values (ids, codes, JSON). Shown raw, a person's creation
was ~35 lines of `round_responses — → compliance.RoundResponse.None`. Here:
reverse relations and empty values on creation are left out, codes become
their labels, and a related record is named only if the reader may read it;
otherwise it reads "a record you cannot see", so the trail leaks nothing the
rest of the app would not show.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from armslength.core import access

HIDDEN = object()
SKIPPED = {"id", "password", "key_digest", "digest"}


def readable_changes(entry, user) -> list[tuple[str, str, str]]:
    """[(label, old, new)] for one entry, in words, for this reader."""
    changes = entry.changes
    if isinstance(changes, str):
        changes = json.loads(changes or "{}")
    model = entry.content_type.model_class() if entry.content_type_id else None
    creating = entry.action == 0
    rows = []
    for name, values in (changes or {}).items():
        field = _field(model, name)
        if field is False:  # a reverse relation or an internal column: not a change people make
            continue
        label = capfirst(str(field.verbose_name)) if field is not None else capfirst(name)
        if isinstance(values, dict):  # many-to-many: {"type": "add", "objects": [...]}
            verb = {"add": _("added"), "remove": _("removed"), "clear": _("cleared")}
            kind = verb.get(values.get("type"), values.get("type", ""))
            objects = ", ".join(str(o) for o in values.get("objects") or [])
            rows.append((label, "", f"{kind} {objects}".strip()))
            continue
        old, new = [*values, None, None][:2]
        if creating and _empty(new):
            continue
        rows.append((label, _show(field, old, user), _show(field, new, user)))
    return rows


def _field(model, name: str):
    """The model field behind a change: a Field, None (not a field), or False (leave out)."""
    if name in SKIPPED:
        return False
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if field.auto_created and not field.concrete:
        return False  # reverse relation (a person's round responses…)
    if getattr(field, "primary_key", False):
        return False
    return field


def _empty(value) -> bool:
    return value in (None, "", "None", "[]", "{}", "null")


def _show(field, value, user) -> str:
    if _empty(value):
        return "—"
    if field is None:
        return str(value)
    if field.is_relation and field.related_model is not None:
        return _related(field.related_model, value, user)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value)).replace("_", " ")
    if isinstance(field, models.BooleanField):
        return _("Yes") if str(value).lower() in ("true", "1") else _("No")
    if isinstance(field, models.DateTimeField):
        return _when(value)
    if isinstance(field, models.DateField):
        try:
            return formats.date_format(dt.date.fromisoformat(str(value)[:10]))
        except ValueError:
            return str(value)
    if isinstance(field, models.JSONField):
        return _json(field, value)
    return str(value)


def _related(model, value, user) -> str:
    try:
        found = access.readable(user, model).filter(pk=value).first()
    except (LookupError, ValueError, TypeError):
        found = None
    return str(found) if found is not None else _("a record you cannot see")


def _when(value) -> str:
    from django.utils import timezone

    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


def _loads(value: str):
    """A stored JSON value: JSON as written (a name may hold an apostrophe), else the
    Python-style quoting of older entries; None when it is neither."""
    for text in (value, value.replace("'", '"')):
        try:
            return json.loads(text)
        except ValueError:
            continue
    return None


def _reasons(data: list) -> str:
    """The engine's reasons as stored on an assignment: each sentence with its citations."""
    from armslength.screening.reasons import reason_text

    shown = []
    for reason in data:
        if not isinstance(reason, dict):
            shown.append(str(reason))
            continue
        text = reason_text(reason)
        cites = ", ".join(str(c) for c in reason.get("cites") or [])
        shown.append(f"{text} ({cites})" if cites else text)
    return "; ".join(shown) or "—"


def _json(field, value) -> str:
    from armslength.core.templatetags.armslength import expertise_text

    data = value
    if isinstance(value, str):
        data = _loads(value)
        if data is None:
            return value
    if field.name in ("expertise", "requires"):
        return expertise_text(data)
    if field.name == "reasons" and isinstance(data, list):
        # an assignment's reasons (the restriction a lead must know) in words; who may
        # read them at all is decided before this (core/views.py HIDDEN_IN_HISTORY)
        return _reasons(data)
    if field.name == "skills" and isinstance(data, list):
        from armslength.core.labels import labels
        from armslength.engine.codes import APT_SKILLS

        skills = labels(APT_SKILLS)
        return ", ".join(str(skills.get(str(v), str(v).replace("_", " "))) for v in data) or "—"
    nested = isinstance(data, dict | list) and any(
        isinstance(v, dict | list) for v in (data.values() if isinstance(data, dict) else data)
    )
    if nested:
        # a structure (a year's frozen figures) is read on its own page, not as one line
        return _("a set of figures; open the record to read them")
    if isinstance(data, list):
        return ", ".join(str(v).replace("_", " ") for v in data) or "—"
    if isinstance(data, dict):
        return ", ".join(f"{str(k).replace('_', ' ')}: {v}" for k, v in data.items()) or "—"
    return str(data)
