"""URL patterns for the shared record surface."""

from django.urls import path


def object_urls(prefix: str, name: str, views: dict) -> list:
    """list / add / detail / edit / delete / history routes for one record type,
    from the views `core.views.record_views()` makes."""

    def view(suffix: str):
        return views[suffix].as_view()

    return [
        path(f"{prefix}/", view("List"), name=f"{name}_list"),
        path(f"{prefix}/add/", view("Edit"), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", view("Detail"), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", view("Edit"), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", view("Delete"), name=f"{name}_delete"),
        path(f"{prefix}/<int:pk>/history/", view("History"), name=f"{name}_history"),
    ]
