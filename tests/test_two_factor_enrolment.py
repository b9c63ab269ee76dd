"""Issue 12, finding 1 (critical): a password alone could enrol a new authenticator.

Stories: someone holding only a manager's password opens the set-up page and
finds no secret to scan, and cannot replace the manager's authenticator; a
new auditor enrols through the one-time link the coordinator was given when
making the account, and the link works once, for that account only; a
manager resets a staff member's second factor, which removes their devices and
tokens and hands over a new link. Secrets at rest: TOTP keys sealed, recovery
codes hashed, and production refuses to start without the sealing key. The
same refusals hold under gunicorn with production settings.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from armslength.accounts.models import Authenticator, EnrolmentLink, RecoveryCodes, Role
from armslength.accounts.twofactor import enrol, enrolment_link_issue
from armslength.api.models import ApiToken
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def code_for(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def password_only(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def local(link: str) -> str:
    return link.removeprefix(settings.SITE_URL.rstrip("/"))


def test_finding1_password_only_session_is_shown_no_secret_and_cannot_replace_the_authenticator(
    cast,
):
    device, _codes = enrol(cast.hmip_manager)
    attacker = password_only("hmip.manager")
    setup = attacker.get(reverse("twofactor:setup"))
    assert setup.status_code == 403 and "enrolment link" in setup.text
    assert "otpauth" not in setup.text and "<svg" not in setup.text
    assert not Authenticator.objects.filter(user=cast.hmip_manager, confirmed=False).exists()
    # a code from any secret at all: still refused, and the real authenticator stays
    refused = attacker.post(reverse("twofactor:setup"), {"code": "123456"})
    assert refused.status_code == 403
    assert list(Authenticator.objects.filter(user=cast.hmip_manager)) == [device]
    assert attacker.get(reverse("register:person_list")).url.startswith("/2fa/")
    assert attacker.get("/api/people/").status_code == 401


def test_finding1_password_only_session_of_an_unenrolled_account_cannot_enrol(cast):
    attacker = password_only("auditor")
    assert attacker.get(reverse("twofactor:verify")).url.startswith("/2fa/setup/")
    assert attacker.get(reverse("twofactor:setup")).status_code == 403
    assert not Authenticator.objects.filter(user=cast.auditor).exists()
    assert attacker.get(reverse("audit:trail")).url.startswith("/2fa/")


def test_finding1_staff_without_an_authenticator_cannot_enrol_with_a_password_alone(cast):
    attacker = password_only("alice")
    assert attacker.get(reverse("twofactor:setup")).status_code == 403
    assert not Authenticator.objects.filter(user=cast.alice_user).exists()


def test_finding1_a_verified_session_may_replace_its_authenticator(cast):
    old, _codes = enrol(cast.hmip_manager)
    client = password_only("hmip.manager")
    assert client.post(reverse("twofactor:verify"), {"code": code_for(old)}).status_code == 302
    assert client.get(reverse("twofactor:setup")).status_code == 200
    new = Authenticator.objects.get(user=cast.hmip_manager, confirmed=False)
    done = client.post(reverse("twofactor:setup"), {"code": code_for(new)})
    assert done.status_code == 200
    assert list(Authenticator.objects.filter(user=cast.hmip_manager)) == [new]


def test_finding1_an_enrolment_link_works_once_and_only_for_its_own_account(cast):
    link = local(enrolment_link_issue(cast.auditor, by=cast.coordinator))
    other = password_only("hmip.manager")  # someone else's session: the same refusal
    assert other.get(link).status_code == 404
    assert other.get(reverse("twofactor:setup")).status_code == 403
    auditor = password_only("auditor")
    assert auditor.get(link).url == reverse("twofactor:setup")
    auditor.get(reverse("twofactor:setup"))
    device = Authenticator.objects.get(user=cast.auditor, confirmed=False)
    assert auditor.post(reverse("twofactor:setup"), {"code": code_for(device)}).status_code == 200
    again = password_only("auditor")
    assert again.get(link).status_code == 404
    assert again.get(reverse("twofactor:setup")).status_code == 403


def test_finding1_an_expired_or_superseded_enrolment_link_does_nothing(cast):
    first = local(enrolment_link_issue(cast.auditor, by=cast.coordinator))
    second = local(enrolment_link_issue(cast.auditor, by=cast.coordinator))
    client = password_only("auditor")
    assert client.get(first).status_code == 404  # a new link replaces the old one
    EnrolmentLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(second).status_code == 404
    assert client.get(reverse("twofactor:setup")).status_code == 403


def test_finding1_an_enrolment_grant_does_not_survive_into_another_account(cast):
    link = local(enrolment_link_issue(cast.auditor, by=cast.coordinator))
    client = password_only("auditor")
    client.get(link)
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "hmip.manager", "password": PASSWORD})
    assert client.get(reverse("twofactor:setup")).status_code == 403


def test_finding1_a_manager_creating_a_staff_account_is_given_its_enrolment_link(cast, client_for):
    manager = client_for(cast.hmip_manager)
    from armslength.register.models import Person

    bea = Person.objects.create(body=cast.hmip, name="Bea Brown", category="staff")
    response = manager.post(
        reverse("accounts:user_add"),
        {
            "username": "bea",
            "email": "bea@example.org",
            "role": Role.STAFF,
            "body": cast.hmip.pk,
            "person": bea.pk,
            "is_active": "on",
            "password": "a-long-enough-first-password",
        },
        follow=True,
    )
    assert response.status_code == 200
    link = re.search(r"(/2fa/enrol/[\w-]+/)", response.text).group(1)
    assert link in mail.outbox[-1].body and mail.outbox[-1].to == ["bea@example.org"]
    bea_client = Client()
    bea_client.post(
        reverse("login"), {"username": "bea", "password": "a-long-enough-first-password"}
    )
    assert bea_client.get(link).url == reverse("twofactor:setup")


def test_finding1_a_reset_removes_devices_and_tokens_and_issues_a_link(cast, client_for):
    enrol(cast.alice_user)
    _token, _secret = ApiToken.issue(cast.alice_user, "script")
    manager = client_for(cast.hmip_manager)
    page = manager.post(
        reverse("accounts:user_reset_second_factor", args=[cast.alice_user.pk]), follow=True
    )
    assert "/2fa/enrol/" in page.text
    assert not Authenticator.objects.filter(user=cast.alice_user).exists()
    assert not RecoveryCodes.objects.filter(user=cast.alice_user).exists()
    assert not ApiToken.objects.filter(user=cast.alice_user, revoked_at__isnull=True).exists()
    # another body's manager cannot reset (or learn of) this account
    other = Client()
    other.force_login(cast.cqc_manager)
    from tests.conftest import verify_second_factor

    verify_second_factor(other, cast.cqc_manager)
    reset = other.post(reverse("accounts:user_reset_second_factor", args=[cast.alice_user.pk]))
    assert reset.status_code == 404


def test_finding9_the_session_key_changes_at_the_second_step(cast):
    device, _codes = enrol(cast.hmip_manager)
    client = password_only("hmip.manager")
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("twofactor:verify"), {"code": code_for(device)})
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before != after
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = before
    assert stale.get(reverse("register:person_list")).status_code == 302


def test_finding9_recovery_codes_are_stored_hashed(cast):
    _device, codes = enrol(cast.hmip_manager)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert not any(code.replace("-", "") in token for token in stored for code in codes)
    client = password_only("hmip.manager")
    assert client.post(reverse("twofactor:verify"), {"code": codes[3]}).status_code == 302
    assert StaticToken.objects.count() == 9


def test_finding9_totp_keys_are_stored_encrypted(cast):
    device, _codes = enrol(cast.hmip_manager)
    raw = TOTPDevice.objects.get(pk=device.pk).key
    assert raw.startswith("v1:") and device.bin_key.hex() not in raw
    with pytest.raises(ValueError):
        bytes.fromhex(raw)
    settings_key = settings.TWO_FACTOR_KEY
    try:
        settings.TWO_FACTOR_KEY = "some-other-key"
        with pytest.raises(ValueError):
            _ = Authenticator.objects.get(pk=device.pk).bin_key
    finally:
        settings.TWO_FACTOR_KEY = settings_key


def clean_env(**extra) -> dict:
    drop = {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT"}
    drop |= {"SECURE_COOKIES", "TWO_FACTOR_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra)
    return env


def test_finding9_production_settings_refuse_to_start_without_the_two_factor_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "armslength.cli", "check"],
        cwd=ROOT,
        env=clean_env(
            DEBUG="0",
            SECRET_KEY="a-real-production-secret-key-with-enough-entropy-0192837465qwerty",
            ARMSLENGTH_VAR_DIR=str(tmp_path),
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TWO_FACTOR_KEY must be set" in result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SETUP_MANAGER = """
import django; django.setup()
from armslength.accounts.models import User
from armslength.accounts.twofactor import enrol
from armslength.register.models import Body
body = Body.objects.create(key="hmip", abbreviation="HMIP", name="HMIP")
user = User(username="hmip.manager", role="manager", body=body)
user.set_password({password!r}); user.save(); enrol(user)
"""


@pytest.mark.django_db(transaction=True)
def test_finding1_under_gunicorn_with_production_settings_a_password_cannot_enrol(tmp_path):
    import requests

    env = clean_env(
        DJANGO_SETTINGS_MODULE="armslength.settings",
        DEBUG="0",
        SECRET_KEY="gunicorn-test-secret-key-" + "k" * 40,
        TWO_FACTOR_KEY="gunicorn-test-two-factor-key-" + "t" * 30,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        ARMSLENGTH_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    run = dict(cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert subprocess.run([sys.executable, "-m", "armslength.cli", "migrate", "-v0"], **run)
    made = subprocess.run([sys.executable, "-c", SETUP_MANAGER.format(password=PASSWORD)], **run)
    assert made.returncode == 0, made.stderr
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "armslength.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        browser = requests.Session()
        browser.trust_env = False  # straight to this machine, never through a proxy
        for _ in range(150):
            try:
                login = browser.get(f"{base}/login/", timeout=60)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        signed = browser.post(
            f"{base}/login/",
            data={"username": "hmip.manager", "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/login/"},
            allow_redirects=False,
        )
        assert signed.status_code == 302
        setup = browser.get(f"{base}/2fa/setup/", allow_redirects=False)
        assert setup.status_code == 403 and "otpauth" not in setup.text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', setup.text).group(1)
        posted = browser.post(
            f"{base}/2fa/setup/",
            data={"code": "123456", "csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/2fa/setup/"},
            allow_redirects=False,
        )
        assert posted.status_code == 403
        assert browser.get(f"{base}/people/", allow_redirects=False).status_code == 302
        assert browser.get(f"{base}/api/people/", allow_redirects=False).status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=30)
