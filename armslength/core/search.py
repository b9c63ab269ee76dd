"""One search box over people, establishments, organisations and visits.

Each kind is searched through its own list page's filter set on the rows
`access.readable()` gives the reader, so the search finds exactly what the
lists would show: another body's person, an unannounced visit the reader is
not told of, and (for the coordinator) any person at all stay out. The filter
sets search names, keys and units only, never special-category fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from armslength.core import access

#: results shown per kind; the list page behind "all N" has the rest
LIMIT = 10


@dataclass
class Group:
    title: str
    rows: list
    total: int
    more_url: str


def _kinds():
    from armslength.register.filters import (
        EstablishmentFilterSet,
        OrganisationFilterSet,
        PersonFilterSet,
    )
    from armslength.register.models import Establishment, Organisation, Person
    from armslength.visits.models import Visit
    from armslength.visits.views import VisitFilterSet

    return [
        (gettext_lazy("People"), Person, PersonFilterSet, "register:person_list", ("body",)),
        (gettext_lazy("Visits"), Visit, VisitFilterSet, "visits:visit_list", ("establishment",)),
        (
            gettext_lazy("Establishments"),
            Establishment,
            EstablishmentFilterSet,
            "register:establishment_list",
            ("operator",),
        ),
        (
            gettext_lazy("Organisations"),
            Organisation,
            OrganisationFilterSet,
            "register:organisation_list",
            ("parent",),
        ),
    ]


def search(user, query: str) -> list[Group]:
    """What `user` may see that matches `query`, by kind; empty kinds left out."""
    query = query.strip()[:100]
    if len(query) < 2:
        return []
    groups = []
    for title, model, filterset_class, list_name, related in _kinds():
        if not access.can_list(user, model):
            continue
        qs = access.readable(user, model).select_related(*related)
        filterset = filterset_class({"q": query}, queryset=qs, request=_Request(user))
        if not filterset.is_valid():
            continue
        found = filterset.qs
        total = found.count()
        if total:
            url = f"{reverse(list_name)}?q={_quote(query)}"
            groups.append(Group(str(title), list(found[:LIMIT]), total, url))
    return groups


class _Request:
    """What a filter set needs of a request: the reader."""

    def __init__(self, user):
        self.user = user


def _quote(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text)


class SearchView(View):
    def get(self, request):
        query = request.GET.get("q", "")
        groups = search(request.user, query)
        context = {
            "search_query": query,
            "groups": groups,
            "too_short": 0 < len(query.strip()) < 2,
            "sees_people": access.can_list(request.user, _person_model()),
            "title": _("Search"),
        }
        return render(request, "core/search.html", context)


def _person_model():
    from armslength.register.models import Person

    return Person
