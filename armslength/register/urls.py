from django.urls import path

from armslength.core.urls import object_urls
from armslength.register import views

app_name = "register"

urlpatterns = [
    *object_urls("bodies", "body", views.body_views),
    *object_urls("organisations", "organisation", views.organisation_views),
    *object_urls("establishments", "establishment", views.establishment_views),
    *object_urls("people", "person", views.person_views),
    path(
        "people/<int:pk>/subject-access/",
        views.SubjectAccessView.as_view(),
        name="person_subject_access",
    ),
    *object_urls("secondments", "secondment", views.secondment_views),
    *object_urls("training", "trainingrecord", views.training_views),
    *object_urls("expertise", "expertise", views.expertise_views),
]
