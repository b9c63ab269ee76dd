"""The predictable surface every record type gets: list, detail, add, edit,
delete and history views, all scoped through `armslength.core.access`.

A record type's views are subclasses that name the model and its neighbours
(`PersonTable`, `PersonFilterSet`, `PersonForm`); see `register/views.py`.
"""

from __future__ import annotations

import hashlib
import json

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from armslength.core import access, access_log, hooks
from armslength.core.exports import export_response, requested_format
from armslength.core.forms import scope_choices


class ObjectMixin:
    model: type[models.Model]
    #: URL namespace, e.g. "register"
    namespace: str = "register"

    @classmethod
    def url_name(cls, action: str) -> str:
        return f"{cls.namespace}:{cls.model._meta.model_name}_{action}"

    def base_context(self, request, **extra):
        meta = self.model._meta
        return {
            "model_name": meta.model_name,
            "model_namespace": self.namespace,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": reverse(self.url_name("list")),
            "add_url": reverse(self.url_name("add")),
            "can_add": access.can_create(request.user, self.model),
            **extra,
        }


class ObjectListView(ObjectMixin, View):
    """A searchable, filterable, paginated table of the rows the user may read."""

    table_class = None
    filterset_class = None
    template_name = "core/object_list.html"
    per_page = 25

    def get_queryset(self, request):
        return access.readable(request.user, self.model)

    def get(self, request):
        if not access.can_list(request.user, self.model):
            raise PermissionDenied(
                _("Your role does not give access to %(things)s.")
                % {"things": self.model._meta.verbose_name_plural}
            )
        qs = self.get_queryset(request)
        filterset = self.filterset_class(request.GET, queryset=qs, request=request)
        rows = filterset.qs if filterset.is_valid() else qs.none()
        fmt = requested_format(request)
        if fmt:
            return self.export(fmt, rows)
        table = self.table_class(rows)
        RequestConfig(request, paginate={"per_page": self.per_page}).configure(table)
        context = self.base_context(
            request,
            table=table,
            filterset=filterset,
            export_formats=[("csv", _("Export CSV")), ("xlsx", _("Export XLSX"))],
        )
        template = "core/object_table.html" if request.htmx else self.template_name
        return render(request, template, context)

    def export(self, fmt: str, rows):
        """Export what the user sees with the same filters; columns from the table."""
        values = self.table_class(rows).as_values()
        header = next(values)
        name = str(self.model._meta.verbose_name_plural).replace(" ", "-")
        return export_response(fmt, name, header, values)


class ObjectDetailView(ObjectMixin, View):
    template_name = "core/object_detail.html"

    def get_extra_context(self, request, obj) -> dict:
        return {}

    def get(self, request, pk):
        obj = access.get_readable(request.user, self.model, pk)
        access_log.viewed(request.user, [obj], where=request.path)
        context = self.base_context(
            request,
            object=obj,
            can_change=access.can_write(request.user, obj),
            **self.get_extra_context(request, obj),
        )
        return render(request, self.template_name, context)


VERSION_FIELD = "_version"


def fingerprint(obj) -> str:
    """The record's stored values, hashed: changes whenever anyone saves a change.

    Fields only the person reads (special-category data) are left out: the API sends
    this as an ETag to anyone who reads the record, and it must not move with them.
    """
    private = set(getattr(obj, "SPECIAL_CATEGORY_FIELDS", ()))
    values = {
        f.attname: f.value_to_string(obj)
        for f in obj._meta.concrete_fields
        if f.name not in private
    }
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]


class ObjectEditView(ObjectMixin, View):
    """Add (no pk) or edit (pk) one record; saves nothing unless the whole form is valid."""

    form_class = None
    template_name = "core/object_form.html"

    def get_object(self, request, pk):
        if pk is None:
            if not access.can_create(request.user, self.model):
                raise PermissionDenied(_("You may not add this kind of record."))
            obj = self.model()
            self.prepare_new(request, obj)
            return obj
        return access.get_writable(request.user, self.model, pk)

    def changed_meanwhile(self, request, obj):
        """Someone saved this record after the form was opened: say so, keep both edits apart.

        The form carries a fingerprint of the record as it was shown; the row is
        locked and compared before saving, so of two people editing at once the
        second is told instead of silently overwriting the first.
        """
        opened = request.POST.get(VERSION_FIELD)
        current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if not opened or opened == fingerprint(current):
            return None
        last = LogEntry.objects.get_for_object(current).select_related("actor").first()
        who = f" by {last.actor}" if last and last.actor else ""
        when = f" at {timezone.localtime(last.timestamp):%H:%M}" if last else ""
        conflict = _(
            "Someone else saved this record%(who)s%(when)s while you were editing it. "
            "Nothing of yours was saved: here is the record as it is now; make your "
            "change again."
        ) % {"who": who, "when": when}
        return self.render_form(
            request,
            self.make_form(request, current),
            current,
            status=409,
            version=fingerprint(current),
            conflict=conflict,
        )

    def prepare_new(self, request, obj) -> None:
        """Fill in what a new record takes from its context (who declared it…)."""

    def save(self, request, form, obj):
        """Save through the record type's service; the generic one saves the form and runs the
        consequences of a changed fact (`core.hooks`). Record types with rules override it."""
        saved = form.save()
        hooks.record_changed(saved, user=request.user)
        return saved

    def after_save(self, request, obj) -> None:
        """Consequences of a saved change (alerts, derived facts), in the same transaction."""

    def get_initial(self, request) -> dict:
        return {}

    def make_form(self, request, obj, data=None, files=None):
        form = self.form_class(
            data=data, files=files, instance=obj, initial=self.get_initial(request)
        )
        scope_choices(form, request.user)
        self.scope_body(request, form, obj)
        return form

    def scope_body(self, request, form, obj) -> None:
        """A manager adds and edits records of their own body only, preset to it."""
        owned = access.policy_for(self.model).body == "body"
        if owned and "body" in form.fields and access.can(request.user, "register.own_body_only"):
            form.fields["body"].queryset = form.fields["body"].queryset.filter(
                pk=request.user.body_id
            )
            if not obj.pk:
                form.initial["body"] = request.user.body_id

    def render_form(self, request, form, obj, *, status=None, version=None, **extra):
        if obj.pk and version is None:
            version = request.POST.get(VERSION_FIELD) or fingerprint(obj)
        context = self.base_context(
            request, form=form, object=obj if obj.pk else None, version=version, **extra
        )
        status = status or (400 if form.errors else 200)
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk=None):
        obj = self.get_object(request, pk)
        if obj.pk:  # an edit form shows the record's values too
            access_log.viewed(request.user, [obj], where=request.path)
        return self.render_form(request, self.make_form(request, obj), obj)

    def post(self, request, pk=None):
        obj = self.get_object(request, pk)
        form = self.make_form(request, obj, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(request, form, obj)
        with transaction.atomic():
            if obj.pk and (conflict := self.changed_meanwhile(request, obj)):
                return conflict
            saved = self.save(request, form, obj)
            self.after_save(request, saved)
        message = _("Saved: %(record)s") if pk else _("Added: %(record)s")
        messages.success(request, message % {"record": saved})
        return HttpResponseRedirect(self.success_url(saved))

    def success_url(self, obj) -> str:
        return obj.get_absolute_url()


class ObjectDeleteView(ObjectMixin, View):
    template_name = "core/object_confirm_delete.html"
    #: the service's refusal, shown as a message (e.g. a reviewed declaration is ended instead)
    refused: type[Exception] | tuple = ()

    def delete(self, request, obj) -> None:
        """Delete through the record type's service; the generic one deletes and runs the
        consequences of a changed fact (`core.hooks`)."""
        obj.delete()
        hooks.record_changed(obj, user=request.user)

    def get(self, request, pk):
        obj = access.get_writable(request.user, self.model, pk)
        return render(request, self.template_name, self.base_context(request, object=obj))

    def post(self, request, pk):
        obj = access.get_writable(request.user, self.model, pk)
        label = str(obj)
        try:
            with transaction.atomic():
                self.delete(request, obj)
        except self.refused as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(obj.get_absolute_url())
        except ProtectedError as exc:
            names = ", ".join(sorted({str(o) for o in exc.protected_objects})[:5])
            messages.error(
                request,
                _("Cannot delete %(obj)s: still used by %(names)s.")
                % {"obj": label, "names": names},
            )
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted: %(obj)s") % {"obj": label})
        return HttpResponseRedirect(reverse(self.url_name("list")))


class ObjectHistoryView(ObjectMixin, View):
    """The audit entries of a record and of the records that belong to it."""

    template_name = "core/object_history.html"

    def get(self, request, pk):
        obj = access.get_readable(request.user, self.model, pk)
        entries = visible_history(
            request.user, obj, access.history(request.user, obj, history_for(obj))
        )
        access_log.viewed(request.user, _tie_rows(entries), where=request.path)
        # a restriction read in history shows the tie behind it as the visit page does
        access_log.ties_in_reasons(request.user, _reasons_shown(entries), where=request.path)
        context = self.base_context(request, object=obj, entries=entries)
        return render(request, self.template_name, context)


def _sees_restrictions(user, entry) -> bool:
    """An assignment's reasons (a teammate's restriction, naming a tie) are for the visit's
    lead and the managers who change the visit (as on the visit page), and auditors."""
    from armslength.visits.models import Role, Visit

    if access.can(user, "audit.read"):  # auditors read every entry in full
        return True
    parent = (entry.additional_data or {}).get("parent", "")
    visit_id = parent.removeprefix("visits.visit:") if parent.startswith("visits.visit:") else None
    visit = Visit.objects.filter(pk=visit_id).first() if visit_id else None
    if visit is None:
        return False
    if access.can_write(user, visit) or _staffs_for_the_persons_body(user, entry, visit):
        return True
    return visit.assignments.filter(role=Role.LEAD, person_id=user.person_id).exists()


def _sees_refusals(user, entry) -> bool:
    """Refused candidates and the reasons are for those who change the visit, the managers
    who put the refused person forward (their own body's, on a joint visit: the visit page
    shows them the refusal) and auditors."""
    from armslength.visits.models import Visit

    if access.can(user, "audit.read"):  # auditors read every entry in full
        return True
    visit = Visit.objects.filter(pk=entry.object_pk).first()
    if visit is None:
        return False
    return access.can_write(user, visit) or _staffs_for_the_persons_body(user, entry, visit)


def _staffs_for_the_persons_body(user, entry, visit) -> bool:
    """A manager of the body of the person the entry is about (`person_body`, stamped by
    assignments and refusals) who staffs this visit: on a joint visit, a partner body's
    managers add, remove and read the engine's word on their own people."""
    person_body = (entry.additional_data or {}).get("person_body")
    return (
        person_body is not None and user.body_id == person_body and access.may(user, "staff", visit)
    )


#: fields whose values in history only those who see them on the record's page may read:
#: model label -> (fields, who may read them)
HIDDEN_IN_HISTORY = {
    "visits.assignment": (("reasons", "verdict", "policy_version"), _sees_restrictions),
}


def visible_history(user, obj, entries) -> list:
    """The entries of `obj`'s history that `user` may read, with fields they may not see
    on the records' pages taken out (issue 12, finding 5: history showed what pages hid).

    - an entry about another record (a child) shows only if that record is readable to
      the user now, or, once deleted, if they may change `obj`;
    - a refused candidate (logged on a visit) shows only to those who change the visit;
    - an assignment's reasons show only to whom the visit page shows them.
    """
    own_type = ContentType.objects.get_for_model(obj)
    may_change_parent = access.can_write(user, obj)
    shown = []
    for entry in entries:
        if entry.content_type_id != own_type.id and not _child_readable(
            user, entry, may_change_parent
        ):
            continue
        data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        if data.get("refused") and not _sees_refusals(user, entry):
            continue
        rule = HIDDEN_IN_HISTORY.get(f"{entry.content_type.app_label}.{entry.content_type.model}")
        if rule is not None and not rule[1](user, entry):
            changes = entry.changes
            if isinstance(changes, str):
                changes = json.loads(changes or "{}")
            entry.changes = {k: v for k, v in (changes or {}).items() if k not in rule[0]}
        shown.append(entry)
    return shown


def _child_readable(user, entry, may_change_parent: bool) -> bool:
    model = entry.content_type.model_class()
    if model is None:
        return False
    try:
        readable = access.readable(user, model)
    except LookupError:
        return may_change_parent
    if model._default_manager.filter(pk=entry.object_pk).exists():
        return readable.filter(pk=entry.object_pk).exists()
    return may_change_parent


def _tie_rows(entries) -> list:
    """The declared ties whose content the shown history entries carry (for the access log)."""
    from armslength.declarations.models import Affiliation

    ids = [e.object_pk for e in entries if e.content_type.model == "affiliation"]
    return list(Affiliation.objects.filter(pk__in=ids))


def _reasons_shown(entries) -> list[tuple[str, list]]:
    """(person key, reasons) of the assignment entries whose reasons the reader is shown."""
    from armslength.register.models import Person
    from armslength.visits.models import Assignment

    shown = []
    for entry in entries:
        if entry.content_type.model != "assignment":
            continue
        changes = entry.changes
        if isinstance(changes, str):
            changes = json.loads(changes or "{}")
        if not changes or "reasons" not in changes:
            continue  # not about the reasons, or taken out for this reader
        reasons = []
        for value in changes["reasons"]:
            try:
                loaded = json.loads(value) if isinstance(value, str) else value
            except ValueError:
                continue
            reasons.extend(r for r in loaded or [] if isinstance(r, dict))
        # whose reasons: the person named in the entry, else the assignment's (if it stays)
        person_ids = [v for v in (changes.get("person") or []) if str(v).isdigit()]
        person_ids += Assignment.objects.filter(pk=entry.object_pk).values_list(
            "person_id", flat=True
        )
        keys = Person.objects.filter(pk__in=person_ids).values_list("key", flat=True)
        shown.extend((key, reasons) for key in keys)
    return shown


def history_for(obj) -> models.QuerySet:
    """Audit entries of `obj` and of the records that name it as their parent.

    Children (a person's secondments, training) stamp `parent` into each audit
    entry (see `get_additional_data`), so their history stays on the parent's
    page even after the child is deleted.
    """
    own = models.Q(content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk))
    children = models.Q(additional_data__parent=parent_marker(obj))
    return (
        LogEntry.objects.filter(own | children)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def parent_marker(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def record_views(
    model,
    *,
    namespace: str,
    form_class,
    table_class,
    filterset_class,
    detail_template: str = "core/object_detail.html",
    select_related=(),
    initial_from_query=(),
    prepare_new=None,
    edit_base=None,
    delete_base=None,
    detail_context=None,
) -> dict:
    """The standard list/detail/edit/delete/history views of one record type.

    `initial_from_query` names fields an "add" link may preset (`?person=12`),
    e.g. adding a secondee's assessment from the secondee's page.
    """
    attrs = {"model": model, "namespace": namespace}

    class List(ObjectListView):
        def get_queryset(self, request):
            return super().get_queryset(request).select_related(*select_related)

    class Edit(edit_base or ObjectEditView):
        def get_initial(self, request):
            return {f: request.GET.get(f) for f in initial_from_query if request.GET.get(f)}

        def prepare_new(self, request, obj):
            super().prepare_new(request, obj)
            if prepare_new is not None:
                prepare_new(request, obj)

    views = {
        "List": type(
            f"{model.__name__}ListView",
            (List,),
            {**attrs, "table_class": table_class, "filterset_class": filterset_class},
        ),
        "Detail": type(
            f"{model.__name__}DetailView",
            (ObjectDetailView,),
            {
                **attrs,
                "template_name": detail_template,
                **(
                    {"get_extra_context": lambda self, request, obj: detail_context(request, obj)}
                    if detail_context
                    else {}
                ),
            },
        ),
        "Edit": type(f"{model.__name__}EditView", (Edit,), {**attrs, "form_class": form_class}),
        "Delete": type(f"{model.__name__}DeleteView", (delete_base or ObjectDeleteView,), attrs),
        "History": type(f"{model.__name__}HistoryView", (ObjectHistoryView,), attrs),
    }
    return views
