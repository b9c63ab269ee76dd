"""Malformed input to every add form and every import: no server error, nothing half-written.

Hypothesis generates the posts (fixed seed): for each form, values of the wrong
type, too long, dates that are not dates, unknown ids, odd unicode. Whatever a
response is, it is never a 500; and when the form is refused, no row of any
kind was added. Imports get random bytes and random cells.
"""

from __future__ import annotations

import csv
import io
import string

from django.apps import apps
from django.urls import NoReverseMatch, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armslength.spreadsheets.columns import KINDS
from armslength.spreadsheets.importer import ImportRejected, check, import_sheet
from armslength.spreadsheets.reading import ReadError, read_sheet

FUZZ = settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

NASTY = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.digits + "-/.", max_size=12),
    st.integers(min_value=-(2**40), max_value=2**40).map(str),
    st.sampled_from(["", " ", "0", "-1", "9999-99-99", "2024-02-30", "on", "null", "x" * 5000]),
)


def add_forms() -> list[str]:
    names = []
    resolver = get_resolver()
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        for name in sub.reverse_dict:
            if isinstance(name, str) and name.endswith("_add"):
                names.append(f"{namespace}:{name}")
    return sorted(set(names))


def row_counts() -> dict:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label
        in ("register", "declarations", "compliance", "visits", "accounts", "reports", "api")
    }


def form_fields(client, url: str) -> list[str]:
    response = client.get(url)
    form = response.context.get("form") if response.context else None
    return list(form.fields) if form is not None else []


def test_every_add_form_survives_malformed_posts(cast, client_for):
    forms = add_forms()
    assert len(forms) >= 10
    client = client_for(cast.hmip_manager)
    fuzzed = []
    for name in forms:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # an add action under a record (a team member): fuzzed with its record
        fields = form_fields(client, url)
        if not fields:
            continue  # not an add form this manager may open (403): nothing to post

        fuzz_form(client, name, url, fields)()
        fuzzed.append(name)
    assert len(fuzzed) >= 10, fuzzed


def fuzz_form(client, name: str, url: str, fields: list[str]):
    @FUZZ
    @given(values=st.fixed_dictionaries({}, optional={f: NASTY for f in fields}))
    def post(values):
        before = row_counts()
        response = client.post(url, values)
        assert response.status_code < 500, (name, values)
        if response.status_code != 302:
            assert row_counts() == before, (name, values)

    return post


def test_every_import_kind_survives_random_files_and_cells(cast):
    @FUZZ
    @given(raw=st.binary(max_size=400), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt"]))
    def random_bytes(raw, name):
        try:
            sheet = read_sheet(raw, name)
        except ReadError:
            return
        for kind in KINDS.values():
            check(kind, sheet, {c.name: c.name for c in kind.columns}, body=cast.hmip)

    random_bytes()

    for kind in KINDS.values():
        fuzz_cells(kind, cast.hmip)()


def fuzz_cells(kind, body):
    header = kind.header()

    @FUZZ
    @given(rows=st.lists(st.lists(NASTY, min_size=len(header), max_size=len(header)), max_size=5))
    def random_cells(rows):
        out = io.StringIO()
        csv.writer(out).writerows([header, *rows])
        before = row_counts()
        try:
            sheet = read_sheet(out.getvalue().encode(), "f.csv")
            import_sheet(kind, sheet, {c: c for c in header}, body=body)
        except (ImportRejected, ReadError):
            assert row_counts() == before

    return random_cells
