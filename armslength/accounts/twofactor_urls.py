from django.urls import path

from armslength.accounts import twofactor

app_name = "twofactor"

urlpatterns = [
    path("", twofactor.VerifyView.as_view(), name="verify"),
    path("setup/", twofactor.SetupView.as_view(), name="setup"),
    path("enrol/<str:token>/", twofactor.EnrolmentLinkView.as_view(), name="enrol"),
    path("recovery-codes/", twofactor.RecoveryCodesView.as_view(), name="recovery_codes"),
]
