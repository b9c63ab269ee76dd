"""Views of the register, on the shared record surface of `core.views.record_views`.

What differs between record types lives here: the screening on a person's and
an establishment's page, the optional first secondment typed in beside a new
person, the alerts a new secondment raises.
"""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from armslength.compliance.models import Assessment
from armslength.core import access, access_log, hooks, labels
from armslength.core.forms import DateInput, scope_choices
from armslength.core.views import ObjectDeleteView, ObjectEditView, record_views
from armslength.declarations.models import Affiliation
from armslength.register import filters, forms, tables
from armslength.register.models import (
    REQUIRED_EXPERTISE,
    Body,
    Establishment,
    Expertise,
    Organisation,
    Person,
    Secondment,
    TrainingRecord,
    outside_npm_unit,
)
from armslength.register.privacy import subject_access_json
from armslength.register.services import (
    secondment_create,
    secondment_delete,
    secondment_update,
)
from armslength.screening.services import (
    establishment_results,
    findings_for_people,
    person_results,
    screen_register,
)
from armslength.visits.services import person_leaving_set


def _body_context(request, body) -> dict:
    people = access.readable(request.user, Person).filter(body=body)
    today = timezone.localdate()
    # UK-9: the body's own view names who works on the NPM outside its NPM unit;
    # only people the user may read are listed (the coordinator reads none).
    outside = [
        p
        for p in people.exclude(left__lte=today).order_by("name")
        if outside_npm_unit(body.npm_unit, p.unit, p.npm_role)
    ]
    return {
        "people_count": people.count(),
        "can_see_people": people.exists(),
        "outside_npm_unit": outside,
    }


def _establishment_context(request, est) -> dict:
    screening = screen_register()
    if access.can_list(request.user, Person):
        return {
            "screening": establishment_results(screening, request.user, est),
            "can_see_people": True,
            "policy_version": screening.version,
        }
    # The coordinator sees how many, never who (SPEC "Who sees what").
    counts: dict[str, int] = {}
    for result in screening.for_people(screening.ctx.facts):
        if result.establishment == est.key:
            counts[result.verdict.code] = counts.get(result.verdict.code, 0) + 1
    return {"verdict_counts": counts, "can_see_people": False, "policy_version": screening.version}


def _person_context(request, person) -> dict:
    screening = screen_register()
    findings = findings_for_people(screening, {person.key})
    declarations = list(person.affiliations.select_related("establishment", "organisation"))
    access_log.viewed(request.user, declarations, where=request.path)  # ties shown: logged
    return {
        # UK-14 fails closed: the engine's finding, shown as the thing to do now
        "secondment_unrecorded": any(f.rule == "secondment-unrecorded" for f in findings),
        "can_add_secondment": access.can_create(request.user, Secondment),
        "secondments": person.secondments.select_related(
            "origin", "origin_establishment", "return_establishment"
        ),
        "training": person.training_records.all(),
        # Special-category data is shown to the person themself only.
        "is_self": request.user.person_id == person.pk,
        "screening": person_results(screening, person),
        "policy_version": screening.version,
        "findings": findings,
        "declarations": declarations,
        "can_declare": access.can_create(request.user, Affiliation),
        "assessments": person.assessments.prefetch_related("cleared_organisations"),
        "supervisions": person.supervisions.all(),
        "acknowledgements": person.acknowledgements.all(),
        "can_add_records": access.can_create(request.user, Assessment),
    }


class EstablishmentEditView(ObjectEditView):
    template_name = "register/establishment_form.html"

    def render_form(self, request, form, obj, **extra):
        return super().render_form(
            request,
            form,
            obj,
            place_types=[(t, labels.place_type(t)) for t in forms.place_types()],
            **extra,
        )


class PersonEditView(ObjectEditView):
    """Add or edit a person; on 'add', an optional first secondment is saved with them."""

    template_name = "register/person_form.html"

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
        left_before = obj.left
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
            if obj.pk and (conflict := self.changed_meanwhile(request, obj)):
                return conflict
            with hooks.facts_batch():
                person = form.save()
                hooks.record_changed(person, user=request.user)
                if second is not None and second.is_filled():
                    secondment_create(person=person, values=second.cleaned_data, user=request.user)
            if person.left and person.left != left_before:
                # a leaving date opens the exit checklist, whichever page set it
                person_leaving_set(person=person, left=person.left, user=request.user)
        messages.success(request, _("Saved: %(person)s") % {"person": person})
        if person.left and person.left != left_before:
            return HttpResponseRedirect(reverse("visits:leaving", args=[person.pk]))
        return HttpResponseRedirect(person.get_absolute_url())


class SecondmentEditView(ObjectEditView):
    """Through `register.services`: a secondment raises visit alerts and findings."""

    def save(self, request, form, obj):
        values = dict(form.cleaned_data)
        if obj.pk is None:
            return secondment_create(person=values.pop("person"), values=values, user=request.user)
        return secondment_update(secondment=obj, values=values, user=request.user)


class SecondmentDeleteView(ObjectDeleteView):
    def delete(self, request, obj) -> None:
        secondment_delete(secondment=obj, user=request.user)


body_views = record_views(
    Body,
    namespace="register",
    form_class=forms.BodyForm,
    table_class=tables.BodyTable,
    filterset_class=filters.BodyFilterSet,
    detail_template="register/body_detail.html",
    detail_context=_body_context,
)
organisation_views = record_views(
    Organisation,
    namespace="register",
    form_class=forms.OrganisationForm,
    table_class=tables.OrganisationTable,
    filterset_class=filters.OrganisationFilterSet,
    detail_template="register/organisation_detail.html",
    select_related=("parent",),
)
establishment_views = record_views(
    Establishment,
    namespace="register",
    form_class=forms.EstablishmentForm,
    table_class=tables.EstablishmentTable,
    filterset_class=filters.EstablishmentFilterSet,
    detail_template="register/establishment_detail.html",
    select_related=("operator",),
    edit_base=EstablishmentEditView,
    detail_context=_establishment_context,
)
person_views = record_views(
    Person,
    namespace="register",
    form_class=forms.PersonForm,
    table_class=tables.PersonTable,
    filterset_class=filters.PersonFilterSet,
    detail_template="register/person_detail.html",
    select_related=("body",),
    edit_base=PersonEditView,
    detail_context=_person_context,
)
secondment_views = record_views(
    Secondment,
    namespace="register",
    form_class=forms.SecondmentForm,
    table_class=tables.SecondmentTable,
    filterset_class=filters.SecondmentFilterSet,
    detail_template="register/secondment_detail.html",
    select_related=("person", "origin", "origin_establishment", "return_establishment"),
    initial_from_query=("person",),
    edit_base=SecondmentEditView,
    delete_base=SecondmentDeleteView,
)
training_views = record_views(
    TrainingRecord,
    namespace="register",
    form_class=django_forms.modelform_factory(
        TrainingRecord,
        fields=["person", "title", "skill", "completed", "provider"],
        widgets={"completed": DateInput()},
    ),
    table_class=tables.TrainingRecordTable,
    filterset_class=filters.TrainingRecordFilterSet,
    select_related=("person",),
    initial_from_query=("person",),
)


class ExpertiseDeleteView(ObjectDeleteView):
    """Legal and medical stay (APT); a kind someone holds or a visit needs stays too."""

    def post(self, request, pk):
        item = access.get_writable(request.user, Expertise, pk)
        reason = expertise_in_use(item)
        if reason:
            messages.error(request, reason)
            return HttpResponseRedirect(item.get_absolute_url())
        return super().post(request, pk)


def expertise_in_use(item: Expertise) -> str:
    """Why this expertise cannot leave the list, or "" when it may."""
    from armslength.visits.models import Visit

    if item.code in REQUIRED_EXPERTISE:
        return _("%(name)s stays in the list: every NPM must hold it (APT).") % {"name": item}
    holders = sum(1 for e in Person.objects.values_list("expertise", flat=True) if item.code in e)
    needing = sum(1 for r in Visit.objects.values_list("requires", flat=True) if item.code in r)
    if holders or needing:
        return _(
            "%(name)s is held by %(people)s people and needed by %(visits)s visits; "
            "change those first."
        ) % {"name": item, "people": holders, "visits": needing}
    return ""


expertise_views = record_views(
    Expertise,
    namespace="register",
    form_class=forms.ExpertiseForm,
    table_class=tables.ExpertiseTable,
    filterset_class=filters.ExpertiseFilterSet,
)
expertise_views["Delete"] = type(
    "ExpertiseDeleteView", (ExpertiseDeleteView,), {"model": Expertise, "namespace": "register"}
)


class SubjectAccessView(View):
    """Everything held about one person, as JSON: for them, their managers and auditors."""

    def get(self, request, pk):
        person = access.get_readable(request.user, Person, pk)
        if not access.can(request.user, "person.subject_access", person):
            raise PermissionDenied(_("Only the person, their managers and auditors export this."))
        # the person's own download includes their special-category data; no one else's does
        response = HttpResponse(
            subject_access_json(person, request.user),
            content_type="application/json; charset=utf-8",
        )
        if request.user.person_id == person.pk:
            access_log.viewed(request.user, [person], where=request.path)
        access_log.viewed(request.user, person.affiliations.all(), where=request.path)
        name = f"subject-access-{person.key}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
