import django_tables2 as tables

from armslength.compliance.models import Acknowledgement, Assessment, Supervision


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
