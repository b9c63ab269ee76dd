"""Issue 12, finding 4: no error may confirm a record the caller cannot read.

Stories: CQC's manager guesses the key of HMIP's unannounced visit and posts
a visit with it: the key is not theirs to choose, and the answer is the same
as for any key. The server's own visit keys carry nothing about place or date.
CQC's manager (API, web form, spreadsheet) gives a new person the key of one
of HMIP's people: it is filed under CQC's code and nothing says the other exists.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from rest_framework.test import APIClient

from armslength.api.models import ApiToken
from armslength.register.models import Person
from armslength.visits.models import Visit
from tests.test_spreadsheets import csv_bytes, run


def api_for(user) -> APIClient:
    _token, secret = ApiToken.issue(user, "probe")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def hmip_secret(cast, today) -> Visit:
    day = today + dt.timedelta(days=40)
    return Visit.objects.create(
        body=cast.hmip, establishment=cast.southgate, start=day, end=day, type="unannounced"
    )


def test_finding4_visit_keys_are_random_not_place_and_date(cast, today):
    visit = hmip_secret(cast, today)
    twin = hmip_secret(cast, today)
    for v in (visit, twin):
        assert "southgate" not in v.key and str(v.start) not in v.key
        assert v.key.startswith("visit-") and not v.key.endswith("-2")
    assert visit.key != twin.key


def test_finding4_the_api_takes_no_visit_key_from_the_client_and_confirms_nothing(cast, today):
    secret = hmip_secret(cast, today)
    probe = api_for(cast.cqc_manager)
    day = str(secret.start)
    answers = []
    for key in (secret.key, "visit-0000000000", f"hmp-southgate-{day}"):
        response = probe.post(
            "/api/visits/",
            {
                "key": key,
                "establishment": "hmp-southgate",
                "start": day,
                "end": day,
                "type": "NOPE",
            },
            format="json",
        )
        assert response.status_code == 400
        answers.append(response.json())
    assert answers[0] == answers[1] == answers[2]
    assert "exists" not in str(answers[0])
    made = probe.post(
        "/api/visits/",
        {"key": secret.key, "establishment": "hmp-southgate", "start": day, "end": day},
        format="json",
    )
    assert made.status_code == 201 and made.json()["key"] != secret.key
    assert Visit.objects.get(pk=secret.pk).body == cast.hmip


def test_finding4_api_person_keys_are_namespaced_and_confirm_no_other_bodys_person(cast):
    probe = api_for(cast.cqc_manager)
    theirs = cast.alice.key  # HMIP's
    answers = {}
    for key in (theirs, "nobody-at-all"):
        response = probe.post(
            "/api/people/",
            {"key": key, "name": "Probe", "category": "staff", "gender": "male"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        answers[key] = response.json()["key"]
    assert answers == {theirs: f"cqc-{theirs}", "nobody-at-all": "cqc-nobody-at-all"}
    assert Person.objects.get(pk=cast.alice.pk).key == theirs


def test_finding4_the_web_form_files_a_typed_key_under_the_body(cast, client_for):
    manager = client_for(cast.cqc_manager)
    response = manager.post(
        reverse("register:person_add"),
        {
            "name": "Probe",
            "body": cast.cqc.pk,
            "category": "staff",
            "gender": "male",
            "key": cast.alice.key,
            "full_time_npm": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Person.objects.filter(key=f"cqc-{cast.alice.key}", body=cast.cqc).exists()


def test_finding4_a_spreadsheet_row_with_another_bodys_key_confirms_nothing(cast):
    theirs = cast.alice.key
    people = csv_bytes(
        ["key", "name", "category", "gender"],
        [[theirs, "Probe", "staff", "male"], ["never-used", "Other", "staff", "male"]],
    )
    run("people", people, cast.cqc)
    assert set(Person.objects.filter(body=cast.cqc).values_list("key", flat=True)) >= {
        f"cqc-{theirs}",
        "cqc-never-used",
    }
