import django_tables2 as tables

from armslength.compliance.models import (
    Acknowledgement,
    AcknowledgementText,
    Assessment,
    DeclarationRound,
    InterferenceReport,
    RecruitmentRecord,
    Supervision,
)


class AssessmentTable(tables.Table):
    date = tables.Column(linkify=True)
    person = tables.Column(linkify=True)

    class Meta:
        model = Assessment
        fields = ("date", "person", "next_review", "assessor")


class SupervisionTable(tables.Table):
    date = tables.Column(linkify=True)
    person = tables.Column(linkify=True)

    class Meta:
        model = Supervision
        fields = ("date", "person", "supervisor")


class AcknowledgementTable(tables.Table):
    date = tables.Column(linkify=True)
    person = tables.Column(linkify=True)

    class Meta:
        model = Acknowledgement
        fields = ("date", "person", "kind", "text_version")


class RecruitmentRecordTable(tables.Table):
    person = tables.Column(linkify=True)
    post = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = RecruitmentRecord
        fields = ("person", "post", "advertised_on", "panel")


class InterferenceReportTable(tables.Table):
    date = tables.Column(linkify=True)
    person = tables.Column(linkify=True)

    class Meta:
        model = InterferenceReport
        fields = ("date", "person", "kind", "establishment", "status", "handler")


class DeclarationRoundTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = DeclarationRound
        fields = ("name", "body", "opened_on", "due_on", "closed")


class AcknowledgementTextTable(tables.Table):
    version = tables.Column(linkify=True)

    class Meta:
        model = AcknowledgementText
        fields = ("body", "kind", "version", "created_at")
