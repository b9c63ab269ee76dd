from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "armslength.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from armslength.accounts.models import User

        auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields=set())
