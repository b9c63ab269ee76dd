from armslength.compliance import views
from armslength.core.urls import object_urls

app_name = "compliance"

urlpatterns = [
    *object_urls("assessments", "assessment", views.assessment_views),
    *object_urls("supervisions", "supervision", views.supervision_views),
    *object_urls("acknowledgements", "acknowledgement", views.acknowledgement_views),
]
