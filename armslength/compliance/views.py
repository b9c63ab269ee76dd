"""Secondee safeguard records: assessments, supervisions, acknowledgements."""

from armslength.compliance import filters, forms, tables
from armslength.compliance.models import Acknowledgement, Assessment, Supervision
from armslength.core.views import record_views


def _assessor_is_the_manager(request, assessment) -> None:
    assessment.assessor = request.user


assessment_views = record_views(
    Assessment,
    namespace="compliance",
    form_class=forms.AssessmentForm,
    table_class=tables.AssessmentTable,
    filterset_class=filters.AssessmentFilterSet,
    select_related=("person", "assessor"),
    initial_from_query=("person",),
    prepare_new=_assessor_is_the_manager,
)
supervision_views = record_views(
    Supervision,
    namespace="compliance",
    form_class=forms.SupervisionForm,
    table_class=tables.SupervisionTable,
    filterset_class=filters.SupervisionFilterSet,
    select_related=("person",),
    initial_from_query=("person",),
)
acknowledgement_views = record_views(
    Acknowledgement,
    namespace="compliance",
    form_class=forms.AcknowledgementForm,
    table_class=tables.AcknowledgementTable,
    filterset_class=filters.AcknowledgementFilterSet,
    select_related=("person",),
    initial_from_query=("person", "kind"),
)
