from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "armslength.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from armslength.core import policies  # noqa: F401  (declares who reads and writes what)
