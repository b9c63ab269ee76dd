"""Tables of the register's list pages."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from armslength.core import labels
from armslength.core.tables import ExpertiseColumn
from armslength.register.models import (
    Body,
    Establishment,
    Expertise,
    Organisation,
    Person,
    Secondment,
    TrainingRecord,
)


class BodyTable(tables.Table):
    abbreviation = tables.Column(linkify=True)

    class Meta:
        model = Body
        fields = ("abbreviation", "name", "jurisdictions", "is_coordinator")


class OrganisationTable(tables.Table):
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)

    class Meta:
        model = Organisation
        fields = ("name", "sector", "parent", "key")


class EstablishmentTable(tables.Table):
    name = tables.Column(linkify=True)
    operator = tables.Column(linkify=True)

    def render_type(self, value):
        return labels.place_type(value)

    def value_type(self, value):
        return value

    class Meta:
        model = Establishment
        fields = ("name", "type", "operator", "region", "jurisdiction")


class PersonTable(tables.Table):
    name = tables.Column(linkify=True)
    body = tables.Column(accessor="body__abbreviation", verbose_name=_("Body"))
    expertise = ExpertiseColumn(orderable=False)

    class Meta:
        model = Person
        fields = ("name", "body", "category", "npm_role", "unit", "expertise", "joined", "left")


class SecondmentTable(tables.Table):
    person = tables.Column(linkify=True)
    origin = tables.Column(linkify=True)
    period = tables.Column(accessor="start", verbose_name=_("Period"))
    detail = tables.LinkColumn(
        "register:secondment_detail",
        args=[tables.A("pk")],
        text=_("Open"),
        orderable=False,
        verbose_name="",
        exclude_from_export=True,
    )

    class Meta:
        model = Secondment
        fields = ("person", "origin", "origin_establishment", "return_establishment", "period")

    def render_period(self, record):
        return record.period()

    def value_period(self, record):
        return record.period()


class TrainingRecordTable(tables.Table):
    title = tables.Column(linkify=True)
    person = tables.Column(linkify=True)

    class Meta:
        model = TrainingRecord
        fields = ("title", "person", "skill", "completed", "provider")


class ExpertiseTable(tables.Table):
    label = tables.Column(linkify=True)

    class Meta:
        model = Expertise
        fields = ("label", "code")
