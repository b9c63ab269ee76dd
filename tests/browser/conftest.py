"""Playwright driving Debian's Chromium against the live test server.

Playwright's own browser download does not work here, so tests launch
/usr/bin/chromium. Where it is missing the browser tests are skipped with a
loud reason, except in CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make beside it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
]


#: Browser walks prove the pages, not the database: they run on SQLite only, so a
#: CI job on PostgreSQL spends its time on the tests the database changes.
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    skip = pytest.mark.skip(reason="browser walks run on SQLite only (DATABASE_URL is PostgreSQL)")
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            if ON_POSTGRESQL:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's chromium to run browser tests"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def authenticator_for(username: str):
    """The user's authenticator (made if their role needs one): the phone in the test."""
    from armslength.accounts.models import Authenticator, User
    from armslength.accounts.twofactor import required

    user = User.objects.get(username=username)
    device = Authenticator.objects.filter(user=user, confirmed=True).first()
    if device is None and required(user):
        device = Authenticator.objects.create(user=user, name="test phone", confirmed=True)
    return device


def current_code(device) -> str:
    """The code the app shows now, or the next one if now's was used (a code works once)."""
    import time

    from django_otp.oath import totp

    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step)
    drift = max(0, (device.last_t or 0) + 1 - now)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):0{device.digits}d}"


@pytest.fixture
def sign_in(page, live_server):
    def sign_in_as(username: str):
        device = authenticator_for(username)
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        if device is not None:
            page.wait_for_url("**/2fa/**")
            page.get_by_label("Code").fill(current_code(device))
            page.get_by_role("button", name="Verify").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in_as


@pytest.fixture
def assert_accessible():
    """Run axe-core on the page; no serious or critical violation is allowed."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        summary = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
        assert not bad, f"axe-core on {page.url}: {summary}"

    return check
