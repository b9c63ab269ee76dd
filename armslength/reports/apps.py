from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "armslength.reports"
    verbose_name = "Annual report"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from armslength.reports.models import Narrative, Snapshot

        # A re-taken snapshot keeps the figures it replaced in the audit trail.
        auditlog.register(Snapshot)
        auditlog.register(Narrative)
