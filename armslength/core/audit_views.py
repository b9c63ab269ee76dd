"""The whole audit trail, for auditors: browse, filter, export (SPEC capability 8)."""

from __future__ import annotations

import json

import django_filters as filters
import django_tables2 as tables
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_tables2 import RequestConfig

from armslength.core import access
from armslength.core.exports import export_response, requested_format

AUDITED_APPS = ("register", "accounts", "declarations", "visits", "compliance", "reports")
#: auditlog's actions in the reader's language (auditlog has no Welsh or French)
ACTIONS = {
    LogEntry.Action.CREATE: _("create"),
    LogEntry.Action.UPDATE: _("update"),
    LogEntry.Action.DELETE: _("delete"),
    LogEntry.Action.ACCESS: _("access"),
}


def record_type_label(content_type: ContentType) -> str:
    """A record type by the model's own (translated) name, not auditlog's "App | model"."""
    model = content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model else str(content_type)


class RecordTypeFilter(filters.ModelChoiceFilter):
    @property
    def field(self):
        field = super().field
        field.label_from_instance = record_type_label
        return field


def action_label(entry: LogEntry):
    return ACTIONS.get(entry.action, entry.get_action_display())


class LogEntryFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("Record"), field_name="object_repr", lookup_expr="icontains")
    content_type = RecordTypeFilter(
        label=_("Record type"),
        queryset=ContentType.objects.filter(app_label__in=AUDITED_APPS).order_by("model"),
    )
    action = filters.ChoiceFilter(label=_("Action"), choices=list(ACTIONS.items()))
    actor = filters.CharFilter(
        label=_("Who"), field_name="actor__username", lookup_expr="icontains"
    )
    since = filters.DateFilter(label=_("From"), field_name="timestamp", lookup_expr="date__gte")
    until = filters.DateFilter(label=_("To"), field_name="timestamp", lookup_expr="date__lte")

    class Meta:
        model = LogEntry
        fields = ["q", "content_type", "action", "actor", "since", "until"]


class LogEntryTable(tables.Table):
    timestamp = tables.DateTimeColumn(verbose_name=_("When"), format="Y-m-d H:i")
    actor = tables.Column(verbose_name=_("Who"), default=_("system"))
    action = tables.Column(verbose_name=_("Action"))
    content_type = tables.Column(verbose_name=_("Record type"))
    object_repr = tables.Column(verbose_name=_("Record"))
    changes = tables.TemplateColumn(
        template_name="core/_changes_cell.html", verbose_name=_("Changes"), orderable=False
    )

    class Meta:
        model = LogEntry
        fields = ("timestamp", "actor", "action", "content_type", "object_repr", "changes")

    def render_action(self, record):
        return action_label(record)

    def render_content_type(self, value):
        return record_type_label(value)


def entry_row(entry: LogEntry) -> list[str]:
    return [
        entry.timestamp.isoformat(),
        entry.actor.username if entry.actor else (entry.actor_email or "system"),
        entry.get_action_display(),
        f"{entry.content_type.app_label}.{entry.content_type.model}",
        entry.object_pk,
        entry.object_repr,
        json.dumps(entry.changes, ensure_ascii=False) if entry.changes else viewed(entry),
    ]


def viewed(entry: LogEntry) -> str:
    """For an access-log entry: what was looked at (core/access_log.py)."""
    data = entry.additional_data or {}
    return f"viewed {data['viewed']}" if isinstance(data, dict) and "viewed" in data else ""


class AuditTrailView(View):
    def get(self, request):
        if not access.can(request.user, "audit.read"):
            raise PermissionDenied(_("The audit trail is for auditors."))
        qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
        filterset = LogEntryFilterSet(request.GET, queryset=qs)
        rows = filterset.qs if filterset.is_valid() else qs.none()
        if fmt := requested_format(request):
            header = ["when", "who", "action", "record_type", "record_id", "record", "changes"]
            return export_response(
                fmt, "audit-trail", header, (entry_row(e) for e in rows.iterator())
            )
        table = LogEntryTable(rows)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return render(request, "core/audit_trail.html", {"table": table, "filterset": filterset})
