from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "armslength.declarations"
    verbose_name = "Declarations"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from armslength.declarations.models import Affiliation

        auditlog.register(Affiliation)
