from django.urls import path

from armslength.core.urls import object_urls
from armslength.visits import views

app_name = "visits"

urlpatterns = [
    path("visits/calendar/", views.CalendarView.as_view(), name="calendar"),
    path("visits/plan/", views.PlanningStartView.as_view(), name="planning"),
    path("visits/plan/<int:pk>/", views.PlanningRunView.as_view(), name="planning_run"),
    *object_urls("visits", "visit", views.visit_views),
    *object_urls("unavailability", "unavailability", views.unavailability_views),
    path(
        "visits/<int:pk>/overrides/", views.OverrideRequestView.as_view(), name="override_request"
    ),
    path("overrides/<int:pk>/decide/", views.OverrideDecideView.as_view(), name="override_decide"),
    path("visits/<int:pk>/team/", views.TeamAddView.as_view(), name="team_add"),
    path("visits/<int:pk>/places/", views.PlaceRequestView.as_view(), name="place_request"),
    path(
        "place-requests/<int:pk>/withdraw/",
        views.PlaceRequestWithdrawView.as_view(),
        name="place_request_withdraw",
    ),
    path("visits/<int:pk>/team/check/", views.TeamCheckView.as_view(), name="team_check"),
    path("assignments/<int:pk>/remove/", views.TeamRemoveView.as_view(), name="team_remove"),
    path(
        "assignments/<int:pk>/accept/",
        views.AcceptAssignmentView.as_view(),
        name="assignment_accept",
    ),
    path("people/<int:pk>/schedule/", views.ScheduleView.as_view(), name="schedule"),
    path("people/<int:pk>/leaving/", views.LeavingView.as_view(), name="leaving"),
]
