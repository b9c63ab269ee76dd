from django.urls import path

from armslength.accounts import views
from armslength.api import token_views
from armslength.core.urls import object_urls

app_name = "accounts"

urlpatterns = [
    path("me/", views.MyProfileView.as_view(), name="my_profile"),
    path("me/tokens/", token_views.TokenListView.as_view(), name="tokens"),
    path("me/tokens/<int:pk>/revoke/", token_views.TokenRevokeView.as_view(), name="token_revoke"),
    path(
        "users/<int:pk>/reset-second-factor/",
        views.ResetSecondFactorView.as_view(),
        name="user_reset_second_factor",
    ),
    *object_urls("users", "user", views.user_views),
]
