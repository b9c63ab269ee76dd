from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "armslength.compliance"
    verbose_name = "Secondee safeguards"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from armslength.compliance import models
        from armslength.compliance.services import findings_after_facts
        from armslength.core.hooks import on_facts_changed

        auditlog.register(models.Assessment, m2m_fields={"cleared_organisations"})
        # Supervision notes and interference reports are confidential: the trail
        # records who changed them and when, not their words.
        auditlog.register(
            models.Supervision,
            mask_fields=["notes"],
            mask_callable="armslength.core.access_log.masked",
        )
        auditlog.register(models.Acknowledgement)
        auditlog.register(models.AcknowledgementText)
        auditlog.register(models.RecruitmentRecord)
        auditlog.register(models.InterferenceReport, exclude_fields=["what", "by_whom", "action"])
        auditlog.register(models.InterferenceAction, mask_fields=["text"])
        auditlog.register(models.DeclarationRound)
        auditlog.register(models.RoundResponse)
        # findings follow every change of the facts they are computed from
        on_facts_changed(findings_after_facts, order=10)
