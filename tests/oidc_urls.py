"""The app's URLs, the OIDC sign-in routes, and the test provider."""

from django.urls import include, path

from armslength.urls import urlpatterns as app_urls
from tests import oidc_provider

urlpatterns = [
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("fake-op/authorize", oidc_provider.authorize),
    path("fake-op/token", oidc_provider.token),
    path("fake-op/userinfo", oidc_provider.userinfo),
    *app_urls,
]
