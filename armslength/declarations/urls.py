from django.urls import path

from armslength.core.urls import object_urls
from armslength.declarations import views

app_name = "declarations"

urlpatterns = [
    *object_urls("declarations", "affiliation", views.affiliation_views),
    path("declarations/<int:pk>/review/", views.ReviewView.as_view(), name="affiliation_review"),
    path("declarations/<int:pk>/end/", views.EndView.as_view(), name="affiliation_end"),
]
