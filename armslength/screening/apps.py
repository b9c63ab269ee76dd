from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "armslength.screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from armslength.screening.models import PolicyVersion

        auditlog.register(PolicyVersion)
