"""Sign-in backends that refuse the accounts of people who have left.

Django asks `user_can_authenticate` both when someone signs in and, through
`get_user`, on every request of a signed-in session; so a leaver's open
session ends on their leaving date too, not at the next daily job.
"""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model


def account_usable(user) -> bool:
    """An account that may be used now: active, and its person has not left."""
    return bool(user is not None and user.is_active and not user.has_left())


class ModelBackend(backends.ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return account_usable(user)

    def get_user(self, user_id):
        # the person comes with the account: the leaving date is read on every request
        users = get_user_model()._default_manager.select_related("person", "body")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
