from armslength.core.urls import object_urls
from armslength.register import views

app_name = "register"

urlpatterns = [
    *object_urls("bodies", "body", views, "Body"),
    *object_urls("organisations", "organisation", views, "Organisation"),
    *object_urls("establishments", "establishment", views, "Establishment"),
    *object_urls("people", "person", views, "Person"),
    *object_urls("secondments", "secondment", views, "Secondment"),
    *object_urls("training", "trainingrecord", views.training_views),
]
