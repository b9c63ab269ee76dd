from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from armslength.api import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.register("bodies", views.BodyViewSet, basename="body")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("establishments", views.EstablishmentViewSet, basename="establishment")
router.register("people", views.PersonViewSet, basename="person")
router.register("secondments", views.SecondmentViewSet, basename="secondment")
router.register("declarations", views.AffiliationViewSet, basename="declaration")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("place-requests", views.PlaceRequestViewSet, basename="placerequest")
router.register("overrides", views.OverrideViewSet, basename="override")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("findings", views.FindingViewSet, basename="finding")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    # the split view serves Swagger UI's start-up script as a file: no inline script
    path(
        "docs",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("verdicts/", views.VerdictView.as_view(), name="verdicts"),
    path("reports/<int:year>/", views.ReportView.as_view(), name="report"),
    *router.urls,
]
