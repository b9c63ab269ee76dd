"""Template helpers: readable field values and audit changes."""

from __future__ import annotations

import json
from decimal import Decimal

from django import template
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from armslength.core.labels import VERDICT_LABELS

register = template.Library()

#: Never rendered by the generic detail view (special-category or internal).
HIDDEN_FIELDS = {"id", "password", "ethnicity", "minority_status"}


@register.simple_tag
def field_rows(obj, *exclude):
    """(label, value, url) for each concrete field of `obj`, in model order."""
    skip = HIDDEN_FIELDS | set(exclude)
    rows = []
    for field in obj._meta.get_fields():
        if not getattr(field, "concrete", False) or field.name in skip or field.auto_created:
            continue
        if field.many_to_many:
            items = list(getattr(obj, field.name).all())
            rows.append((field.verbose_name, ", ".join(str(i) for i in items) or "—", None))
            continue
        value = getattr(obj, field.name)
        url = None
        if isinstance(field, models.ForeignKey) and value is not None:
            url = getattr(value, "get_absolute_url", lambda: None)()
        rows.append((field.verbose_name, display(obj, field, value), url))
    return rows


def display(obj, field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):  # in the reader's language (month names, order)
        if hasattr(value, "hour"):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return date_format(local, "DATETIME_FORMAT")
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, int | float | Decimal):
        return number_format(value)
    return str(value)


#: who must act on a finding (compliance.services.owner_of), in the reader's language
OWNER_LABELS = {
    "the person": gettext_lazy("the person"),
    "body managers": gettext_lazy("body managers"),
    "NPM coordinator": gettext_lazy("NPM coordinator"),
}


@register.filter(name="reason_text")
def reason_text_filter(reason) -> str:
    """An engine reason in the reader's language (screening/reasons.py)."""
    from armslength.screening.reasons import reason_text

    return reason_text(reason)


@register.filter
def owner_label(owner: str):
    return OWNER_LABELS.get(owner, owner)


@register.filter
def change_pairs(entry):
    """[(field, old, new)] of an audit entry, readable whatever its action."""
    changes = entry.changes
    if isinstance(changes, str):
        changes = json.loads(changes or "{}")
    pairs = []
    for name, values in (changes or {}).items():
        if isinstance(values, dict):  # many-to-many changes
            detail = ", ".join(f"{k}: {', '.join(map(str, v))}" for k, v in values.items() if v)
            pairs.append((name, "", detail))
        else:
            old, new = [*values, None, None][:2]
            pairs.append((name, _none(old), _none(new)))
    return pairs


def _none(value) -> str:
    return "—" if value in (None, "None", "") else str(value)


@register.simple_tag
def verdict_badge(verdict: str):
    text = VERDICT_LABELS.get(verdict, verdict.replace("_", " "))
    return format_html('<span class="badge badge-{}">{}</span>', verdict, text)
