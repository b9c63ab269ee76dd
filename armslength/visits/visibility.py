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


def restrict_visit_alerts(user, qs):
    """An alert says why someone is not clear (a tie, a secondment): only the managers of
    that person's own body read it, whichever body leads the visit. A leaver's removal
    from the team is news for every body taking part."""
    from django.db.models import Q

    qs = restrict_through_visit(user, qs)
    return qs.filter(Q(person__body_id=user.body_id) | Q(verdict="left"))


def restrict_place_requests(user, qs):
    """Requests for places follow the visit's visibility, and a body taken off a joint
    visit reads none of the requests once asked of it (issue 18 probe)."""
    from armslength.visits.models import Visit

    qs = restrict_through_visit(user, qs)
    if not user.body_id:
        return qs
    still_partner = Visit.objects.filter(partner_bodies=user.body_id).values("pk")
    return qs.exclude(
        Q(body_id=user.body_id) & ~Q(visit__body_id=user.body_id) & ~Q(visit__in=still_partner)
    )


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


# --- joint visits ---------------------------------------------------------------------------
# SPEC "Who sees what": a joint visit is visible to the managers of every body taking part;
# they see the other bodies' team members by name and role only. Each body staffs and
# edits only its own people's places; what the engine says about a person (verdict,
# reasons, refusals, warnings) stays with that person's own body.


def visit_body_ids(visit) -> set[int]:
    """The lead body and the partner bodies of a visit."""
    return {visit.body_id, *visit.partner_bodies.values_list("pk", flat=True)}


def may_staff(user, visit) -> bool:
    """A manager of a body taking part adds their own people to the team."""
    return (
        Role(user.role) == Role.MANAGER
        and user.body_id is not None
        and user.body_id in visit_body_ids(visit)
    )


def may_request_places(user, visit) -> bool:
    """The lead body's managers ask partner bodies for places."""
    return (
        Role(user.role) == Role.MANAGER
        and user.body_id == visit.body_id
        and visit.partner_bodies.exists()
    )


def may_see_assessment(user, assignment) -> bool:
    """The engine's verdict and reasons about a team member: for the person themself,
    their own body's managers and auditors, never for the other bodies of a joint visit."""
    role = Role(user.role)
    if role == Role.AUDITOR:
        return True
    if role == Role.MANAGER:
        return user.body_id is not None and assignment.person.body_id == user.body_id
    return user.person_id is not None and assignment.person_id == user.person_id


def restrict_visit_history(user, entries):
    """A visit's history without the entries about another body's people (their
    assignments' verdicts, their refusals): those stamp `person_body` in their data."""
    from django.db.models import Q

    unstamped = ~Q(additional_data__has_key="person_body")
    if Role(user.role) == Role.MANAGER and user.body_id:
        return entries.filter(unstamped | Q(additional_data__person_body=user.body_id))
    return entries.filter(unstamped)
