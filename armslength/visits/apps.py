from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "armslength.visits"
    verbose_name = "Visits"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from armslength.visits.models import (
            Assignment,
            Override,
            PlaceRequest,
            PlanningRun,
            Unavailability,
            Visit,
            VisitAlert,
        )

        auditlog.register(Visit, m2m_fields={"partner_bodies"})
        auditlog.register(Override)
        auditlog.register(VisitAlert)
        auditlog.register(Assignment)
        auditlog.register(Unavailability)
        auditlog.register(PlaceRequest)
        auditlog.register(PlanningRun, include_fields=["status", "cancel_requested"])
