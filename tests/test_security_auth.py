"""Signing in: two factors for those who see others' data, throttling, idle sessions.

Stories: a manager's password alone opens nothing; their authenticator code
does; a recovery code works once. A new auditor must enrol before anything
else. Someone guessing passwords is stopped after five tries. A session left
alone for half an hour is over.
"""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from armslength.accounts.models import Authenticator
from armslength.accounts.twofactor import base32_secret, enrol, enrolment_link_issue
from tests.conftest import PASSWORD


def code_for(device, ahead: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, ahead):06d}"


def password_step(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_managers_password_alone_opens_nothing(cast):
    device, _codes = enrol(cast.hmip_manager)
    client = Client()
    assert password_step(client, "hmip.manager").status_code == 302
    page = client.get(reverse("register:person_list"))
    assert page.status_code == 302 and page.url.startswith("/2fa/?next=/people/")
    assert client.get("/api/people/").status_code == 401
    assert 'aria-label="Main"' not in client.get(reverse("twofactor:verify")).text  # no menu yet
    wrong = client.post(reverse("twofactor:verify"), {"code": "000000", "next": "/people/"})
    assert wrong.status_code == 400 and "not right" in wrong.text
    time.sleep(1.1)  # django-otp makes each retry after a wrong code wait a little longer
    right = client.post(reverse("twofactor:verify"), {"code": code_for(device), "next": "/people/"})
    assert right.url == "/people/"
    assert client.get(reverse("register:person_list")).status_code == 200


def test_a_recovery_code_works_once(cast):
    _device, codes = enrol(cast.hmip_manager)
    first = Client()
    password_step(first, "hmip.manager")
    assert first.post(reverse("twofactor:verify"), {"code": codes[0]}).status_code == 302
    assert first.get(reverse("home")).status_code == 200
    again = Client()
    password_step(again, "hmip.manager")
    assert again.post(reverse("twofactor:verify"), {"code": codes[0]}).status_code == 400


def test_a_new_auditor_enrols_before_anything_else(cast):
    link = enrolment_link_issue(cast.auditor, by=cast.coordinator)
    client = Client()
    password_step(client, "auditor")
    assert client.get(reverse("audit:trail")).url.startswith("/2fa/")
    assert client.get(reverse("twofactor:verify")).url.startswith("/2fa/setup/")
    assert client.get(link.removeprefix(settings.SITE_URL)).url == reverse("twofactor:setup")
    setup = client.get(reverse("twofactor:setup"))
    assert "<svg" in setup.text
    device = Authenticator.objects.get(user=cast.auditor, confirmed=False)
    assert base32_secret(device) in setup.text
    done = client.post(reverse("twofactor:setup"), {"code": code_for(device)})
    assert done.status_code == 200 and done.text.count("<li><code>") == 10
    assert client.get(reverse("audit:trail")).status_code == 200


def test_staff_may_go_without_a_second_factor_or_opt_in(cast):
    client = Client()
    password_step(client, "alice")
    assert client.get(reverse("home")).status_code == 200
    device, _ = enrol(cast.alice_user)
    client = Client()
    password_step(client, "alice")
    assert client.get(reverse("home")).url.startswith("/2fa/")
    client.post(reverse("twofactor:verify"), {"code": code_for(device)})
    assert client.get(reverse("home")).status_code == 200


def test_repeated_failed_sign_ins_lock_the_account_from_that_address(cast, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert password_step(client, "alice", "wrong-password-1").status_code == 200
    assert password_step(client, "alice", "wrong-password-1").status_code == 429
    locked = password_step(client, "alice")  # even the right password now
    assert locked.status_code == 429 and "Too many attempts" in locked.text
    assert password_step(Client(), "sam").status_code == 302  # others are not affected


def test_a_session_ends_after_half_an_hour_without_a_request(cast, client_for, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = client_for(cast.hmip_manager)
    assert client.get(reverse("home")).status_code == 200
    # an active session is renewed: its expiry moves on to 30 minutes from now
    session = client.session
    session["_renewed"] = 0  # last renewed long ago
    session.save()
    Session.objects.update(expire_date=timezone.now() + timezone.timedelta(minutes=5))
    assert client.get(reverse("home")).status_code == 200
    expiry = Session.objects.get().expire_date
    assert expiry > timezone.now() + timezone.timedelta(minutes=29)
    # an idle one ends
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_passwords_follow_djangos_validators(cast):
    with pytest.raises(ValidationError):
        validate_password("short1", cast.alice_user)
    with pytest.raises(ValidationError):
        validate_password("password1234", cast.alice_user)
    validate_password("correct-horse-battery-staple", cast.alice_user)


def test_a_totp_code_is_not_accepted_twice(cast):
    device, _ = enrol(cast.hmip_manager)
    code = code_for(device)
    first = Client()
    password_step(first, "hmip.manager")
    assert first.post(reverse("twofactor:verify"), {"code": code}).status_code == 302
    replay = Client()
    password_step(replay, "hmip.manager")
    assert replay.post(reverse("twofactor:verify"), {"code": code}).status_code == 400
    time.sleep(1.1)  # the retry delay after a refused code
    assert (
        replay.post(reverse("twofactor:verify"), {"code": code_for(device, 1)}).status_code == 302
    )


def test_no_template_carries_inline_script_or_event_handlers():
    from pathlib import Path

    import armslength

    root = Path(armslength.__file__).parent / "templates"
    offenders = []
    for template in root.rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)", text) or re.search(r"\son[a-z]+=", text):
            offenders.append(template.name)
        if "hx-on" in text or "javascript:" in text:
            offenders.append(template.name)
    assert not offenders


def test_every_response_carries_the_security_headers(cast, client_for):
    response = client_for(cast.hmip_manager).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_and_htmx_posts_need_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.alice_user)
    refused = client.post(reverse("accounts:my_profile"), {"home_region": "north"})
    assert refused.status_code == 403
    page = client.get(reverse("accounts:my_profile"))
    token = str(page.context["csrf_token"])
    assert f'{{"X-CSRFToken": "{token}"}}' in page.text  # hx-headers: every htmx request
    ok = client.post(
        reverse("accounts:my_profile"), {"home_region": "north"}, HTTP_X_CSRFTOKEN=token
    )
    assert ok.status_code in (200, 302)


def test_uploads_are_checked_by_size_and_never_served_from_a_path(
    cast, client_for, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from armslength.core.uploads import MAX_UPLOAD_BYTES, validate_upload

    too_big = SimpleUploadedFile("c.pdf", b"%PDF-" + b"0" * MAX_UPLOAD_BYTES)
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        validate_upload(too_big)
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "people.html").write_text("<script>alert(1)</script>")
    client = client_for(cast.hmip_manager)
    for path in ("/files/imports/people.html", "/media/imports/people.html"):
        assert client.get(path).status_code == 404
