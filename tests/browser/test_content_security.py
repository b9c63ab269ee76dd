"""The Content-Security-Policy holds on the main pages: nothing is refused, nothing inline."""

from __future__ import annotations

PAGES = [
    "/",
    "/people/",
    "/visits/calendar/",
    "/compliance/",
    "/screening/",
    "/reports/",
    "/import/",
    "/accounts/me/tokens/",
    "/api/docs",
]


def test_main_pages_run_under_the_policy_without_a_violation(cast, sign_in, live_server):
    page = sign_in("hmip.manager")
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, path
        policy = response.headers["content-security-policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline' " not in policy.split("script-src")[1].split(";")[0]
        )
        page.wait_for_load_state("networkidle")
    assert not refused, refused
    # Swagger UI really started (its start-up script is a file, allowed by the policy)
    page.goto(f"{live_server.url}/api/docs")
    page.get_by_text("armslength API").first.wait_for()
