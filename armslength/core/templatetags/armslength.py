"""Template helpers: readable field values and audit changes."""

from __future__ import annotations

import json
from decimal import Decimal

from django import template
from django.db import models
from django.utils import formats, timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from armslength.core import labels
from armslength.core.labels import VERDICT_LABELS
from armslength.engine import codes

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
    if field.name in ("expertise", "requires"):
        return expertise_text(value)
    if field.name == "type" and obj._meta.label_lower == "register.establishment":
        return labels.place_type(str(value))
    if field.name == "place_types" and isinstance(value, list):
        return ", ".join(labels.place_type(str(v)) for v in value)
    if field.name == "skills" and isinstance(value, list):
        skills = labels.labels(codes.APT_SKILLS)
        return ", ".join(str(skills.get(str(v), str(v).replace("_", " "))) for v in value)
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{str(k).replace('_', ' ')}: {v}" for k, v in value.items())
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
def expertise_text(value, vocabulary=None) -> str:
    """Expertise by name: a list ("Legal, Medical") or counts ("Legal: 2, Medical: 1")."""
    from armslength.register.models import expertise_label, expertise_vocabulary

    if not value:
        return "—"
    if not isinstance(vocabulary, dict):
        vocabulary = expertise_vocabulary()
    if isinstance(value, dict):
        return ", ".join(f"{expertise_label(str(k), vocabulary)}: {n}" for k, n in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(expertise_label(str(code), vocabulary) for code in value)
    return str(value)


@register.filter
def policy_name(fingerprint) -> str:
    """A policy version as people cite it: "version 3 of 25 Nov 2026", not `7b880c8e1671`."""
    from armslength.engine.policy import default_policy
    from armslength.screening.models import PolicyVersion

    fingerprint = str(fingerprint or "")
    adopted = list(
        PolicyVersion.objects.order_by("created_at", "pk").values_list("version", "created_at")
    )
    for number, (version, when) in reversed(list(enumerate(adopted, 1))):
        if version == fingerprint:
            return _("version %(n)s of %(date)s") % {
                "n": number,
                "date": formats.date_format(timezone.localtime(when)),
            }
    if fingerprint == default_policy().version:
        return _("the UK NPM policy as shipped")
    return _("an earlier policy")


@register.simple_tag
def page_query(request, number) -> str:
    """The current query string with `page` set: filters survive a change of page."""
    query = request.GET.copy()
    query["page"] = number
    return query.urlencode()


@register.filter
def page_range(paginator, number):
    """Page numbers around the current one, with … for the rest (1 2 … 7 8 9 … 20 21)."""
    return list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))


@register.filter
def expertise_name(code) -> str:
    """One expertise by name (`social_work` -> "Social work")."""
    from armslength.register.models import expertise_label

    return expertise_label(str(code or ""))


@register.filter
def place_type(code) -> str:
    """An establishment's type as people read it (`mental_health_detention` -> words)."""
    return labels.place_type(str(code or ""))


@register.filter
def rule_title(rule_id) -> str:
    """A rule's or finding's title (`secondment-origin` -> "Seconded from this establishment")."""
    return labels.rule_title(str(rule_id or ""))


@register.filter
def duration(value) -> str:
    """A timedelta in words ("15 minutes", "1 hour"), never an ISO code like PT15M."""
    if not hasattr(value, "total_seconds"):
        return str(value)
    minutes = round(value.total_seconds() / 60)
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


@register.simple_tag(takes_context=True)
def change_rows(context, entry):
    """An audit entry's changes in words, for the reader (see core/audit_display.py)."""
    from armslength.core.audit_display import readable_changes

    request = context.get("request")
    return readable_changes(entry, getattr(request, "user", None))


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


@register.filter(name="team_text")
def team_text_filter(sentence) -> str:
    """A team rule's warning or refusal (engine/team.py) in the reader's language."""
    from armslength.visits.team_text import team_text

    return team_text(sentence)


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    """`{% can "override.decide" override as may_decide %}`: the access policy's answer,
    so a template never compares roles itself."""
    from armslength.core import access

    user = context.get("user") or getattr(context.get("request"), "user", None)
    return user is not None and access.can(user, action, obj)


@register.filter(name="finding_text")
def finding_text_filter(sentence) -> str:
    """A compliance finding's detail (engine/findings.py) in the reader's language."""
    from armslength.compliance.finding_text import finding_text

    return finding_text(sentence)


@register.filter
def audit_action(entry) -> str:
    """An audit entry's action (create, update, …) in the reader's language."""
    from armslength.core.audit_views import action_label

    return str(action_label(entry))


@register.filter(name="locale_dates")
def locale_dates(text) -> str:
    """A sentence written by a service ("…by 2026-12-06") with its dates in the reader's
    locale ("…by 6 Dec 2026"): one date format on every page (issue 19)."""
    from armslength.visits.team_text import _day

    return _day(str(text)) if text else text
