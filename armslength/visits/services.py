"""Visit-side consequences of changes elsewhere in the register."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from armslength.accounts.models import Role, User
from armslength.engine.verdicts import Verdict
from armslength.register.models import Person
from armslength.screening.services import screen_register
from armslength.visits.models import Visit, VisitAlert, VisitStatus


def visit_alerts_for_person(*, person: Person) -> list[VisitAlert]:
    """After a late declaration (or any new fact about a person): alert the managers of
    every upcoming visit of the person's body for which the person is no longer clear.

    One open alert per visit and person; the managers of the lead body get an email.
    """
    today = timezone.localdate()
    visits = (
        Visit.objects.filter(
            Q(body=person.body_id) | Q(partner_bodies=person.body_id),
            status__in=[VisitStatus.PLANNED, VisitStatus.CONFIRMED],
            end__gte=today,
        )
        .distinct()
        .select_related("establishment", "body")
    )
    if not visits:
        return []
    screening = screen_register()
    raised = []
    for visit in visits:
        result = screening.for_pair(person.key, visit.establishment.key, visit.start, visit.end)
        if result.verdict == Verdict.CLEAR:
            continue
        if VisitAlert.objects.filter(
            visit=visit, person=person, resolved_at__isnull=True, verdict=result.verdict.code
        ).exists():
            continue
        text = "; ".join(f"{r.text} ({', '.join(r.cites)})" for r in result.reasons)
        alert = VisitAlert.objects.create(
            visit=visit, person=person, verdict=result.verdict.code, text=text
        )
        raised.append(alert)
        managers = User.objects.filter(role=Role.MANAGER, body=visit.body_id, is_active=True)
        addresses = [m.email for m in managers if m.email]
        if addresses:
            send_mail(
                subject=f"Visit {visit}: {person.name} is now {result.verdict.code}",
                message=(
                    f"A new declaration or fact makes {person.name} "
                    f"{result.verdict.code.replace('_', ' ')} for the visit to "
                    f"{visit.establishment.name} ({visit.start} to {visit.end}).\n\n"
                    f"{text}\n\n{settings.SITE_URL.rstrip('/')}{visit.get_absolute_url()}"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=addresses,
            )
    return raised
