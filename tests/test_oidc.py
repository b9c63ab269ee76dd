"""Sign-in through a body's directory (OpenID Connect), against a test provider.

Stories: Alice signs in with her organisation's account and lands on her home
page; someone the directory knows but armslength does not is turned away; a
manager signing in this way still gives their second factor.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests import oidc_provider

pytestmark = [pytest.mark.urls("tests.oidc_urls"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(settings, live_server):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = oidc_provider.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{live_server.url}/fake-op/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{live_server.url}/fake-op/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{live_server.url}/fake-op/userinfo"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "armslength.accounts.oidc.OIDCBackend",
    ]
    return oidc_provider.DIRECTORY


def local(url: str) -> str:
    """The path and query of an absolute URL (both sites live on the test server)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def sign_in_through_directory(email: str, directory) -> Client:
    """The browser's round trip: app -> provider -> app (the provider calls happen over HTTP)."""
    directory["email"] = email
    browser = Client()
    to_provider = browser.get("/oidc/authenticate/")
    assert to_provider.status_code == 302 and "/fake-op/authorize" in to_provider.url
    back_to_app = Client().get(local(to_provider.url))  # the person signs in at the provider
    assert "/oidc/callback/" in back_to_app.url
    browser.get(local(back_to_app.url))
    return browser


def test_a_known_person_signs_in_with_the_directory(cast, directory):
    browser = sign_in_through_directory("alice@example.org", directory)
    home = browser.get("/")
    assert home.status_code == 200 and "Alice" in home.text


def test_someone_unknown_here_is_turned_away(cast, directory):
    browser = sign_in_through_directory("stranger@example.org", directory)
    assert browser.get("/").url.startswith("/login/")


def test_a_manager_still_gives_a_second_factor(cast, directory):
    browser = sign_in_through_directory("hmip.manager@example.org", directory)
    assert browser.get("/people/").url.startswith("/2fa/")


def test_the_login_page_offers_the_directory(cast, directory):
    page = Client().get("/login/")
    assert "Sign in with your organisation" in page.text


def test_finding1_after_a_directory_sign_in_no_authenticator_can_be_added(cast, directory):
    """Issue 12 finding 1, OpenID Connect path: the directory is the first factor only."""
    from armslength.accounts.models import Authenticator
    from armslength.accounts.twofactor import enrol

    device, _codes = enrol(cast.hmip_manager)
    browser = sign_in_through_directory("hmip.manager@example.org", directory)
    setup = browser.get("/2fa/setup/")
    assert setup.status_code == 403 and "enrolment link" in setup.text
    assert browser.post("/2fa/setup/", {"code": "123456"}).status_code == 403
    assert list(Authenticator.objects.filter(user=cast.hmip_manager)) == [device]
    assert browser.get("/people/").url.startswith("/2fa/")
    assert browser.get("/api/people/").status_code == 401
