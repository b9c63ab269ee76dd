"""Optional OpenID Connect sign-in, for bodies whose staff already have a directory.

Off unless `OIDC_RP_CLIENT_ID` is set (README "Configuration"). The directory
proves who someone is; armslength still decides what they may do: it signs
in only an existing, active account with the same email address (never
creates one, never picks between two), and the second factor is still asked
of the roles that need it.
"""

from __future__ import annotations

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from armslength.accounts.backends import account_usable


class OIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        users = self.UserModel.objects.filter(email__iexact=email, is_active=True)
        return users.exclude(pk__in=[u.pk for u in users if not account_usable(u)])

    def user_can_authenticate(self, user) -> bool:
        return account_usable(user)

    def get_user(self, user_id):
        # the library's own get_user checks nothing: a leaver's session must end on the day
        user = super().get_user(user_id)
        return user if user is not None and account_usable(user) else None

    def create_user(self, claims):  # accounts are made by the coordinator and managers
        return None
