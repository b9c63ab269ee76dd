from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "armslength.api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from armslength.api.models import ApiToken

        # Creating and revoking a token is on the audit trail; the digest is not.
        auditlog.register(ApiToken, exclude_fields=["digest", "last_used_at"])

        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        pre_save.connect(revoke_tokens_on_role_or_password_change, sender=get_user_model())


def revoke_tokens_on_role_or_password_change(sender, instance, **kwargs) -> None:
    """A token carries its owner's rights as they were: when the role or the password
    changes, every token of the account stops working (issue 12, finding 9: a staff
    token kept working, without 2FA, after the account became a manager's)."""
    if instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values("role", "password").first()
    if before is None:
        return
    if before["role"] != instance.role or before["password"] != instance.password:
        from django.utils import timezone

        from armslength.api.models import ApiToken

        ApiToken.objects.filter(user_id=instance.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
