from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "armslength.api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from armslength.api.models import ApiToken

        # Creating and revoking a token is on the audit trail; the digest is not.
        auditlog.register(ApiToken, exclude_fields=["digest", "last_used_at"])
