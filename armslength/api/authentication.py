"""`Authorization: Bearer <token>` for the API, checked against the stored hash."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from armslength.api.models import ApiToken, digest

#: how often last_used_at is written (a busy client must not write on every call)
TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send 'Authorization: Bearer <token>'.")
        secret = header[1].decode(errors="replace")
        token = (
            ApiToken.objects.select_related("user", "user__body", "user__person")
            .filter(digest=digest(secret))
            .first()
        )
        if token is None or not token.active:
            raise exceptions.AuthenticationFailed("This token is unknown or has been revoked.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This account is disabled.")
        if token.user.has_left():
            # from the leaving date on, as at sign-in (accounts/backends.py)
            raise exceptions.AuthenticationFailed("This account's person has left the body.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "armslength.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
