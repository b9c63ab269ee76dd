"""Search and filters of the register's list pages."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from armslength.core import access, labels
from armslength.core.forms import AnyYesNoSelect
from armslength.engine import codes
from armslength.register.models import (
    Body,
    Establishment,
    Expertise,
    Organisation,
    Person,
    Secondment,
    TrainingRecord,
)


class SearchFilterSet(filters.FilterSet):
    """A FilterSet with a free-text `q` over `search_fields`."""

    search_fields: tuple[str, ...] = ("name",)
    q = filters.CharFilter(label=_("Search"), method="search")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Choice filters offer only rows the user may read (same rule as forms).
        for flt in self.filters.values():
            queryset = flt.extra.get("queryset")
            if queryset is not None and request is not None:
                # django-filter builds the field from `flt.queryset`, so set both
                flt.queryset = flt.extra["queryset"] = self._offered(request.user, queryset)

    def _offered(self, user, queryset):
        """What a choice filter may offer: rows the user reads, and for the owning body,
        only bodies whose rows of this list the user reads (a manager sees their own
        body, not all 21)."""
        queryset = queryset & access.readable(user, queryset.model)
        model = self._meta.model
        if queryset.model is Body and model is not Body:
            try:
                lookup = access.policy_for(model).body
            except LookupError:
                lookup = None
            if lookup:
                rows = access.readable(user, model).values(lookup)
                queryset = queryset.filter(pk__in=rows)
        return queryset

    def search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(condition)


class BodyFilterSet(SearchFilterSet):
    search_fields = ("name", "abbreviation", "jurisdictions")

    class Meta:
        model = Body
        fields = ["q"]


class OrganisationFilterSet(SearchFilterSet):
    sector = filters.ChoiceFilter(choices=labels.choices(codes.SECTORS))
    parent = filters.ModelChoiceFilter(queryset=Organisation.objects.all())

    class Meta:
        model = Organisation
        fields = ["q", "sector", "parent"]


def place_type_choices() -> list[tuple[str, str]]:
    """The types establishments have, by name (the NPM's list first, then any other)."""
    used = set(Establishment.objects.values_list("type", flat=True).distinct())
    known = [(code, labels.label(label)) for code, label in codes.PLACE_TYPES if code in used]
    other = sorted(t for t in used - {c for c, _l in codes.PLACE_TYPES} if t)
    return known + [(t, labels.place_type(t)) for t in other]


class EstablishmentFilterSet(SearchFilterSet):
    search_fields = ("name", "key", "region", "type")
    type = filters.ChoiceFilter(choices=lambda: place_type_choices(), label=_("Type"))
    # typed, not a list: a national register has hundreds of operators, and a select of
    # them all made this the slowest page under load
    operator = filters.CharFilter(label=_("Operator (name or key)"), method="filter_operator")
    region = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Establishment
        fields = ["q", "type", "operator", "region", "jurisdiction"]

    def filter_operator(self, queryset, name, value):
        return queryset.filter(Q(operator__name__icontains=value) | Q(operator__key=value))


class PersonFilterSet(SearchFilterSet):
    search_fields = ("name", "email", "unit", "key")
    category = filters.ChoiceFilter(choices=labels.choices(codes.CATEGORIES))
    npm_role = filters.ChoiceFilter(
        choices=(*labels.choices(codes.NPM_ROLES), ("", _("Not set"))),
        method="filter_npm_role",
        empty_label=_("Any"),
    )
    gender = filters.ChoiceFilter(choices=labels.choices(codes.GENDERS))
    current = filters.BooleanFilter(
        label=_("Currently in post"), method="filter_current", widget=AnyYesNoSelect
    )
    body = filters.ModelChoiceFilter(queryset=Body.objects.all())

    class Meta:
        model = Person
        fields = ["q", "body", "category", "npm_role", "gender", "current"]

    def filter_npm_role(self, queryset, name, value):
        return queryset.filter(npm_role=value)

    def filter_current(self, queryset, name, value):
        today = timezone.localdate()
        current = Q(left__isnull=True) | Q(left__gt=today)
        return queryset.filter(current) if value else queryset.exclude(current)


class SecondmentFilterSet(SearchFilterSet):
    search_fields = ("person__name", "origin__name", "origin_establishment__name")
    origin = filters.ModelChoiceFilter(queryset=Organisation.objects.all())
    current = filters.BooleanFilter(
        label=_("Current"), method="filter_current", widget=AnyYesNoSelect
    )

    class Meta:
        model = Secondment
        fields = ["q", "origin", "current"]

    def filter_current(self, queryset, name, value):
        today = timezone.localdate()
        current = (Q(start__isnull=True) | Q(start__lte=today)) & (
            Q(end__isnull=True) | Q(end__gte=today)
        )
        return queryset.filter(current) if value else queryset.exclude(current)


class TrainingRecordFilterSet(SearchFilterSet):
    search_fields = ("person__name", "title", "provider")

    class Meta:
        model = TrainingRecord
        fields = ["q", "skill"]


class ExpertiseFilterSet(SearchFilterSet):
    search_fields = ("label", "code")

    class Meta:
        model = Expertise
        fields = ["q"]
