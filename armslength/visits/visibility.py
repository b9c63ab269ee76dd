"""Need-to-know for unannounced visits.

An unannounced visit only works if the establishment does not hear of it. So
its date, place and team are visible only to the team, the managers of the
bodies taking part, and auditors; and never to anyone outside the team who is
a secondee, or whose own verdict for that establishment is not clear (a
manager whose sister works at the prison does not learn when it will be
inspected). This filter is part of the visits' access policy, so every list,
count, calendar, export, API response and email built on `core.access` obeys it.
"""

from __future__ import annotations

from django.db.models import Q

from armslength.accounts.models import Role
from armslength.engine.verdicts import Verdict

UNANNOUNCED = "unannounced"


def restrict_visits(user, qs):
    """The visits of `qs` that `user` may know of."""
    in_team = Q(assignments__person_id=user.person_id) if user.person_id else Q(pk__in=[])
    hidden = Q(type=UNANNOUNCED) & ~in_team
    if Role(user.role) == Role.MANAGER and not _barred(user):
        barred_places = _barred_establishments(user)
        if not barred_places:
            return qs
        hidden &= Q(establishment_id__in=barred_places)
    return qs.exclude(pk__in=qs.model.objects.filter(hidden).values("pk"))


def restrict_through_visit(user, qs):
    """Rows about a visit (its team, alerts, overrides) follow the visit's visibility."""
    from armslength.visits.models import Visit

    hidden = Visit.objects.filter(type=UNANNOUNCED).exclude(
        pk__in=restrict_visits(user, Visit.objects.filter(type=UNANNOUNCED)).values("pk")
    )
    return qs.exclude(visit__in=hidden)


def may_know(user, visit) -> bool:
    if visit.type != UNANNOUNCED or Role(user.role) == Role.AUDITOR:
        return True
    return restrict_visits(user, type(visit).objects.filter(pk=visit.pk)).exists()


def _barred(user) -> bool:
    """A manager who is (or is about to be) seconded knows of no unannounced visit outside
    their own team."""
    person = user.person
    if person is None:
        return False
    return person.category == "secondee" or person.is_secondee_on()


def _barred_establishments(user) -> set[int]:
    """Establishments for which the manager's own verdict is not clear."""
    if user.person_id is None:
        return set()
    from armslength.register.models import Establishment
    from armslength.screening.services import screen_register

    results = screen_register().for_people([user.person.key])
    keys = {r.establishment for r in results if r.verdict != Verdict.CLEAR}
    return set(Establishment.objects.filter(key__in=keys).values_list("pk", flat=True))
