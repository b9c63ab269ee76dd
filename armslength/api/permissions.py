"""The API asks `core.access` exactly as the web pages do: one rule book."""

from __future__ import annotations

from rest_framework import permissions

from armslength.core import access


class RecordAccess(permissions.BasePermission):
    """Listing needs read access to the type, creating needs create, changing needs the row."""

    message = "Your role does not allow this."

    def has_permission(self, request, view) -> bool:
        model = getattr(view, "access_model", None)
        if model is None:
            return True
        if request.method in permissions.SAFE_METHODS:
            return access.can_list(request.user, model)
        if view.action == "create":
            return access.can_create(request.user, model)
        return True  # changes are checked against the row below

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True  # the queryset already holds only readable rows
        return access.can_write(request.user, obj)
