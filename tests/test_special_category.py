"""Issue 12, finding 2: ethnicity and minority status are readable by the person alone.

The fuzz: every sort, filter and search parameter (and a few guessed ones) of
every API list and detail endpoint, asked by every user other than the person,
answered twice: once with the person's special-category values as they are and
once with them swapped with a colleague's. Not one response may differ (status,
body or ETag). Then the downloads: a manager's subject-access download leaves
the data out, the person's own has it; the command-line export has it only with
an explicit flag, and that is logged.
"""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from armslength.api.urls import router
from armslength.register.models import Person
from tests.conftest import verify_second_factor

SPECIAL = Person.SPECIAL_CATEGORY_FIELDS
STATES = (
    {"alice": ("Aaa-first", "minority"), "carol": ("Zzz-last", "majority")},
    {"alice": ("Zzz-last", "majority"), "carol": ("Aaa-first", "minority")},
)
GUESSED_ORDERINGS = [
    *SPECIAL,
    *(f"-{f}" for f in SPECIAL),
    *(f"person__{f}" for f in SPECIAL),
    *(f"-person__{f}" for f in SPECIAL),
    "minority_status,name",
    "-ethnicity,key",
    "body__people__ethnicity",
]


def set_state(cast, state) -> None:
    for name, (ethnicity, minority) in state.items():
        # .update(): only the values change, as if nothing else had happened
        Person.objects.filter(pk=getattr(cast, name).pk).update(
            ethnicity=ethnicity, minority_status=minority
        )


def parameter_sets(viewset, values: list[str]) -> list[dict]:
    """Every declared filter with every value, every ordering, and guessed names."""
    sets: list[dict] = [{}]
    filterset = getattr(viewset, "filterset_class", None)  # a viewset may filter nothing
    filters = list(filterset.base_filters) if filterset else []
    for name in filters:
        sets += [{name: v} for v in values]
    serializer_fields = list(viewset.serializer_class().fields)
    sets += [{"ordering": term} for term in [*serializer_fields, *GUESSED_ORDERINGS]]
    for guessed in [*SPECIAL, *(f"person__{f}" for f in SPECIAL), "search", "q"]:
        sets += [{guessed: v} for v in values]
        sets += [{f"{guessed}__startswith": "A"}, {f"{guessed}__icontains": "zz"}]
    return sets


def fetch(client, url, params):
    cache.clear()  # the request budget is tested elsewhere
    return client.get(url, params)


def snapshot(cast, users) -> dict:
    values = list(STATES[0]["alice"])
    seen = {}
    for user in users:
        client = Client()
        client.force_login(user)
        verify_second_factor(client, user)
        for prefix, viewset, _basename in router.registry:
            base = f"/api/{prefix}/"
            for params in parameter_sets(viewset, values):
                response = fetch(client, base, params)
                seen[(user.username, base, json.dumps(params))] = (
                    response.status_code,
                    response.content,
                )
            listing = fetch(client, base, {"page_size": 500})
            if listing.status_code != 200:
                continue
            lookup = viewset.lookup_field
            for row in listing.json()["results"]:
                url = f"{base}{row[lookup if lookup != 'pk' else 'id']}/"
                for params in [{}, {"ordering": "ethnicity"}, {"ethnicity": values[0]}]:
                    response = fetch(client, url, params)
                    seen[(user.username, url, json.dumps(params))] = (
                        response.status_code,
                        response.content,
                        response.get("ETag"),
                    )
    return seen


@pytest.fixture
def keyed(cast):
    for person, key in ((cast.alice, "alice"), (cast.sam, "sam"), (cast.carol, "carol")):
        person.key = key
        person.save()
    return cast


@pytest.mark.parametrize(
    "reader", ["coordinator", "hmip_manager", "cqc_manager", "sam_user", "auditor"]
)
def test_finding2_no_api_response_to_anyone_but_the_person_differs_with_special_category_data(
    keyed, reader
):
    # one reader per test, so the suite's workers share the fuzz between them
    cast = keyed
    others = [getattr(cast, reader)]
    set_state(cast, STATES[0])
    before = snapshot(cast, others)
    set_state(cast, STATES[1])
    after = snapshot(cast, others)
    assert len(before) > 400
    changed = [key for key in before if before[key] != after[key]]
    assert changed == []


def test_finding2_people_cannot_be_sorted_by_minority_status(keyed, client_for):
    cast = keyed
    set_state(cast, STATES[0])
    manager = client_for(cast.hmip_manager)
    first = manager.get("/api/people/", {"ordering": "minority_status,name"}).json()
    set_state(cast, STATES[1])
    second = manager.get("/api/people/", {"ordering": "minority_status,name"}).json()
    assert first == second


def test_finding2_a_managers_subject_access_download_leaves_special_category_data_out(
    keyed, client_for
):
    set_state(keyed, STATES[0])
    manager = client_for(keyed.hmip_manager)
    download = manager.get(reverse("register:person_subject_access", args=[keyed.alice.pk]))
    assert download.status_code == 200
    text = download.content.decode()
    assert "Aaa-first" not in text and "minority_status" not in text and "ethnicity" not in text


def test_finding2_the_persons_own_subject_access_download_includes_it_and_is_logged(
    keyed, client_for
):
    set_state(keyed, STATES[0])
    alice = client_for(keyed.alice_user)
    download = alice.get(reverse("register:person_subject_access", args=[keyed.alice.pk]))
    document = json.loads(download.content)
    assert document["person"]["ethnicity"] == "Aaa-first"
    assert document["person"]["minority_status"] == "minority"


def test_finding2_the_command_line_export_has_it_only_with_the_flag_and_logs_that(keyed, tmp_path):
    set_state(keyed, STATES[0])
    plain = tmp_path / "plain.json"
    call_command("export", "--out", str(plain))
    assert "Aaa-first" not in plain.read_text()
    assert not LogEntry.objects.filter(additional_data__where="armslength export").exists()
    flagged = tmp_path / "flagged.json"
    call_command("export", "--out", str(flagged), "--include-special-category")
    people = {p["id"]: p for p in json.loads(flagged.read_text())["people"]}
    assert people["alice"]["ethnicity"] == "Aaa-first"
    logged = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, additional_data__where="armslength export"
    )
    assert set(logged.values_list("object_pk", flat=True)) == {
        str(keyed.alice.pk),
        str(keyed.carol.pk),
    }


def test_finding2_the_command_line_subject_access_has_it_only_with_the_flag(keyed, tmp_path):
    set_state(keyed, STATES[0])
    out = tmp_path / "sar.json"
    call_command("subject_access", "--person", "alice", "--out", str(out))
    assert "Aaa-first" not in out.read_text()
    call_command(
        "subject_access", "--person", "alice", "--out", str(out), "--include-special-category"
    )
    assert json.loads(out.read_text())["person"]["ethnicity"] == "Aaa-first"
    assert LogEntry.objects.filter(additional_data__where="armslength subject_access").exists()


def body_of(response) -> bytes:
    """The response without its per-request CSRF tokens."""
    import re

    if response.streaming:
        return b"".join(response.streaming_content)
    return re.sub(rb'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', b"", response.content)


def test_finding2_web_people_list_cannot_be_searched_or_sorted_by_it(keyed, client_for):
    cast = keyed
    manager = client_for(cast.hmip_manager)
    pages = []
    for state in STATES:
        set_state(cast, state)
        pages.append(
            [
                body_of(manager.get("/people/", params))
                for params in (
                    {"q": "Aaa"},
                    {"sort": "ethnicity"},
                    {"sort": "-minority_status"},
                    {"ethnicity": "Aaa-first"},
                    {"export": "csv"},
                    {"export": "csv", "sort": "minority_status"},
                )
            ]
        )
    assert pages[0] == pages[1]
