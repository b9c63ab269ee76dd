from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegisterConfig(AppConfig):
    name = "armslength.register"
    verbose_name = "Register"

    def ready(self) -> None:
        from armslength.register import audit  # noqa: F401  (registers models with the audit log)

        post_migrate.connect(seed_expertise, sender=self)


def seed_expertise(sender, using="default", **kwargs) -> None:
    """An empty list of expertise gets the kinds an NPM starts with (codes.EXPERTISE).

    Run after every migrate and after a database is flushed (tests), so the
    list is never empty; once it holds anything, it is the coordinator's and is
    left alone.
    """
    from armslength.engine import codes
    from armslength.register.models import Expertise

    if Expertise.objects.using(using).exists():
        return
    Expertise.objects.using(using).bulk_create(
        [Expertise(code=code, label=label) for code, label in codes.EXPERTISE]
    )
