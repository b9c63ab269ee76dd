from django.urls import path

from armslength.spreadsheets import views

app_name = "spreadsheets"

urlpatterns = [
    path("", views.ImportStartView.as_view(), name="start"),
    path("<int:pk>/", views.ImportJobView.as_view(), name="job"),
    path("<int:pk>/columns/", views.ImportMapView.as_view(), name="map"),
    path("<int:pk>/import/", views.ImportRunView.as_view(), name="run"),
    path("templates/<str:kind>.<str:fmt>", views.TemplateDownloadView.as_view(), name="template"),
]
