import django_filters as filters

from armslength.compliance.models import (
    Acknowledgement,
    AcknowledgementText,
    Assessment,
    DeclarationRound,
    InterferenceReport,
    RecruitmentRecord,
    Supervision,
)
from armslength.core import labels
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
    kind = filters.ChoiceFilter(choices=labels.choices(codes.ACKNOWLEDGEMENT_KINDS))

    class Meta:
        model = Acknowledgement
        fields = ["q", "kind"]


class RecruitmentRecordFilterSet(SearchFilterSet):
    search_fields = ("person__name", "post")

    class Meta:
        model = RecruitmentRecord
        fields = ["q"]


class InterferenceReportFilterSet(SearchFilterSet):
    search_fields = ("person__name", "by_whom")

    class Meta:
        model = InterferenceReport
        fields = ["q", "kind", "status"]


class DeclarationRoundFilterSet(SearchFilterSet):
    class Meta:
        model = DeclarationRound
        fields = ["q", "closed"]


class AcknowledgementTextFilterSet(SearchFilterSet):
    search_fields = ("version", "text")
    kind = filters.ChoiceFilter(choices=labels.choices(codes.ACKNOWLEDGEMENT_KINDS))

    class Meta:
        model = AcknowledgementText
        fields = ["q", "kind"]
