"""One shape for every API error: {"errors": [{"field": ..., "message": ...}]}.

`field` is the input field at fault, or null for an error about the request
as a whole; a client can show each message next to its field.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler


def _flatten(detail, field=None) -> list[dict]:
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__", "detail") else key
            nested = f"{field}.{name}" if field and name else (name or field)
            items += _flatten(value, nested)
        return items
    if isinstance(detail, list):
        items = []
        for value in detail:
            items += _flatten(value, field)
        return items
    return [{"field": field, "message": str(detail)}]


def handle(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found (or not yours to see).")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    body = {"errors": _flatten(response.data), "status": response.status_code}
    return Response(body, status=response.status_code, headers=_headers(response))


def _headers(response) -> dict:
    keep = ("WWW-Authenticate", "Retry-After", "Allow")
    return {k: response[k] for k in keep if response.has_header(k)}
