"""API endpoints, named after the records. Each asks `core.access` for its rows.

Reading: the rows the caller may read, filtered and paginated. Writing: the
same rules as the web (a manager writes their own body's records), the same
validation (the model's `clean()`), the same audit trail (the caller is the
actor). An assignment goes through `assignment_add`: the conflict engine
refuses it exactly as in the web app, and the refusal is audited.
"""

from __future__ import annotations

from contextlib import contextmanager

from auditlog.context import set_actor
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from armslength.api import serializers as s
from armslength.compliance.models import Assessment, FindingRecord
from armslength.compliance.safeguards import assessment_sign_off
from armslength.core import access, access_log, hooks
from armslength.core.views import fingerprint
from armslength.declarations import services as declarations
from armslength.declarations.models import Affiliation
from armslength.engine.codes import TIE_KINDS
from armslength.register.models import Body, Establishment, Organisation, Person, Secondment
from armslength.register.services import (
    secondment_create,
    secondment_delete,
    secondment_update,
)
from armslength.reports.report import build_report, csv_value
from armslength.screening.services import screen_register
from armslength.visits.models import Assignment, Override, PlaceRequest, Visit
from armslength.visits.services import (
    AssignmentRefused,
    OverrideRefused,
    PlaceRequestRefused,
    assignment_add,
    assignment_remove,
    override_decide,
    override_request,
    person_leaving_set,
    place_request_create,
    visit_update,
    visit_verdict,
)


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "Someone changed this record since you read it; read it again (new ETag)."
    default_code = "precondition_failed"


@contextmanager
def as_caller(request):
    """Token requests authenticate inside DRF, after the audit middleware ran."""
    with set_actor(request.user):
        yield


class RecordViewSet(viewsets.ModelViewSet):
    """One record type over `core.access`: list, read, create, change, delete."""

    access_model = None
    select_related: tuple[str, ...] = ()
    lookup_field = "key"
    # `?ordering=` takes only the fields the serializer shows (DRF's default when this is
    # unset), never "__all__": sorting by a field one may not read reveals it (issue 12,
    # finding 2: special-category data was sortable by any manager).

    def get_queryset(self):
        qs = access.readable(self.request.user, self.access_model)
        return qs.select_related(*self.select_related).order_by("pk")

    def perform_create(self, serializer):
        with transaction.atomic(), as_caller(self.request):
            self.add(serializer)

    def add(self, serializer):
        """The service step of POST; record types with rules override it."""
        saved = serializer.save(**self.create_defaults())
        hooks.record_changed(saved, user=self.request.user)

    def create_defaults(self) -> dict:
        return {}

    def change(self, serializer):
        """The service step of PUT/PATCH; record types with rules override it."""
        saved = serializer.save()
        hooks.record_changed(saved, user=self.request.user)

    def remove(self, instance):
        """The service step of DELETE; record types with rules override it."""
        instance.delete()
        hooks.record_changed(instance, user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{fingerprint(self.get_object())}"'
        return response

    def perform_update(self, serializer):
        """A client that sends `If-Match` with the ETag it read is told (412) if the record
        changed since, instead of overwriting someone else's edit (as the web forms do)."""
        expected = self.request.headers.get("If-Match")
        with transaction.atomic(), as_caller(self.request):
            if expected:
                model = type(serializer.instance)
                current = model._default_manager.select_for_update().get(pk=serializer.instance.pk)
                if expected.strip('"') != fingerprint(current):
                    raise PreconditionFailed()
            self.change(serializer)

    def perform_destroy(self, instance):
        with transaction.atomic(), as_caller(self.request):
            try:
                self.remove(instance)
            except ProtectedError:
                raise exceptions.ValidationError(
                    _("Other records still refer to this one; remove those first.")
                ) from None


class BodyFilter(filters.FilterSet):
    class Meta:
        model = Body
        fields = ["abbreviation", "is_coordinator"]


class BodyViewSet(RecordViewSet):
    access_model = Body
    serializer_class = s.BodySerializer
    filterset_class = BodyFilter


class OrganisationFilter(filters.FilterSet):
    parent = filters.CharFilter(field_name="parent__key")

    class Meta:
        model = Organisation
        fields = ["sector", "parent"]


class OrganisationViewSet(RecordViewSet):
    access_model = Organisation
    serializer_class = s.OrganisationSerializer
    filterset_class = OrganisationFilter
    select_related = ("parent",)


class EstablishmentFilter(filters.FilterSet):
    operator = filters.CharFilter(field_name="operator__key")

    class Meta:
        model = Establishment
        fields = ["type", "region", "jurisdiction", "operator"]


class EstablishmentViewSet(RecordViewSet):
    access_model = Establishment
    serializer_class = s.EstablishmentSerializer
    filterset_class = EstablishmentFilter
    select_related = ("operator",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("visiting_bodies")


class PersonFilter(filters.FilterSet):
    body = filters.CharFilter(field_name="body__key")

    class Meta:
        model = Person
        fields = ["body", "category", "npm_role", "gender"]


class PersonViewSet(RecordViewSet):
    access_model = Person
    serializer_class = s.PersonSerializer
    filterset_class = PersonFilter
    select_related = ("body", "reports_to")

    def create_defaults(self) -> dict:
        return {"body": self.request.user.body}

    def perform_update(self, serializer):
        left_before = serializer.instance.left
        super().perform_update(serializer)
        person = serializer.instance
        if person.left and person.left != left_before:
            # a leaving date opens the exit checklist, as on the web
            with as_caller(self.request):
                person_leaving_set(person=person, left=person.left, user=self.request.user)


class SecondmentFilter(filters.FilterSet):
    person = filters.CharFilter(field_name="person__key")
    origin = filters.CharFilter(field_name="origin__key")

    class Meta:
        model = Secondment
        fields = ["person", "origin"]


class SecondmentViewSet(RecordViewSet):
    """Secondments through `register.services`: each raises visit alerts and findings."""

    access_model = Secondment
    serializer_class = s.SecondmentSerializer
    filterset_class = SecondmentFilter
    lookup_field = "pk"
    select_related = ("person", "origin", "origin_establishment", "return_establishment")

    def add(self, serializer):
        values = dict(serializer.validated_data)
        serializer.instance = secondment_create(
            person=values.pop("person"), values=values, user=self.request.user
        )

    def change(self, serializer):
        serializer.instance = secondment_update(
            secondment=serializer.instance,
            values=dict(serializer.validated_data),
            user=self.request.user,
        )

    def remove(self, instance):
        secondment_delete(secondment=instance, user=self.request.user)


class AffiliationFilter(filters.FilterSet):
    person = filters.CharFilter(field_name="person__key")

    class Meta:
        model = Affiliation
        fields = ["person", "kind", "status"]


class AffiliationViewSet(RecordViewSet):
    """Declarations (APT: conflict of interest). Ties shown are on the access log."""

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._log(response)
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self._log(response)
        return response

    def _log(self, response) -> None:
        data = response.data
        rows = data.get("results", [data]) if isinstance(data, dict) else data
        ids = [row["id"] for row in rows if row.get("kind") in TIE_KINDS]
        shown = self.get_queryset().filter(pk__in=ids)
        access_log.viewed(self.request.user, shown, where=self.request.path)

    access_model = Affiliation
    serializer_class = s.AffiliationSerializer
    filterset_class = AffiliationFilter
    lookup_field = "pk"
    select_related = ("person", "establishment", "organisation")

    def add(self, serializer):
        values = dict(serializer.validated_data)
        serializer.instance = declarations.declaration_create(
            person=values.pop("person"), values=values, user=self.request.user
        )

    def change(self, serializer):
        """A declarant's change of a reviewed declaration goes back to review (as on the web)."""
        fresh = Affiliation.objects.select_for_update().get(pk=serializer.instance.pk)
        serializer.instance = declarations.declaration_update(
            declaration=fresh, values=dict(serializer.validated_data), user=self.request.user
        )

    def remove(self, instance):
        try:
            declarations.declaration_delete(declaration=instance, user=self.request.user)
        except declarations.DeclarationRefused as exc:
            raise exceptions.PermissionDenied(str(exc)) from None


class VisitFilter(filters.FilterSet):
    establishment = filters.CharFilter(field_name="establishment__key")
    starts_after = filters.DateFilter(field_name="start", lookup_expr="gte")
    starts_before = filters.DateFilter(field_name="start", lookup_expr="lte")

    class Meta:
        model = Visit
        fields = ["establishment", "status", "type", "starts_after", "starts_before"]


class VisitViewSet(RecordViewSet):
    access_model = Visit
    serializer_class = s.VisitSerializer
    filterset_class = VisitFilter
    select_related = ("body", "establishment")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("partner_bodies")

    def create_defaults(self) -> dict:
        return {"body": self.request.user.body}

    def change(self, serializer):
        """Through `visit_update`: a new place or new dates re-check the whole team, and a
        partner body taken off takes its people with it (as on the web)."""
        values = dict(serializer.validated_data)
        partners = values.pop("partner_bodies", None)
        serializer.instance = visit_update(
            visit=serializer.instance,
            values=values,
            partner_bodies=partners,
            user=self.request.user,
        ).visit


class AssignmentFilter(filters.FilterSet):
    visit = filters.CharFilter(field_name="visit__key")
    person = filters.CharFilter(field_name="person__key")

    class Meta:
        model = Assignment
        fields = ["visit", "person", "role"]


class AssignmentViewSet(RecordViewSet):
    """Teams: add (through the conflict engine), read and remove; a role is changed by re-adding."""

    access_model = Assignment
    serializer_class = s.AssignmentSerializer
    filterset_class = AssignmentFilter
    lookup_field = "pk"
    select_related = ("visit", "person")
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        if not access.may(self.request.user, "staff", data["visit"]):
            raise exceptions.PermissionDenied(
                _("The managers of the bodies taking part staff the team.")
            )
        with as_caller(self.request):
            try:
                serializer.instance = assignment_add(
                    visit=data["visit"],
                    person=data["person"],
                    role=data["role"],
                    user=self.request.user,
                )
            except AssignmentRefused as exc:
                raise exceptions.ValidationError({"person": [str(exc)]}) from None

    def perform_destroy(self, instance):
        with as_caller(self.request):
            assignment_remove(assignment=instance, user=self.request.user)


class PlaceRequestFilter(filters.FilterSet):
    visit = filters.CharFilter(field_name="visit__key")

    class Meta:
        model = PlaceRequest
        fields = ["visit", "status"]


class PlaceRequestViewSet(RecordViewSet):
    """Joint visits: the lead body asks a partner body for places (the partner fills them
    by adding its own people through /api/assignments/)."""

    access_model = PlaceRequest
    serializer_class = s.PlaceRequestSerializer
    filterset_class = PlaceRequestFilter
    lookup_field = "pk"
    select_related = ("visit", "body")
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        if not access.may(self.request.user, "request_places", data["visit"]):
            raise exceptions.PermissionDenied(
                _("The lead body's managers ask partner bodies for places.")
            )
        with as_caller(self.request):
            try:
                serializer.instance = place_request_create(
                    visit=data["visit"],
                    body=data["body"],
                    places=data["places"],
                    expertise=data.get("expertise", ""),
                    user=self.request.user,
                )
            except PlaceRequestRefused as exc:
                raise exceptions.ValidationError({"body": [str(exc)]}) from None


class OverrideViewSet(RecordViewSet):
    """Overrides: asked for by a manager, decided by a second one (`POST .../decide/`)."""

    access_model = Override
    serializer_class = s.OverrideSerializer
    lookup_field = "pk"
    select_related = ("visit", "person", "requested_by", "decided_by")
    http_method_names = ["get", "post", "head", "options"]

    def add(self, serializer):
        data = serializer.validated_data
        if not access.can(self.request.user, "override.request", data["visit"]):
            raise exceptions.PermissionDenied(_("Overrides are requested by the body's managers."))
        try:
            serializer.instance = override_request(
                visit=data["visit"],
                person=data["person"],
                verdict_to=data["verdict_to"],
                reason=data["reason"],
                user=self.request.user,
            )
        except OverrideRefused as exc:
            raise exceptions.ValidationError({"verdict_to": [str(exc)]}) from None

    @extend_schema(request=s.OverrideDecisionSerializer, responses={200: s.OverrideSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        override = self.get_object()
        if not access.can_write(request.user, override):
            raise exceptions.PermissionDenied(_("Overrides are approved by the body's managers."))
        decision = s.OverrideDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        with transaction.atomic(), as_caller(request):
            try:
                override = override_decide(
                    override=override,
                    decision=decision.validated_data["decision"],
                    user=request.user,
                )
            except OverrideRefused as exc:
                raise exceptions.PermissionDenied(str(exc)) from None
        return Response(s.OverrideSerializer(override, context={"request": request}).data)


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Conflict-of-interest assessments of secondees (UK-12): read, and sign off."""

    access_model = Assessment
    serializer_class = s.AssessmentSerializer

    def get_queryset(self):
        return (
            access.readable(self.request.user, Assessment)
            .select_related("person", "signed_off_by")
            .order_by("pk")
        )

    @extend_schema(request=None, responses={200: s.AssessmentSerializer})
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        assessment = self.get_object()
        if not access.can(request.user, "assessment.sign_off", assessment):
            raise exceptions.PermissionDenied(
                _("Only a manager of the person's body signs an assessment off, once.")
            )
        with as_caller(request):
            assessment_sign_off(assessment=assessment, user=request.user)
        return Response(s.AssessmentSerializer(assessment).data)


class FindingFilter(filters.FilterSet):
    person = filters.CharFilter(field_name="person__key")
    open = filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull")

    class Meta:
        model = FindingRecord
        fields = ["rule", "severity", "person", "open"]


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """Compliance findings, with their open/closed history (read only)."""

    access_model = FindingRecord
    serializer_class = s.FindingSerializer
    filterset_class = FindingFilter

    def get_queryset(self):
        return (
            access.readable(self.request.user, FindingRecord)
            .select_related("body", "person")
            .order_by("pk")
        )


class VerdictView(APIView):
    """The conflict engine's verdict for a person and an establishment or a visit."""

    access_model = Person

    @extend_schema(
        parameters=[
            OpenApiParameter("person", OpenApiTypes.STR, required=True, description="person key"),
            OpenApiParameter("establishment", OpenApiTypes.STR, description="establishment key"),
            OpenApiParameter("visit", OpenApiTypes.STR, description="visit key"),
        ],
        responses={200: s.VerdictSerializer(many=True)},
        description="With an establishment or a visit: that one verdict. With neither: every "
        "establishment that is not clear for the person today.",
    )
    def get(self, request):
        person = self._one(request, Person, "person", required=True)
        establishment = self._one(request, Establishment, "establishment")
        visit = self._one(request, Visit, "visit")
        screening = screen_register()
        if visit is not None:
            results = [visit_verdict(screening, visit, person)]
        elif establishment is not None:
            today = timezone.localdate()
            results = [screening.for_pair(person.key, establishment.key, today, today)]
        else:
            results = screening.for_people([person.key])
        access_log.ties_in_reasons(
            request.user, [(person.key, r.reasons) for r in results], where=request.path
        )
        return Response([r.as_json() for r in results])

    @staticmethod
    def _one(request, model, name: str, required: bool = False):
        key = request.query_params.get(name)
        if not key:
            if required:
                raise exceptions.ValidationError({name: ["This parameter is required."]})
            return None
        found = access.readable(request.user, model).filter(key=key).first()
        if found is None:
            raise exceptions.ValidationError(
                {name: [f"No {name} with key {key!r} that you may see."]}
            )
        return found


class ReportView(APIView):
    """The annual report's tables (as in its CSV files), for a year and optionally one body."""

    @extend_schema(
        parameters=[
            OpenApiParameter("body", OpenApiTypes.STR, description="body key; default NPM-wide"),
        ],
        responses={200: s.ReportSerializer},
    )
    def get(self, request, year: int):
        if not access.can(request.user, "report.read"):
            raise exceptions.PermissionDenied(
                _("Reports are for managers, the coordinator and auditors.")
            )
        if not 1990 <= year <= 2100:
            raise exceptions.NotFound("No report for that year.")
        body = None
        if key := request.query_params.get("body"):
            body = Body.objects.filter(key=key).first()
            mine = access.can(request.user, "report.read_every_body") or (
                body and body.pk == request.user.body_id
            )
            if body is None or not mine:
                raise exceptions.NotFound("No such body, or not yours to report on.")
        report = build_report(year, body=body)
        tables = [
            {
                "section": section.key,
                "key": table.key,
                "title": table.title,
                "cites": list(section.cites),
                "columns": table.columns,
                "rows": [[csv_value(v) for v in row] for row in table.rows],
            }
            for section, table in report.tables()
        ]
        return Response(
            {
                "year": report.year,
                "title": report.title,
                "body": body.key if body else None,
                "provisional": report.provisional,
                "tables": tables,
            }
        )
