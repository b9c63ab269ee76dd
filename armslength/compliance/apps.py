from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "armslength.compliance"
    verbose_name = "Secondee safeguards"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from armslength.compliance.models import Acknowledgement, Assessment, Supervision

        auditlog.register(Assessment, m2m_fields={"cleared_organisations"})
        auditlog.register(Supervision)
        auditlog.register(Acknowledgement)
