"""Declarations: people declare affiliations and ties; managers review them."""

from __future__ import annotations

import datetime as dt

import django_filters as filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from armslength.core import access, labels
from armslength.core.views import ObjectDeleteView, ObjectEditView, record_views
from armslength.declarations import services
from armslength.declarations.forms import AffiliationForm, EndForm, ReviewForm
from armslength.declarations.models import Affiliation, ReviewStatus
from armslength.engine import codes
from armslength.register.filters import SearchFilterSet
from armslength.register.models import Person


class AffiliationFilterSet(SearchFilterSet):
    search_fields = ("person__name", "establishment__name", "organisation__name", "role")
    kind = filters.ChoiceFilter(choices=labels.choices(codes.AFFILIATION_KINDS))
    status = filters.ChoiceFilter(choices=ReviewStatus.choices, label=gettext_lazy("Review"))

    class Meta:
        model = Affiliation
        fields = ["q", "kind", "status"]


class AffiliationTable(tables.Table):
    person = tables.Column(linkify=True)
    kind = tables.Column(linkify=True)
    target = tables.Column(accessor="pk", verbose_name=gettext_lazy("With"), orderable=False)

    class Meta:
        model = Affiliation
        fields = ("person", "kind", "target", "start", "end", "status")

    def render_target(self, record):
        return str(record.target())

    def value_target(self, record):
        return str(record.target())


class AffiliationEditView(ObjectEditView):
    """A staff member declares for themself; a manager for the people of their body.

    Saving goes through `declarations.services`: once a declaration is reviewed,
    its declarant's change waits for a manager's review.
    """

    def make_form(self, request, obj, data=None, files=None):
        form = super().make_form(request, obj, data, files)
        if not access.can(request.user, "declaration.declare_for_others"):
            form.fields["person"].queryset = Person.objects.filter(pk=request.user.person_id)
            form.initial.setdefault("person", request.user.person_id)
        return form

    def save(self, request, form, obj):
        values = {k: v for k, v in form.cleaned_data.items() if k in services.DECLARED_FIELDS}
        if obj.pk is None:
            return services.declaration_create(
                person=values.pop("person"), values=values, user=request.user
            )
        fresh = Affiliation.objects.select_for_update().get(pk=obj.pk)
        return services.declaration_update(declaration=fresh, values=values, user=request.user)


class AffiliationDeleteView(ObjectDeleteView):
    refused = services.DeclarationRefused

    def delete(self, request, obj) -> None:
        services.declaration_delete(declaration=obj, user=request.user)


def _declared_by(request, affiliation) -> None:
    affiliation.declared_by = request.user
    affiliation.declared_at = timezone.now()


def _detail_context(request, declaration) -> dict:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return {
        "can_review": access.can(request.user, "declaration.review", declaration),
        "can_delete": access.can(request.user, "declaration.delete", declaration),
        "proposed": services.proposed_values(declaration),
        "review_form": ReviewForm(initial={"status": declaration.status}),
        "end_form": EndForm(initial={"end": yesterday}),
    }


affiliation_views = record_views(
    Affiliation,
    namespace="declarations",
    form_class=AffiliationForm,
    table_class=AffiliationTable,
    filterset_class=AffiliationFilterSet,
    detail_template="declarations/affiliation_detail.html",
    select_related=("person", "establishment", "organisation"),
    initial_from_query=("person",),
    prepare_new=_declared_by,
    edit_base=AffiliationEditView,
    delete_base=AffiliationDeleteView,
    detail_context=_detail_context,
)


class ReviewView(View):
    """A manager's decision on a declaration: accepted, queried (with a question), corrected."""

    def post(self, request, pk):
        declaration = access.get_readable(request.user, Affiliation, pk)
        if not access.can(request.user, "declaration.review", declaration):
            raise PermissionDenied(_("Declarations are reviewed by the body's managers."))
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.declaration_review(
                    declaration=declaration,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            except services.DeclarationRefused as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                form.add_error(None, exc)
        if form.errors:
            return render(
                request,
                "declarations/affiliation_detail.html",
                {
                    "object": declaration,
                    "review_form": form,
                    "can_change": True,
                    "model_name": "affiliation",
                    "model_namespace": "declarations",
                },
                status=400,
            )
        declaration.refresh_from_db()
        messages.success(
            request, _("Review recorded: %(s)s") % {"s": declaration.get_status_display()}
        )
        return HttpResponseRedirect(declaration.get_absolute_url())


class EndView(View):
    """End a declared tie or position on a date (a tie can be temporary)."""

    def post(self, request, pk):
        declaration = access.get_writable(request.user, Affiliation, pk)
        if not access.can(request.user, "declaration.end", declaration):
            raise PermissionDenied(_("This declaration has already ended."))
        form = EndForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the date it ended."))
            return HttpResponseRedirect(declaration.get_absolute_url())
        end: dt.date = form.cleaned_data["end"]
        try:
            ended = services.declaration_end(declaration=declaration, end=end, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(declaration.get_absolute_url())
        if ended.proposed:
            messages.success(
                request,
                _("Ending on %(d)s sent for review: it applies once a manager accepts it.")
                % {"d": end.isoformat()},
            )
        else:
            messages.success(request, _("Ended on %(d)s.") % {"d": end.isoformat()})
        return HttpResponseRedirect(declaration.get_absolute_url())
