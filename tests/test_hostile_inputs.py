"""Issue 12, findings 6 (partly), 9 and 10: hostile input is refused quickly, never a 500.

Item 10's inputs: a CSV cell over 131,072 characters, deeply nested JSON to the
API, the calendar at year 9999 and year 1. Finding 6's uploads: a header of
100,000 columns, a 3 MB cell, a PNG renamed .csv; each refusal names the limit.
Finding 9: a 1,000,000-item JSON list is refused.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from armslength.api.models import ApiToken
from armslength.spreadsheets.reading import MAX_CELL, MAX_COLUMNS, ReadError, read_sheet


def api_for(user) -> APIClient:
    _token, secret = ApiToken.issue(user, "hostile")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_finding10_a_csv_cell_over_131072_characters_is_refused_naming_the_limit():
    data = b"key,name\r\np1," + b'"' + b"x" * 140_000 + b'"\r\n'
    with pytest.raises(ReadError, match="limit of 10,000 characters") as refused:
        read_sheet(data, "people.csv")
    # our limit, in our words: not Python's "field larger than field limit (131072)"
    assert "131072" not in str(refused.value) and "field limit" not in str(refused.value)


def test_finding10_deeply_nested_json_to_the_api_is_a_400(cast):
    body = "[" * 100_000 + "]" * 100_000
    response = api_for(cast.hmip_manager).generic(
        "POST", "/api/people/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("year,month", [(9999, 12), (1, 1)])
def test_finding10_the_calendar_at_the_ends_of_time_is_not_a_server_error(
    cast, client_for, year, month
):
    response = client_for(cast.hmip_manager).get(
        "/visits/calendar/", {"year": year, "month": month}
    )
    assert response.status_code == 404


def test_finding6_a_header_of_100000_columns_is_refused_naming_the_limit():
    data = ",".join(f"c{i}" for i in range(100_000)).encode() + b"\r\n"
    with pytest.raises(ReadError, match=f"the limit is {MAX_COLUMNS}"):
        read_sheet(data, "people.csv")


def test_finding6_a_3mb_header_cell_in_an_xlsx_is_refused_naming_the_limit():
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["key", "x" * 3_000_000])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ReadError, match=f"limit of {MAX_CELL:,} characters"):
        read_sheet(buffer.getvalue(), "people.xlsx")


def test_finding6_a_png_renamed_csv_is_refused():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)) * 10
    with pytest.raises(ReadError, match="not text"):
        read_sheet(png, "people.csv")


def test_finding9_a_million_item_list_is_refused_naming_the_limit(cast):
    body = "[" + ",".join(["1"] * 1_000_000) + "]"
    response = api_for(cast.hmip_manager).generic(
        "POST", "/api/people/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "limit of 1,000,000 bytes" in response.json()["errors"][0]["message"]


def test_finding9_a_token_stops_working_when_the_role_changes(cast):
    client = api_for(cast.alice_user)
    assert client.get("/api/people/").status_code == 200
    cast.alice_user.role = "manager"
    cast.alice_user.save()
    assert client.get("/api/people/").status_code == 401


def test_finding9_a_token_stops_working_when_the_password_changes(cast):
    client = api_for(cast.hmip_manager)
    assert client.get("/api/people/").status_code == 200
    cast.hmip_manager.set_password("a-brand-new-long-password")
    cast.hmip_manager.save()
    assert client.get("/api/people/").status_code == 401


def test_finding9_the_api_document_and_docs_need_sign_in_in_production(db):
    from django.test import Client

    anonymous = Client()
    assert anonymous.get("/api/openapi.json").status_code in (401, 403)
    assert anonymous.get("/api/docs").status_code in (401, 403)


@pytest.mark.parametrize(
    "path,field,method",
    [
        ("/api/people/", "gender", "post"),
        ("/api/people/", "name", "post"),
        ("/api/people/", "expertise", "post"),
        ("/api/people/", "reports_to", "post"),
        ("/api/visits/", "establishment", "post"),
        ("/api/visits/", "type", "post"),
        ("/api/secondments/", "person", "post"),
    ],
)
def test_an_error_names_the_field_and_never_repeats_a_100kb_value(cast, path, field, method):
    huge = "q" * 100_000
    value = [huge] if field == "expertise" else huge
    response = getattr(api_for(cast.hmip_manager), method)(path, {field: value}, format="json")
    assert response.status_code == 400
    assert "q" * 200 not in response.content.decode()
    assert len(response.content) < 10_000
    errors = response.json()["errors"]
    mine = [e for e in errors if e["field"] and e["field"].split(".")[0] == field]
    assert mine, errors


def test_a_100kb_expertise_code_as_a_key_is_not_repeated_either(cast):
    huge = "q" * 100_000
    response = api_for(cast.hmip_manager).post(
        "/api/visits/",
        {
            "establishment": cast.southgate.key,
            "start": "2030-01-01",
            "end": "2030-01-02",
            "team_size": 2,
            "requires": {huge: 1},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "q" * 200 not in response.content.decode() and len(response.content) < 10_000
    assert [e["field"] for e in response.json()["errors"]] == ["requires"]
