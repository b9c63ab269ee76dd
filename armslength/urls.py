from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from armslength.accounts.views import HomeView
from armslength.core.audit_views import AuditTrailView
from armslength.core.language import choose_language
from armslength.core.search import SearchView

audit_patterns = ([path("", AuditTrailView.as_view(), name="trail")], "audit")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", choose_language, name="language"),
    path("2fa/", include("armslength.accounts.twofactor_urls")),
    path("", include("armslength.register.urls")),
    path("accounts/", include("armslength.accounts.urls")),
    path("", include("armslength.declarations.urls")),
    path("compliance/", include("armslength.compliance.urls")),
    path("", include("armslength.visits.urls")),
    path("", include("armslength.screening.urls")),
    path("reports/", include("armslength.reports.urls")),
    path("import/", include("armslength.spreadsheets.urls")),
    path("api/", include("armslength.api.urls")),
    path("audit/", include(audit_patterns)),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
