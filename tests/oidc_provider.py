"""A test double of an OpenID Connect provider (authorization code flow, HS256 id tokens).

Served by the live test server beside the app (tests/oidc_urls.py), so the
app's sign-in really calls it over HTTP: the authorize redirect, the token
request from server to server, and the userinfo request.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlencode

import jwt
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect, JsonResponse
from django.views.decorators.csrf import csrf_exempt

CLIENT_ID = "armslength-test"
CLIENT_SECRET = "provider-shared-secret-for-tests-only"
#: who signs in at the provider next (the test sets it, as a person would type it)
DIRECTORY = {"email": "alice@example.org", "email_verified": True}
_CODES: dict[str, dict] = {}
_TOKENS: dict[str, dict] = {}


@login_not_required
def authorize(request):
    assert request.GET["client_id"] == CLIENT_ID and request.GET["response_type"] == "code"
    code = secrets.token_urlsafe(12)
    _CODES[code] = {"nonce": request.GET.get("nonce"), "claims": dict(DIRECTORY)}
    query = urlencode({"code": code, "state": request.GET["state"]})
    return HttpResponseRedirect(f"{request.GET['redirect_uri']}?{query}")


@csrf_exempt
@login_not_required
def token(request):
    grant = _CODES.pop(request.POST.get("code", ""), None)
    if grant is None or request.POST.get("client_secret") != CLIENT_SECRET:
        return JsonResponse({"error": "invalid_grant"}, status=400)
    now = int(time.time())
    claims = {
        "iss": request.build_absolute_uri("/fake-op/"),
        "aud": CLIENT_ID,
        "sub": grant["claims"]["email"],
        "iat": now,
        "exp": now + 300,
        "nonce": grant["nonce"],
    }
    access = secrets.token_urlsafe(12)
    _TOKENS[access] = grant["claims"]
    return JsonResponse(
        {
            "id_token": jwt.encode(claims, CLIENT_SECRET, algorithm="HS256"),
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 300,
        }
    )


@login_not_required
def userinfo(request):
    access = request.headers.get("Authorization", "").removeprefix("Bearer ")
    claims = _TOKENS.get(access)
    if claims is None:
        return JsonResponse({"error": "invalid_token"}, status=401)
    return JsonResponse({"sub": claims["email"], **claims})
