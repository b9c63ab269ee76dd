from django.urls import path

from armslength.compliance import views
from armslength.core.urls import object_urls

app_name = "compliance"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    *object_urls("assessments", "assessment", views.assessment_views),
    path("assessments/<int:pk>/sign-off/", views.SignOffView.as_view(), name="assessment_sign_off"),
    *object_urls("supervisions", "supervision", views.supervision_views),
    *object_urls("acknowledgements", "acknowledgement", views.acknowledgement_views),
    *object_urls("acknowledgement-texts", "acknowledgementtext", views.acknowledgement_text_views),
    *object_urls("recruitment", "recruitmentrecord", views.recruitment_views),
    path(
        "recruitment/<int:pk>/criteria/",
        views.RecruitmentFileView.as_view(),
        name="recruitment_file",
    ),
    path(
        "interference/escalated/",
        views.InterferenceEscalationsView.as_view(),
        name="interference_escalations",
    ),
    *object_urls("interference", "interferencereport", views.interference_views),
    path(
        "interference/<int:pk>/handle/",
        views.InterferenceHandleView.as_view(),
        name="interference_handle",
    ),
    *object_urls("rounds", "declarationround", views.round_views),
    path("rounds/<int:pk>/chase/", views.RoundChaseView.as_view(), name="round_chase"),
    path("acknowledge/<str:kind>/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("my-rounds/", views.MyRoundsView.as_view(), name="my_rounds"),
]
