from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "armslength.register"
    verbose_name = "Register"

    def ready(self) -> None:
        from armslength.register import audit  # noqa: F401  (registers models with the audit log)
