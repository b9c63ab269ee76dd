"""Views of the register: one set per record type, on the shared surface of `core.views`."""

from __future__ import annotations

import django_tables2
from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from armslength.compliance.models import Assessment
from armslength.core import access
from armslength.core.forms import DateInput, scope_choices
from armslength.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    record_views,
)
from armslength.declarations.models import Affiliation
from armslength.register import filters, forms, tables
from armslength.register.models import (
    Body,
    Establishment,
    Organisation,
    Person,
    Secondment,
    TrainingRecord,
)
from armslength.screening.services import (
    establishment_results,
    findings_for_people,
    person_results,
    screen_register,
)
from armslength.visits.services import visit_alerts_for_person

# --- bodies ---------------------------------------------------------------


class BodyMixin:
    model = Body


class BodyListView(BodyMixin, ObjectListView):
    table_class = tables.BodyTable
    filterset_class = filters.BodyFilterSet


class BodyDetailView(BodyMixin, ObjectDetailView):
    template_name = "register/body_detail.html"

    def get_extra_context(self, request, obj):
        people = access.readable(request.user, Person).filter(body=obj)
        return {"people_count": people.count(), "can_see_people": people.exists()}


class BodyEditView(BodyMixin, ObjectEditView):
    form_class = forms.BodyForm


class BodyDeleteView(BodyMixin, ObjectDeleteView):
    pass


class BodyHistoryView(BodyMixin, ObjectHistoryView):
    pass


# --- organisations --------------------------------------------------------


class OrganisationMixin:
    model = Organisation


class OrganisationListView(OrganisationMixin, ObjectListView):
    table_class = tables.OrganisationTable
    filterset_class = filters.OrganisationFilterSet

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


class OrganisationDetailView(OrganisationMixin, ObjectDetailView):
    template_name = "register/organisation_detail.html"


class OrganisationEditView(OrganisationMixin, ObjectEditView):
    form_class = forms.OrganisationForm


class OrganisationDeleteView(OrganisationMixin, ObjectDeleteView):
    pass


class OrganisationHistoryView(OrganisationMixin, ObjectHistoryView):
    pass


# --- establishments -------------------------------------------------------


class EstablishmentMixin:
    model = Establishment


class EstablishmentListView(EstablishmentMixin, ObjectListView):
    table_class = tables.EstablishmentTable
    filterset_class = filters.EstablishmentFilterSet

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("operator")


class EstablishmentDetailView(EstablishmentMixin, ObjectDetailView):
    template_name = "register/establishment_detail.html"

    def get_extra_context(self, request, obj):
        screening = screen_register()
        if access.can_list(request.user, Person):
            return {
                "screening": establishment_results(screening, request.user, obj),
                "can_see_people": True,
                "policy_version": screening.version,
            }
        # The coordinator sees how many, never who (SPEC "Who sees what").
        counts: dict[str, int] = {}
        for result in screening.for_people(screening.ctx.facts):
            if result.establishment == obj.key:
                counts[result.verdict.code] = counts.get(result.verdict.code, 0) + 1
        return {
            "verdict_counts": counts,
            "can_see_people": False,
            "policy_version": screening.version,
        }


class EstablishmentEditView(EstablishmentMixin, ObjectEditView):
    form_class = forms.EstablishmentForm
    template_name = "register/establishment_form.html"

    def render_form(self, request, form, obj, **extra):
        return super().render_form(request, form, obj, place_types=forms.place_types(), **extra)


class EstablishmentDeleteView(EstablishmentMixin, ObjectDeleteView):
    pass


class EstablishmentHistoryView(EstablishmentMixin, ObjectHistoryView):
    pass


# --- people ---------------------------------------------------------------


class PersonMixin:
    model = Person


class PersonListView(PersonMixin, ObjectListView):
    table_class = tables.PersonTable
    filterset_class = filters.PersonFilterSet

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("body")


class PersonDetailView(PersonMixin, ObjectDetailView):
    template_name = "register/person_detail.html"

    def get_extra_context(self, request, obj):
        screening = screen_register()
        return {
            "secondments": obj.secondments.select_related(
                "origin", "origin_establishment", "return_establishment"
            ),
            "training": obj.training_records.all(),
            # Special-category data is shown to the person themself only.
            "is_self": request.user.person_id == obj.pk,
            "screening": person_results(screening, obj),
            "policy_version": screening.version,
            "findings": findings_for_people(screening, {obj.key}),
            "declarations": obj.affiliations.select_related("establishment", "organisation"),
            "can_declare": access.can_create(request.user, Affiliation),
            "assessments": obj.assessments.prefetch_related("cleared_organisations"),
            "supervisions": obj.supervisions.all(),
            "acknowledgements": obj.acknowledgements.all(),
            "can_add_records": access.can_create(request.user, Assessment),
        }


class PersonEditView(PersonMixin, ObjectEditView):
    """Add or edit a person; on 'add', an optional first secondment is saved with them."""

    form_class = forms.PersonForm
    template_name = "register/person_form.html"

    def make_form(self, request, obj, data=None, files=None):
        form = super().make_form(request, obj, data, files)
        if request.user.body_id:
            # A manager adds people to their own body only.
            form.fields["body"].queryset = Body.objects.filter(pk=request.user.body_id)
            if not obj.pk:
                form.initial["body"] = request.user.body_id
        return form

    def secondment_form(self, request, obj):
        if obj.pk:
            return None
        data = request.POST if request.method == "POST" else None
        form = forms.NewSecondmentForm(data=data)
        scope_choices(form, request.user)
        return form

    def render_form(self, request, form, obj, secondment_form=None, **extra):
        if secondment_form is None:
            secondment_form = self.secondment_form(request, obj)
        response = super().render_form(request, form, obj, secondment_form=secondment_form, **extra)
        if secondment_form is not None and secondment_form.errors:
            response.status_code = 400
        return response

    def post(self, request, pk=None):
        obj = self.get_object(request, pk)
        form = self.make_form(request, obj, request.POST, request.FILES)
        second = self.secondment_form(request, obj)
        valid = form.is_valid()
        if second is not None:
            second_valid = second.is_valid()
            second.check_category(form.cleaned_data.get("category") if valid else None)
            valid = valid and second_valid and not second.errors
        if not valid:
            return self.render_form(request, form, obj, secondment_form=second)
        with transaction.atomic():
            person = form.save()
            if second is not None and second.is_filled():
                secondment = second.save(commit=False)
                secondment.person = person
                secondment.save()
        messages.success(request, _("Saved: %(person)s") % {"person": person})
        return HttpResponseRedirect(person.get_absolute_url())


class PersonDeleteView(PersonMixin, ObjectDeleteView):
    pass


class PersonHistoryView(PersonMixin, ObjectHistoryView):
    pass


# --- secondments ----------------------------------------------------------


class SecondmentMixin:
    model = Secondment


class SecondmentListView(SecondmentMixin, ObjectListView):
    table_class = tables.SecondmentTable
    filterset_class = filters.SecondmentFilterSet

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("person", "origin", "origin_establishment", "return_establishment")
        )


class SecondmentDetailView(SecondmentMixin, ObjectDetailView):
    template_name = "register/secondment_detail.html"


class SecondmentEditView(SecondmentMixin, ObjectEditView):
    form_class = forms.SecondmentForm

    def after_save(self, request, obj) -> None:
        visit_alerts_for_person(person=obj.person)

    def get_initial(self, request):
        return {"person": request.GET.get("person")}


class SecondmentDeleteView(SecondmentMixin, ObjectDeleteView):
    pass


class SecondmentHistoryView(SecondmentMixin, ObjectHistoryView):
    pass


# --- training records -------------------------------------------------------


class TrainingRecordFilterSet(filters.SearchFilterSet):
    search_fields = ("person__name", "title", "provider")

    class Meta:
        model = TrainingRecord
        fields = ["q", "skill"]


class TrainingRecordTable(django_tables2.Table):
    title = django_tables2.Column(
        linkify=lambda record: reverse("register:trainingrecord_detail", args=[record.pk])
    )
    person = django_tables2.Column(linkify=True)

    class Meta:
        model = TrainingRecord
        fields = ("title", "person", "skill", "completed", "provider")


training_views = record_views(
    TrainingRecord,
    namespace="register",
    form_class=django_forms.modelform_factory(
        TrainingRecord,
        fields=["person", "title", "skill", "completed", "provider"],
        widgets={"completed": DateInput()},
    ),
    table_class=TrainingRecordTable,
    filterset_class=TrainingRecordFilterSet,
    select_related=("person",),
    initial_from_query=("person",),
)
