"""Issue 12, finding 7: no CSV export carries a spreadsheet formula.

A name or note typed as `=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)` or
`-2+3` comes out of every CSV (people, organisations, audit trail, the
report's tables) as text, starting with `'`, as it already did in XLSX.
"""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from django.utils import timezone

from armslength.core.exports import neutral_text
from armslength.register.models import Organisation, Person

HOSTILE = ['=HYPERLINK("http://x.example","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]


def cells(response) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return [cell for row in csv.reader(io.StringIO(body.decode())) for cell in row]


def assert_neutral(found: list[str]) -> None:
    for text in HOSTILE:
        assert text not in found, text
        assert "'" + text in found, text


def test_finding7_people_csv_writes_formulas_as_text(cast, client_for):
    for n, text in enumerate(HOSTILE):
        Person.objects.create(
            body=cast.hmip, name=text, category="staff", gender="male", key=f"f{n}"
        )
    manager = client_for(cast.hmip_manager)
    assert_neutral(cells(manager.get(reverse("register:person_list"), {"export": "csv"})))


def test_finding7_organisations_csv_writes_formulas_as_text(cast, client_for):
    for n, text in enumerate(HOSTILE):
        Organisation.objects.create(key=f"org-{n}", name=text, sector="executive")
    manager = client_for(cast.hmip_manager)
    assert_neutral(cells(manager.get(reverse("register:organisation_list"), {"export": "csv"})))


def test_finding7_audit_csv_writes_formulas_as_text(cast, client_for):
    for n, text in enumerate(HOSTILE):
        Organisation.objects.create(key=f"org-{n}", name=text, sector="executive")
    auditor = client_for(cast.auditor)
    found = cells(auditor.get(reverse("audit:trail"), {"export": "csv"}))
    for text in HOSTILE:
        assert text not in found
        assert any(cell.startswith("'") and text in cell for cell in found)


def test_finding7_report_csvs_write_formulas_as_text(cast):
    from armslength.reports.render import csv_tables
    from armslength.reports.report import build_report

    cast.hmip.abbreviation = HOSTILE[0][:20]
    cast.hmip.save()
    report = build_report(timezone.localdate().year)
    found = [
        cell
        for text in csv_tables(report).values()
        for row in csv.reader(io.StringIO(text))
        for cell in row
    ]
    assert not any(cell and cell[0] in "=+@" for cell in found)
    assert any(cell.startswith("'=HYPERLINK") for cell in found)


def test_finding7_plain_numbers_stay_numbers():
    assert neutral_text("-3") == "-3" and neutral_text("12.5") == "12.5"
    assert neutral_text("-3+cmd") == "'-3+cmd"
