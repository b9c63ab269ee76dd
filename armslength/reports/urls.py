from django.urls import path

from armslength.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportView.as_view(), name="report"),
    path("pdf/", views.ReportPdfView.as_view(), name="pdf"),
    path("csv/", views.ReportCsvView.as_view(), name="csv"),
    path("commentary/", views.NarrativeView.as_view(), name="narrative"),
    path("snapshots/", views.SnapshotListView.as_view(), name="snapshots"),
    path("snapshots/by-hand/", views.ManualSnapshotView.as_view(), name="snapshot_manual"),
]
