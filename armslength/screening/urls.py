from django.urls import path

from armslength.screening import views

app_name = "screening"

urlpatterns = [
    path("screening/", views.ScreeningView.as_view(), name="screening"),
    path("policy/", views.PolicyView.as_view(), name="policy"),
    path("policy/edit/", views.PolicyEditView.as_view(), name="policy_edit"),
    path("policy/parameters/", views.PolicyParametersView.as_view(), name="policy_parameters"),
    path("policy/versions/<int:pk>/", views.PolicyView.as_view(), name="policy_version"),
]
