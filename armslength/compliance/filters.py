import django_filters as filters

from armslength.compliance.models import Acknowledgement, Assessment, Supervision
from armslength.engine import codes
from armslength.register.filters import SearchFilterSet


class AssessmentFilterSet(SearchFilterSet):
    search_fields = ("person__name",)

    class Meta:
        model = Assessment
        fields = ["q"]


class SupervisionFilterSet(SearchFilterSet):
    search_fields = ("person__name", "supervisor")

    class Meta:
        model = Supervision
        fields = ["q"]


class AcknowledgementFilterSet(SearchFilterSet):
    search_fields = ("person__name",)
    kind = filters.ChoiceFilter(choices=codes.ACKNOWLEDGEMENT_KINDS)

    class Meta:
        model = Acknowledgement
        fields = ["q", "kind"]
