"""One shape for every API error: {"errors": [{"field": ..., "message": ...}]}.

`field` is the input field at fault, or null for an error about the request
as a whole; a client can show each message next to its field. A message never
repeats a long input back (a 100 kB value in a choice or a key was echoed whole):
the field is named, and where the field has a limit, the message names it.
"""

from __future__ import annotations

import contextlib

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


#: an input value longer than this is never repeated in an error message
ECHO_LIMIT = 80


def _long_inputs(request) -> list[str]:
    """The request's string values too long to repeat, longest first."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            if len(value) > ECHO_LIMIT:
                found.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)  # a key is input too (an expertise code in `requires`)
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    if request is None:
        return found
    # already parsed; a body that failed to parse holds no value to hide
    with contextlib.suppress(Exception):
        walk(request.data)
    for key in request.query_params:
        walk(request.query_params.getlist(key))
    return sorted(set(found), key=len, reverse=True)


def _without_inputs(items: list[dict], long_values: list[str]) -> list[dict]:
    def hidden(text):
        for value in long_values:
            if text and value in text:
                text = text.replace(value, f"(a value of {len(value):,} characters)")
        return text

    for item in items:
        item["field"] = hidden(item["field"])  # a nested key in a field's path, too
        item["message"] = hidden(item["message"])
    return items


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
    errors = _without_inputs(_flatten(response.data), _long_inputs(context.get("request")))
    body = {"errors": errors, "status": response.status_code}
    return Response(body, status=response.status_code, headers=_headers(response))


def _headers(response) -> dict:
    keep = ("WWW-Authenticate", "Retry-After", "Allow")
    return {k: response[k] for k in keep if response.has_header(k)}
