"""The REST API: tokens, the web's access rules, one error shape, the engine on writes.

Stories: HMIP's manager syncs people from their HR system with a token and
cannot see or touch CQC's; a revoked token stops working; adding a secondee
to a visit at their own prison is refused through the API exactly as in the
web app, with the reason and an audit entry.
"""

from __future__ import annotations

import datetime as dt
import re

from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from armslength.api.models import ApiToken
from armslength.compliance.services import findings_sync
from armslength.declarations.models import Affiliation
from armslength.register.models import Person
from armslength.visits.models import Assignment, Visit


def api_as(user) -> APIClient:
    _token, secret = ApiToken.issue(user, "test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def keyed(cast):
    for person, key in ((cast.alice, "alice"), (cast.sam, "sam"), (cast.carol, "carol")):
        person.key = key
        person.save()


# --- tokens -------------------------------------------------------------------------


def test_a_token_is_stored_only_as_a_hash_and_works_until_revoked(cast):
    token, secret = ApiToken.issue(cast.hmip_manager, "HR sync")
    assert secret.startswith("al_") and len(secret) > 40
    assert secret not in {token.digest, token.prefix} and token.digest != secret
    assert not ApiToken.objects.filter(digest=secret).exists()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/people/").status_code == 200
    token.revoke()
    refused = client.get("/api/people/")
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["message"].startswith(
        "This token is unknown or has been revoked"
    )
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_no_token_or_a_made_up_one_is_refused_with_401(cast):
    assert APIClient().get("/api/people/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer al_made-up")
    assert client.get("/api/people/").status_code == 401


def test_tokens_are_created_and_revoked_in_the_web_app(cast, client_for):
    web = client_for(cast.hmip_manager)
    page = web.post(reverse("accounts:tokens"), {"name": "HR sync"})
    secret = re.search(r'<code id="new-token">([^<]+)</code>', page.text).group(1)
    token = ApiToken.objects.get(user=cast.hmip_manager)
    assert token.prefix == secret[:10] and secret not in web.get(reverse("accounts:tokens")).text
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/people/").status_code == 200
    other = client_for(cast.cqc_manager)
    assert other.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    web = client_for(cast.hmip_manager)
    web.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api.get("/api/people/").status_code == 401
    entry = LogEntry.objects.get_for_object(token).last()
    assert entry.actor == cast.hmip_manager and "revoked_at" in entry.changes_dict


# --- the web's access rules ------------------------------------------------------------


def test_one_bodys_manager_token_cannot_read_or_write_another_bodys_records(cast):
    keyed(cast)
    hmip = api_as(cast.hmip_manager)
    listed = hmip.get("/api/people/").json()
    assert {p["key"] for p in listed["results"]} == {"alice", "sam"}
    assert hmip.get("/api/people/carol/").status_code == 404
    assert hmip.patch("/api/people/carol/", {"name": "X"}, format="json").status_code == 404
    assert hmip.delete("/api/people/carol/").status_code == 404
    created = hmip.post(
        "/api/secondments/",
        {"person": "carol", "origin": "hmpps", "start": "2026-01-01"},
        format="json",
    )
    assert created.status_code == 400
    assert created.json()["errors"][0]["field"] == "person"
    carol = Person.objects.get(key="carol")
    assert carol.name == "Carol Carter" and not carol.secondments.exists()


def test_roles_as_on_the_web(cast):
    keyed(cast)
    assert api_as(cast.coordinator).get("/api/people/").status_code == 403
    assert api_as(cast.coordinator).get("/api/bodies/").status_code == 200
    alice = api_as(cast.alice_user)
    assert [p["key"] for p in alice.get("/api/people/").json()["results"]] == ["alice"]
    assert alice.patch("/api/people/alice/", {"name": "A"}, format="json").status_code == 403
    auditor = api_as(cast.auditor)
    assert auditor.get("/api/people/carol/").status_code == 200
    assert auditor.post("/api/organisations/", {"name": "X", "sector": "ngo"}).status_code == 403
    assert (
        api_as(cast.hmip_manager)
        .post("/api/bodies/", {"abbreviation": "NEW", "name": "New"})
        .status_code
        == 403
    )


def test_special_category_data_is_not_in_the_api(cast):
    keyed(cast)
    Person.objects.filter(key="alice").update(minority_status="yes", ethnicity="Self-described")
    person = api_as(cast.alice_user).get("/api/people/alice/").json()
    assert "minority_status" not in person and "ethnicity" not in person


# --- writes: validation, audit, the engine ------------------------------------------------


def test_a_manager_creates_a_person_in_their_own_body_audited_under_their_name(cast):
    api = api_as(cast.hmip_manager)
    response = api.post(
        "/api/people/",
        {"key": "hr-1", "name": "Nia Jones", "category": "staff", "gender": "female"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    nia = Person.objects.get(key="hmip-hr-1")  # filed under the body's code
    assert nia.body == cast.hmip and response.json()["body"] == "hmip"
    assert LogEntry.objects.get_for_object(nia).get().actor == cast.hmip_manager


def test_invalid_input_names_each_field_and_saves_nothing(cast):
    api = api_as(cast.hmip_manager)
    response = api.post(
        "/api/people/",
        {
            "name": "Bad",
            "category": "boss",
            "gender": "female",
            "joined": "2025-01-01",
            "left": "2024-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert {e["field"] for e in body["errors"]} == {"category"}
    response = api.post(
        "/api/people/",
        {
            "name": "Bad",
            "category": "staff",
            "gender": "female",
            "joined": "2025-01-01",
            "left": "2024-01-01",
        },
        format="json",
    )
    assert [e["field"] for e in response.json()["errors"]] == ["left"]
    assert not Person.objects.filter(name="Bad").exists()


def test_an_assignment_through_the_api_meets_the_same_conflict_check(cast, today):
    keyed(cast)
    visit = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.northbridge,
        start=today + dt.timedelta(days=10),
        end=today + dt.timedelta(days=11),
    )
    api = api_as(cast.hmip_manager)
    refused = api.post(
        "/api/assignments/", {"visit": visit.key, "person": "sam", "role": "member"}, format="json"
    )
    assert refused.status_code == 400
    error = refused.json()["errors"][0]
    assert error["field"] == "person" and "UK-14" in error["message"]
    assert not Assignment.objects.exists()
    entry = LogEntry.objects.get_for_object(visit).get(additional_data__has_key="refused")
    assert entry.actor == cast.hmip_manager and entry.additional_data["refused"]["person"] == "sam"
    Person.objects.filter(key="alice").update(can_lead=True)  # a lead must be able to lead
    added = api.post(
        "/api/assignments/", {"visit": visit.key, "person": "alice", "role": "lead"}, format="json"
    )
    assert added.status_code == 201 and added.json()["verdict"] == "clear"
    cqc = api_as(cast.cqc_manager)
    assert (
        cqc.post(
            "/api/assignments/", {"visit": visit.key, "person": "carol"}, format="json"
        ).status_code
        == 400
    )


def test_a_team_members_verdict_in_the_api_is_the_current_one(cast, today):
    """Issue 13 probe, item 6: /api/assignments/?visit= gave the verdict stored when the
    member was added, while the team table and /api/verdicts/ gave the current one."""
    keyed(cast)
    visit = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.northbridge,
        start=today + dt.timedelta(days=10),
        end=today + dt.timedelta(days=11),
    )
    api = api_as(cast.hmip_manager)
    added = api.post("/api/assignments/", {"visit": visit.key, "person": "alice"}, format="json")
    assert added.status_code == 201 and added.json()["verdict"] == "clear"
    Affiliation.objects.create(
        person=cast.alice, kind="employment", organisation=cast.hmpps, end="2020-01-01"
    )
    current = api.get("/api/verdicts/", {"person": "alice", "visit": visit.key}).json()[0]
    assert current["verdict"] != "clear"
    row = api.get("/api/assignments/", {"visit": visit.key}).json()["results"][0]
    assert row["verdict"] == current["verdict"]
    assert row["reasons"] == current["reasons"]


# --- reads: filters, pages, verdicts, findings, reports ----------------------------------------


def test_filtering_and_pagination(cast):
    keyed(cast)
    for i in range(7):
        Person.objects.create(
            body=cast.hmip, key=f"p{i}", name=f"P {i}", category="member", gender="male"
        )
    api = api_as(cast.hmip_manager)
    page = api.get("/api/people/", {"category": "member", "page_size": 5}).json()
    assert page["count"] == 7 and len(page["results"]) == 5 and page["next"]
    assert len(api.get(page["next"]).json()["results"]) == 2
    assert api.get("/api/people/", {"category": "nonsense"}).status_code == 400


def test_verdicts_findings_and_reports_are_readable(cast, today):
    keyed(cast)
    api = api_as(cast.hmip_manager)
    verdict = api.get(
        "/api/verdicts/", {"person": "sam", "establishment": "hmp-northbridge"}
    ).json()
    assert verdict[0]["verdict"] == "block"
    assert {r["rule"] for r in verdict[0]["reasons"]} >= {"secondment-origin"}
    assert api.get("/api/verdicts/", {"person": "carol"}).status_code == 400
    findings_sync()
    mine = api.get("/api/findings/", {"open": "true"}).json()["results"]
    assert mine and {f["body"] for f in mine} == {"hmip"}
    theirs = api_as(cast.cqc_manager).get("/api/findings/").json()["results"]
    assert all(f["person"] != "sam" for f in theirs)
    report = api.get(f"/api/reports/{today.year}/", {"body": "hmip"}).json()
    assert report["provisional"] and any(t["key"] == "share_by_year" for t in report["tables"])
    assert api.get(f"/api/reports/{today.year}/", {"body": "cqc"}).status_code == 404
    assert api_as(cast.alice_user).get(f"/api/reports/{today.year}/").status_code == 403


# --- limits and documentation ---------------------------------------------------------


def test_each_token_has_its_own_request_budget(cast):
    from armslength.api.throttling import TokenRateThrottle

    original = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = {"token": "3/minute"}  # API_RATE, made small
    try:
        first, second = api_as(cast.hmip_manager), api_as(cast.hmip_manager)
        codes = [first.get("/api/bodies/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = first.get("/api/bodies/")
        assert limited.json()["errors"][0]["field"] is None and "Retry-After" in limited.headers
        assert second.get("/api/bodies/").status_code == 200
    finally:
        TokenRateThrottle.THROTTLE_RATES = original


def test_the_openapi_document_validates_and_the_docs_use_local_assets(cast, client_for, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "o.yaml"))
    web = client_for(cast.hmip_manager)
    schema = web.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/people/", "/api/establishments/", "/api/visits/", "/api/assignments/"} <= set(
        schema["paths"]
    )
    docs = web.get("/api/docs")
    assert docs.status_code == 200
    assert not re.search(r"(src|href)=\"https?://", docs.text)


def test_a_nul_character_anywhere_is_refused_with_400_not_a_server_error(cast, client_for):
    """Found by the fuzz run on PostgreSQL, which cannot store or compare NUL."""
    api = api_as(cast.hmip_manager)
    for response in (
        api.post("/api/assignments/", {"visit": "x", "person": "a\x00b"}),
        api.post("/api/people/", {"name": "a\x00"}, format="json"),
        api.get("/api/people/", {"body": "\x00"}),
        api.get("/api/people/a%00b/"),
    ):
        assert response.status_code == 400
        assert response.json()["errors"][0]["message"].startswith("The request contains a NUL")
    web = client_for(cast.hmip_manager)
    assert web.get(reverse("register:person_list"), {"q": "\x00"}).status_code == 400


def test_a_change_sent_with_a_stale_etag_is_refused_not_applied(cast):
    keyed(cast)
    api = api_as(cast.hmip_manager)
    etag = api.get("/api/people/alice/").headers["ETag"]
    first = api.patch("/api/people/alice/", {"unit": "Team A"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    stale = api.patch("/api/people/alice/", {"unit": "Team B"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["status"] == 412
    assert Person.objects.get(key="alice").unit == "Team A"
    fresh = api.get("/api/people/alice/").headers["ETag"]
    assert fresh != etag
    again = api.patch("/api/people/alice/", {"unit": "Team B"}, format="json", HTTP_IF_MATCH=fresh)
    assert again.status_code == 200
