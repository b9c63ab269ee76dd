from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "armslength.visits"
    verbose_name = "Visits"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from armslength.core.hooks import on_facts_changed
        from armslength.visits.models import (
            Assignment,
            Override,
            PlaceRequest,
            PlanningRun,
            Unavailability,
            Visit,
            VisitAlert,
        )
        from armslength.visits.services import visit_alerts_after_facts

        auditlog.register(Visit, m2m_fields={"partner_bodies"})
        auditlog.register(Override)
        auditlog.register(VisitAlert)
        auditlog.register(Assignment)
        auditlog.register(Unavailability)
        auditlog.register(PlaceRequest)
        auditlog.register(PlanningRun, include_fields=["status", "cancel_requested"])
        # a new declaration or secondment, from any door, alerts the visits it affects
        on_facts_changed(visit_alerts_after_facts, order=60)
