"""What the API shows of each record, and how a write is checked.

References are by stable key (a person's key, an establishment's key), not
database ids, so a client's data survives an export and re-import. Every
related record a client may name is looked up among the rows the caller may
see (or change), so a key from another body reads as unknown. Writes run the
model's own `clean()`, the rules the web forms enforce. Special-category data
(ethnicity, minority status) is not in the API at all.
"""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from armslength.compliance.models import Assessment, FindingRecord
from armslength.core import access
from armslength.core.keys import in_namespace
from armslength.declarations.models import Affiliation
from armslength.engine import codes
from armslength.register.models import Body, Establishment, Organisation, Person, Secondment
from armslength.visits.models import Assignment, Override, PlaceRequest, Role, Visit


class ScopedKey(serializers.SlugRelatedField):
    """A reference by key to a row the caller may read (or, with `write`, change)."""

    def __init__(self, model, *, write: bool = False, slug_field: str = "key", **kwargs):
        self.model, self.write = model, write
        kwargs.setdefault("queryset", model.objects.none())  # replaced per request
        super().__init__(slug_field=slug_field, **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.model.objects.none()
        if callable(self.write):
            return self.write(request.user)
        scope = access.writable if self.write else access.readable
        return scope(request.user, self.model)


def declarable_people(user):
    """Whose declarations the caller may make: their own (staff declare as on the web), and a
    manager those of their body."""
    own = Person.objects.filter(pk=user.person_id) if user.person_id else Person.objects.none()
    if access.can(user, "declaration.declare_for_others"):
        return access.writable(user, Person) | own
    return own


class CleanedModelSerializer(serializers.ModelSerializer):
    """Runs the model's `clean()` on the record as it would be saved."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        candidate = copy.copy(self.instance) if self.instance else model()
        for name, value in attrs.items():
            if not model._meta.get_field(name).many_to_many:
                setattr(candidate, name, value)
        self.prepare(candidate)
        try:
            candidate.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs

    def prepare(self, candidate) -> None:
        """Fill what the caller does not send (the body of a new person) before checking."""


def tag_list(**kwargs):
    return serializers.ListField(child=serializers.CharField(max_length=60), **kwargs)


class BodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = [
            "key",
            "abbreviation",
            "name",
            "jurisdictions",
            "place_types",
            "mandate_beyond_npm",
            "npm_unit",
            "is_coordinator",
        ]
        extra_kwargs = {"key": {"required": False}}

    place_types = tag_list(required=False)


class OrganisationSerializer(CleanedModelSerializer):
    parent = ScopedKey(Organisation, required=False, allow_null=True)
    works_at = ScopedKey(Establishment, many=True, required=False)

    class Meta:
        model = Organisation
        fields = ["key", "name", "parent", "sector", "works_at"]
        extra_kwargs = {"key": {"required": False}}


class EstablishmentSerializer(CleanedModelSerializer):
    operator = ScopedKey(Organisation, required=False, allow_null=True)
    visiting_bodies = ScopedKey(Body, many=True, required=False)

    class Meta:
        model = Establishment
        fields = ["key", "name", "type", "operator", "region", "jurisdiction", "visiting_bodies"]
        extra_kwargs = {"key": {"required": False}}


class PersonSerializer(CleanedModelSerializer):
    body = serializers.SlugRelatedField(slug_field="key", read_only=True)
    reports_to = ScopedKey(Person, required=False, allow_null=True)
    expertise = tag_list(required=False)
    languages = tag_list(required=False)
    skills = serializers.ListField(
        child=serializers.ChoiceField(choices=codes.APT_SKILLS), required=False
    )

    class Meta:
        model = Person
        fields = [
            "key",
            "body",
            "name",
            "email",
            "category",
            "npm_role",
            "unit",
            "expertise",
            "languages",
            "skills",
            "gender",
            "home_region",
            "can_lead",
            "leadership",
            "reports_to",
            "reports_to_origin",
            "full_time_npm",
            "npm_share",
            "joined",
            "left",
            "term_start",
            "term_end",
            "term_appointing_process",
            "term_renewable",
            "max_visits",
            "max_days",
        ]
        # no uniqueness check on the key as sent: it is namespaced first (validate_key)
        extra_kwargs = {"key": {"required": False, "validators": []}}

    def validate_key(self, value: str) -> str:
        """Under the owning body's code, and unique among the register's keys."""
        if not value:
            return value
        body = self.instance.body if self.instance else self.context["request"].user.body
        if body is None:
            raise serializers.ValidationError(_("Only a body's manager names its people."))
        key = in_namespace(body.key, value)
        clash = Person.objects.filter(key=key)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                _("%(key)r is already used in your body.") % {"key": key}
            )
        return key

    def prepare(self, candidate) -> None:
        if candidate.body_id is None:
            candidate.body_id = self.context["request"].user.body_id


class SecondmentSerializer(CleanedModelSerializer):
    person = ScopedKey(Person, write=True)
    origin = ScopedKey(Organisation, required=False, allow_null=True)
    origin_establishment = ScopedKey(Establishment, required=False, allow_null=True)
    return_establishment = ScopedKey(Establishment, required=False, allow_null=True)

    class Meta:
        model = Secondment
        fields = [
            "id",
            "person",
            "origin",
            "origin_establishment",
            "return_establishment",
            "start",
            "end",
            "open_process",
            "published_criteria",
            "inclusive",
            "merit_based",
            "justification",
        ]

    def validate(self, attrs):
        # A new recruitment record answers both questions (UK-11; APT: seconded
        # officials); an older one may stay unanswered, which is not judged.
        if self.instance is None:
            missing = {
                name: ["Answer true or false for a new recruitment record."]
                for name in ("inclusive", "merit_based")
                if attrs.get(name) is None
            }
            if missing:
                raise serializers.ValidationError(missing)
        return super().validate(attrs)


class AffiliationSerializer(CleanedModelSerializer):
    person = ScopedKey(Person, write=declarable_people)
    establishment = ScopedKey(Establishment, required=False, allow_null=True)
    organisation = ScopedKey(Organisation, required=False, allow_null=True)

    class Meta:
        model = Affiliation
        fields = [
            "id",
            "person",
            "kind",
            "establishment",
            "organisation",
            "role",
            "detail",
            "with_role",
            "start",
            "end",
            "on_leave",
            "declared_at",
            "status",
            "proposed",
        ]
        read_only_fields = ["declared_at", "status", "proposed"]


class VisitSerializer(CleanedModelSerializer):
    body = serializers.SlugRelatedField(slug_field="key", read_only=True)
    establishment = ScopedKey(Establishment)
    partner_bodies = ScopedKey(Body, many=True, required=False)
    requires = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=20), required=False
    )

    class Meta:
        model = Visit
        fields = [
            "key",
            "body",
            "partner_bodies",
            "establishment",
            "start",
            "end",
            "type",
            "status",
            "team_size",
            "requires",
            "min_women",
            "needs_lead",
        ]
        # made by the server (random): a key chosen by the client answered "already
        # exists" for another body's unannounced visit (issue 12, finding 4)
        read_only_fields = ["key"]

    def prepare(self, candidate) -> None:
        if candidate.body_id is None:
            candidate.body_id = self.context["request"].user.body_id

    def validate(self, attrs):
        from armslength.visits.services import partner_bodies_problem

        attrs = super().validate(attrs)
        instance = getattr(self, "instance", None)
        lead = instance.body_id if instance else self.context["request"].user.body_id
        problem = partner_bodies_problem(lead, attrs.get("partner_bodies") or [])
        if problem:
            raise serializers.ValidationError({"partner_bodies": problem})
        return attrs


class AssignmentSerializer(serializers.ModelSerializer):
    """Adding someone to a team: the conflict engine decides, exactly as in the web app.

    On a joint visit each body adds its own people; another body's team member is
    shown by name and role only (SPEC "Who sees what"), without the engine's verdict.
    """

    visit = ScopedKey(Visit)
    person = ScopedKey(Person)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "visit",
            "person",
            "role",
            "verdict",
            "reasons",
            "policy_version",
            "added_at",
            "accepted_at",
        ]
        read_only_fields = [
            "verdict",
            "reasons",
            "policy_version",
            "added_at",
            "accepted_at",
        ]

    #: what the engine said about the person: for their own body only
    ASSESSMENT = ("verdict", "reasons", "policy_version", "accepted_at")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not access.may(request.user, "see_assessment", instance):
            data.update({name: None for name in self.ASSESSMENT})
            data["person_name"] = instance.person.name
            return data
        # the verdict as it is now (with any approved override), as the team table shows
        # it, not the one stored when the member was added: a new tie shows at once
        from armslength.screening.services import screen_register
        from armslength.visits.services import visit_verdict

        if "screening" not in self.context:
            self.context["screening"] = screen_register()
        now = visit_verdict(self.context["screening"], instance.visit, instance.person)
        data["verdict"] = now.verdict.code
        data["reasons"] = [r.as_json() for r in now.reasons]
        return data


class PlaceRequestSerializer(serializers.ModelSerializer):
    """A lead body's request to a partner body for places on a joint visit's team."""

    visit = ScopedKey(Visit)
    body = ScopedKey(Body)
    filled = serializers.SerializerMethodField()

    class Meta:
        model = PlaceRequest
        fields = [
            "id",
            "visit",
            "body",
            "places",
            "expertise",
            "status",
            "filled",
            "requested_at",
            "filled_at",
        ]
        read_only_fields = ["status", "filled", "requested_at", "filled_at"]
        extra_kwargs = {"places": {"min_value": 1, "max_value": 50}}

    def get_filled(self, obj) -> int:
        from armslength.visits.services import place_request_filled

        return place_request_filled(obj)


class FindingSerializer(serializers.ModelSerializer):
    # NPM-wide findings name no body, body-wide ones no person
    body = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    person = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)

    class Meta:
        model = FindingRecord
        fields = [
            "id",
            "rule",
            "severity",
            "body",
            "person",
            "text",
            "cites",
            "action",
            "due",
            "opened_at",
            "closed_at",
        ]


class ReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    verdict = serializers.CharField()
    cites = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField()


class VerdictSerializer(serializers.Serializer):
    person = serializers.CharField()
    establishment = serializers.CharField()
    visit = serializers.CharField(allow_null=True)
    verdict = serializers.ChoiceField(choices=codes.VERDICTS)
    reasons = ReasonSerializer(many=True)


class ReportTableSerializer(serializers.Serializer):
    section = serializers.CharField()
    key = serializers.CharField()
    title = serializers.CharField()
    cites = serializers.ListField(child=serializers.CharField())
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True))
    )


class ReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField(allow_null=True)
    provisional = serializers.BooleanField()
    tables = ReportTableSerializer(many=True)


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)
    status = serializers.IntegerField()


class OverrideSerializer(serializers.ModelSerializer):
    """Asking to lower a verdict for one visit; a second manager decides (`/decide/`)."""

    # any visit the caller reads: who may ask is `override.request` (the view), as on the web
    visit = ScopedKey(Visit)
    person = ScopedKey(Person)
    verdict_to = serializers.ChoiceField(choices=[("declared", "declared"), ("clear", "clear")])
    requested_by = serializers.StringRelatedField(allow_null=True)
    decided_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Override
        fields = [
            "id",
            "visit",
            "person",
            "verdict_from",
            "verdict_to",
            "reason",
            "policy_version",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = [
            "verdict_from",
            "policy_version",
            "status",
            "requested_at",
            "decided_at",
        ]


class OverrideDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approved", "approved"), ("refused", "refused")])


class AssessmentSerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(slug_field="key", read_only=True)
    signed_off_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Assessment
        fields = ["id", "person", "date", "next_review", "signed_off_at", "signed_off_by"]
        read_only_fields = fields
