"""Request guards: sign-in everywhere but the API (which checks tokens), no NUL characters."""

from __future__ import annotations

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
OIDC_PREFIX = "/oidc/"


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(API_PREFIX):
            return None  # DRF authenticates (token or session) and refuses with 401 itself
        if request.path_info.startswith(OIDC_PREFIX):
            return None  # the directory sign-in round trip, before anyone is signed in
        return super().process_view(request, view_func, view_args, view_kwargs)


class BoundedBody:
    """A request body larger than MAX_REQUEST_BYTES is refused from its declared length,
    before anything reads it (issue 12, finding 6): no page takes more than a 20 MB
    spreadsheet, and reading a larger body would hold a worker for nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            message = _("The request is larger than the limit of %(mb)d MB.") % {
                "mb": limit // 2**20
            }
            if request.path_info.startswith(API_PREFIX):
                return JsonResponse(
                    {"errors": [{"field": None, "message": message}], "status": 413}, status=413
                )
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"  # the unread body is not waited for
            return response
        return self.get_response(request)


NUL_MESSAGE = "The request contains a NUL character, which no field accepts."


class RejectNulCharacters:
    """A NUL character is never meaningful input, and PostgreSQL cannot store or compare it.

    Found by fuzzing the API: a NUL in a key made the database raise (a 500).
    Refusing it here, for every page and endpoint, answers 400 instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            if request.path_info.startswith(API_PREFIX):
                return JsonResponse(
                    {"errors": [{"field": None, "message": NUL_MESSAGE}], "status": 400},
                    status=400,
                )
            return HttpResponseBadRequest(NUL_MESSAGE)
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path_info:
        return True
    if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # form fields only: an uploaded file may hold any bytes; its importer checks it
        return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.POST.lists())
    if content_type.endswith("json"):
        return b"\\u0000" in request.body or b"\x00" in request.body
    return False


SECOND_STEP_EXEMPT = ("/2fa/", "/login/", "/logout/", "/language/", "/static/")


class SecondFactorRequired:
    """After the password, roles that see others' data must pass the second step (2FA)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from armslength.accounts.twofactor import needs_second_step

        user = getattr(request, "user", None)
        path = request.path_info
        if user is not None and not path.startswith(SECOND_STEP_EXEMPT) and needs_second_step(user):
            if path.startswith(API_PREFIX):
                message = "Finish signing in (second step) or use an API token."
                return JsonResponse(
                    {"errors": [{"field": None, "message": message}], "status": 401}, status=401
                )
            return HttpResponseRedirect(f"/2fa/?next={quote(request.get_full_path())}")
        return self.get_response(request)


#: how often a session's expiry is pushed back (not on every request: that is a write each time)
SESSION_RENEW_SECONDS = 60


class SlidingSession:
    """Idle sessions end (SESSION_COOKIE_AGE), active ones do not.

    Each request more than a minute after the last renewal saves the session
    again, which moves its expiry on; so a session ends between 30 and 31
    minutes after the last request, at one write a minute instead of one a request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get("_renewed", 0) >= SESSION_RENEW_SECONDS:
                session["_renewed"] = now
        return self.get_response(request)
