from django.urls import path

from armslength.core.urls import object_urls
from armslength.visits import views

app_name = "visits"

urlpatterns = [
    *object_urls("visits", "visit", views.visit_views),
    path(
        "visits/<int:pk>/overrides/", views.OverrideRequestView.as_view(), name="override_request"
    ),
    path("overrides/<int:pk>/decide/", views.OverrideDecideView.as_view(), name="override_decide"),
]
