"""OpenAPI post-processing: every operation documents the one error shape it can return."""

from __future__ import annotations

from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

ERROR_STATUSES = {
    "400": "The request is invalid; each error names its field.",
    "401": "No token, or a token that is unknown or revoked.",
    "403": "Your role does not allow this.",
    "404": "Not found, or not yours to see.",
    "429": "Too many requests for this token; see Retry-After.",
}
#: only for changes: sent with If-Match, a record changed since it was read
PRECONDITION = {"412": "The record changed since you read it (If-Match did not match its ETag)."}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorItem"] = {
        "type": "object",
        "properties": {
            "field": {**build_basic_type(OpenApiTypes.STR), "nullable": True},
            "message": build_basic_type(OpenApiTypes.STR),
        },
        "required": ["field", "message"],
    }
    schemas["Error"] = {
        "type": "object",
        "properties": {
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorItem"}},
            "status": build_basic_type(OpenApiTypes.INT),
        },
        "required": ["errors", "status"],
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            statuses = {**ERROR_STATUSES, **(PRECONDITION if method in ("put", "patch") else {})}
            for code, text in statuses.items():
                if code == "400" and method in ("get", "delete") and "parameters" not in operation:
                    continue
                responses.setdefault(code, {"description": text, "content": error})
    return result
