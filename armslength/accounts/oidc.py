"""Optional OpenID Connect sign-in, for bodies whose staff already have a directory.

Off unless `OIDC_RP_CLIENT_ID` is set (README "Configuration"). The directory
proves who someone is; armslength still decides what they may do: it signs
in only an existing, active account with the same email address (never
creates one, never picks between two), and the second factor is still asked
of the roles that need it.
"""

from __future__ import annotations

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class OIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):  # accounts are made by the coordinator and managers
        return None
