from django.urls import path

from armslength.accounts import views
from armslength.core.urls import object_urls

app_name = "accounts"

urlpatterns = [
    path("me/", views.MyProfileView.as_view(), name="my_profile"),
    *object_urls("users", "user", views.user_views),
]
