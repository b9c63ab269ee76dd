"""The annual independence report: snapshots, figures, suppression, formats, access.

Stories: the coordinator freezes last year and a later edit leaves it alone; a
small body's minority figures read "fewer than 5"; the secondee share falls
the way a hand count says; the PDF says what the web page says.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from armslength.compliance.models import Assessment
from armslength.register.demo import load_demo
from armslength.register.models import Body, Person, Secondment
from armslength.reports import render
from armslength.reports.models import Narrative, Snapshot
from armslength.reports.report import Share, build_report, cell_text
from armslength.reports.services import SnapshotExists, snapshot_take
from armslength.reports.suppression import HIDDEN, suppress
from armslength.visits.models import Visit
from armslength.visits.services import AssignmentRefused, assignment_add


def table(report, section_key: str, table_key: str):
    section = next(s for s in report.sections if s.key == section_key)
    return next(t for t in section.tables if t.key == table_key)


def row(tbl, first: str) -> list:
    return next(r for r in tbl.rows if str(r[0]) == first)


# --- small-number suppression -------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "shown"),
    [(4, HIDDEN), (5, 5), (6, 6)],
)
def test_a_count_under_five_is_hidden_and_five_or_more_is_shown(declared, shown):
    result = suppress({"yes": declared, "no": 40, "prefer_not": 7})
    assert result["yes"] == shown


def test_a_single_hidden_count_hides_the_next_smallest_so_the_total_cannot_reveal_it():
    assert suppress({"yes": 4, "no": 40, "prefer_not": 7}) == {
        "yes": HIDDEN,
        "no": 40,
        "prefer_not": HIDDEN,
    }
    assert suppress({"yes": 6, "no": 40, "prefer_not": 7}) == {"yes": 6, "no": 40, "prefer_not": 7}


def test_zero_is_under_five_too():
    assert suppress({"female": 0, "male": 9, "other": 8})["female"] == HIDDEN


def _people_declaring(body: Body, n_yes: int, n_no: int) -> None:
    for i in range(n_yes + n_no):
        Person.objects.create(
            body=body,
            name=f"Person {i}",
            category="staff",
            npm_role="frontline",
            gender="female" if i % 2 else "male",
            minority_status="yes" if i < n_yes else "no",
        )


@pytest.mark.parametrize(("n_yes", "expected"), [(4, "fewer than 5"), (5, "5"), (6, "6")])
def test_report_minority_table_suppresses_below_five(db, n_yes, expected):
    body = Body.objects.create(key="small", abbreviation="SB", name="Small Body")
    _people_declaring(body, n_yes, 20)
    report = build_report(2026, body=body, today=dt.date(2026, 6, 1))
    minority = table(report, "diversity", "minority")
    assert cell_text(row(minority, "Belongs to a minority group")[1]) == expected
    assert (
        cell_text(row(minority, "Belongs to a minority group")[2]) != f"{n_yes / (n_yes + 20):.1%}"
    )
    # the rule is stated in the report, in the section and the document
    assert "fewer than 5" in next(s for s in report.sections if s.key == "diversity").explanation
    assert "fewer than 5" in render.html_document(report)


def test_suppressed_share_is_hidden_with_its_count(db):
    body = Body.objects.create(key="small", abbreviation="SB", name="Small Body")
    _people_declaring(body, 3, 20)
    report = build_report(2026, body=body, today=dt.date(2026, 6, 1))
    yes = row(table(report, "diversity", "minority"), "Belongs to a minority group")
    assert yes[1] == HIDDEN and yes[2] == HIDDEN


# --- the secondee share, by hand --------------------------------------------------------


def test_secondee_share_by_year_matches_a_hand_count(db):
    """Four full-time staff throughout; a secondee 2023-2024; a half-time secondee from 2025."""
    body = Body.objects.create(key="hb", abbreviation="HB", name="Hand Body")
    for i in range(4):
        Person.objects.create(
            body=body,
            name=f"Staff {i}",
            category="staff",
            npm_role="frontline",
            gender="female",
            joined=dt.date(2020, 1, 1),
        )
    returned = Person.objects.create(
        body=body,
        name="Returned",
        category="secondee",
        npm_role="frontline",
        gender="male",
        joined=dt.date(2023, 1, 1),
        left=dt.date(2025, 1, 1),
    )
    Secondment.objects.create(person=returned, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31))
    current = Person.objects.create(
        body=body,
        name="Current",
        category="secondee",
        npm_role="frontline",
        gender="male",
        full_time_npm=False,
        npm_share=Decimal("0.50"),
    )
    Secondment.objects.create(person=current, start=dt.date(2025, 3, 1), end=dt.date(2027, 2, 28))
    today = dt.date(2026, 11, 23)
    for year in (2023, 2024, 2025):
        snapshot_take(year=year, today=today)
    report = build_report(2026, body=body, today=today)
    shares = table(report, "secondees", "share_by_year")
    # by hand: 1 / (4 + 1) = 20.0 %; the same in 2024; 0.5 / (4 + 0.5) = 11.1 % after
    assert [(r[0], str(r[4])) for r in shares.rows] == [
        ("2023", "20.0 %"),
        ("2024", "20.0 %"),
        ("2025", "11.1 %"),
        ("2026", "11.1 %"),
    ]
    by_body = row(table(report, "secondees", "share_by_body"), "HB")
    assert by_body[-1] == "falling"
    secondees = next(s for s in report.sections if s.key == "secondees")
    assert "falling, from 20.0 % in 2023 to 11.1 % in 2026" in secondees.highlights[0]


def _hand_share(body: Body, day: dt.date) -> Share:
    """UK-10's figure counted the slow way, from model objects, one person at a time."""
    seconded = total = 0.0
    for person in Person.objects.filter(body=body).prefetch_related("secondments"):
        if (person.joined and person.joined > day) or (person.left and person.left <= day):
            continue
        if person.npm_role == "non_npm":
            continue
        spells = list(person.secondments.all())
        covering = [
            s for s in spells if (not s.start or s.start <= day) and (not s.end or day <= s.end)
        ]
        if person.category == "secondee" and spells and not covering:
            continue
        fte = 1.0 if person.full_time_npm else float(person.npm_share or 0)
        total += fte
        if covering or (person.category == "secondee" and not spells):
            seconded += fte
    return Share(seconded / total if total else None)


def test_demo_report_shows_each_bodys_secondee_share_as_a_hand_count_gives_it(db):
    today = dt.date(2026, 11, 23)
    load_demo(seed=1, today=today)
    assert Snapshot.objects.values("year").distinct().count() >= 3
    report = build_report(2026, today=today)
    by_body = table(report, "secondees", "share_by_body")
    years = [int(y) for y in by_body.columns[1:-1]]
    assert years == [2023, 2024, 2025, 2026]
    directions = set()
    for r in by_body.rows:
        body = Body.objects.get(abbreviation=r[0])
        for year, shown in zip(years, r[1:-1], strict=True):
            day = min(dt.date(year, 12, 31), today)
            assert str(shown) == str(_hand_share(body, day)), (body, year)
        directions.add(r[-1])
    assert directions & {"falling", "rising"}


# --- snapshots ----------------------------------------------------------------------


def test_a_change_after_the_snapshot_leaves_that_years_report_unchanged(cast, today):
    year = today.year - 1
    cast.alice.joined = dt.date(year - 2, 1, 1)
    cast.alice.save()
    snapshot_take(year=year, user=cast.coordinator)
    before = render.csv_tables(build_report(year, body=cast.hmip))
    cast.alice.category = "secondee"
    cast.alice.npm_share = Decimal("0.30")
    cast.alice.full_time_npm = False
    cast.alice.minority_status = "yes"
    cast.alice.save()
    Secondment.objects.create(person=cast.alice, origin=cast.hmpps, start=dt.date(year - 1, 1, 1))
    after = render.csv_tables(build_report(year, body=cast.hmip))
    # only the report year's own provenance line may differ; every table is the same
    assert after == before
    live = render.csv_tables(build_report(today.year, body=cast.hmip))
    assert f"{today.year},2,1.30,1.30,100.0" in live["secondees-share_by_year.csv"]


def test_retaking_a_frozen_year_must_be_asked_for_and_is_audited(cast, today):
    year = today.year - 1
    cast.alice.joined = dt.date(year - 2, 1, 1)
    cast.alice.save()
    snapshot_take(year=year, bodies=[cast.hmip], user=cast.coordinator)
    cast.alice.npm_role = "non_npm"
    cast.alice.save()
    with pytest.raises(SnapshotExists):
        snapshot_take(year=year, bodies=[cast.hmip], user=cast.coordinator)
    snap = Snapshot.objects.get(body=cast.hmip, year=year)
    assert snap.figures["people"]["headcount"] == 1
    snapshot_take(year=year, bodies=[cast.hmip], user=cast.coordinator, retake=True)
    snap.refresh_from_db()
    assert snap.figures["people"]["headcount"] == 0
    entry = LogEntry.objects.get_for_object(snap).filter(action=LogEntry.Action.UPDATE).first()
    assert entry is not None and entry.actor == cast.coordinator
    assert "figures" in entry.changes_dict


def test_a_future_year_cannot_be_frozen(cast, today):
    with pytest.raises(ValueError, match="has not begun"):
        snapshot_take(year=today.year + 1)


def test_snapshot_command_freezes_and_refuses_a_second_time_with_exit_2(cast, today, capsys):
    call_command("snapshot", "--year", str(today.year - 1))
    assert Snapshot.objects.filter(year=today.year - 1).count() == 2
    assert "Froze" in capsys.readouterr().out
    with pytest.raises(CommandError) as raised:
        call_command("snapshot", "--year", str(today.year - 1))
    assert raised.value.returncode == 2
    call_command("snapshot", "--year", str(today.year - 1), "--retake", "--body", "HMIP")


# --- figures from the rest of the register -------------------------------------------


def test_refused_assignments_are_counted_by_rule(cast, today):
    visit = Visit.objects.create(
        body=cast.hmip,
        establishment=cast.northbridge,
        start=today - dt.timedelta(days=3),
        end=today - dt.timedelta(days=2),
    )
    with pytest.raises(AssignmentRefused):
        assignment_add(visit=visit, person=cast.sam, role="member", user=cast.hmip_manager)
    report = build_report(today.year, body=cast.hmip, today=today)
    refused = table(report, "visits", "refused_by_rule")
    # Sam is seconded from Northbridge's operator, out of Northbridge itself (UK-14)
    assert [(r[0], r[-1]) for r in refused.rows] == [
        ("Seconded from the organisation that runs it (secondment-operator)", 1),
        ("Seconded from this establishment (secondment-origin)", 1),
    ]
    assert refused.note.startswith("1 assignments refused")
    summary = table(report, "visits", "summary")
    assert row(summary, "Visits")[1] == 1


def test_safeguards_due_and_done_follow_the_secondees_in_post(cast, today):
    report = build_report(today.year, body=cast.hmip, today=today)
    due = table(report, "safeguards", "due_and_done")
    assessments = row(due, "Conflict-of-interest assessments in force (UK-12)")
    assert assessments[1:3] == [1, 0]  # Sam is in post; no assessment on record
    draft = Assessment.objects.create(person=cast.sam, date=today - dt.timedelta(days=50))
    assessments = row(
        table(build_report(today.year, body=cast.hmip, today=today), "safeguards", "due_and_done"),
        "Conflict-of-interest assessments in force (UK-12)",
    )
    assert assessments[1:3] == [1, 0]  # a draft counts for nothing
    draft.signed_off_at = timezone.now()
    draft.save()
    assessments = row(
        table(build_report(today.year, body=cast.hmip, today=today), "safeguards", "due_and_done"),
        "Conflict-of-interest assessments in force (UK-12)",
    )
    assert assessments[1:3] == [1, 1]
    supervisions = row(due, "Supervision meetings (UK-13)")
    assert supervisions[1] == min(100, (today - dt.date(today.year, 1, 1)).days + 1) // 90


def test_manual_figures_for_an_earlier_year_join_the_trend(cast, client_for, today):
    client = client_for(cast.coordinator)
    data = {
        "body": cast.hmip.pk,
        "year": today.year - 5,
        "note": "From the 2021 staffing return",
        "member_headcount": 2,
        "member_fte": "1.5",
        "staff_headcount": 10,
        "staff_fte": "9",
        "secondee_headcount": 3,
        "secondee_fte": "3",
        "external_expert_headcount": 0,
        "external_expert_fte": "0",
        "visits": 12,
        "visit_days": 30,
    }
    bad = client.post(reverse("reports:snapshot_manual"), {**data, "staff_fte": "12"})
    assert bad.status_code == 400 and "cannot exceed the headcount" in bad.text
    assert not Snapshot.objects.exists()
    client.post(reverse("reports:snapshot_manual"), data)
    report = build_report(today.year, body=cast.hmip)
    first = table(report, "secondees", "share_by_year").rows[0]
    assert first[0] == str(today.year - 5) and str(first[4]) == "22.2 %"  # 3 / 13.5
    earlier = build_report(today.year - 5, body=cast.hmip)
    assert "entered by hand" in earlier.sources[0].text
    supervisions = row(table(earlier, "safeguards", "due_and_done"), "Supervision meetings (UK-13)")
    assert cell_text(supervisions[1]) == "—"  # not asked for by hand: not recorded


# --- formats -----------------------------------------------------------------------


def test_csv_command_writes_one_file_per_table(cast, today, tmp_path):
    out = tmp_path / "tables"
    call_command("report", "--year", str(today.year), "--format", "csv", "--out", str(out))
    report = build_report(today.year)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{s.key}-{t.key}.csv" for s, t in report.tables())
    header = (out / "secondees-share_by_year.csv").read_text().splitlines()[0]
    assert header == "Year,Secondees,Secondee FTE,NPM FTE,Share of NPM FTE"


def test_report_command_rejects_an_unknown_body_with_exit_2(cast, today, tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("report", "--year", "2026", "--body", "NOPE", "--out", str(tmp_path / "x"))
    assert raised.value.returncode == 2


def _pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(
    not shutil.which("pdftoppm") and not __import__("os").environ.get("CI"),
    reason="poppler-utils (pdftoppm, pdftotext) not installed; make test installs it as root",
)
def test_pdf_opens_has_every_section_and_the_same_figures_as_the_html(db, tmp_path):
    from PIL import Image

    today = dt.date(2026, 11, 23)
    load_demo(seed=2, today=today)
    call_command("report", "--year", "2026", "--format", "pdf", "--out", str(tmp_path / "r.pdf"))
    call_command("report", "--year", "2026", "--format", "html", "--out", str(tmp_path / "r.html"))
    text = _pdf_text(tmp_path / "r.pdf")
    html = (tmp_path / "r.html").read_text()
    report = build_report(2026)
    for number, section in enumerate(report.sections, 1):
        assert f"{number}. {section.title}" in " ".join(text.split()), section.title
    shares = table(report, "secondees", "share_by_year")
    for r in shares.rows:
        line = f"{r[0]} {cell_text(r[1])} {cell_text(r[2])} {cell_text(r[3])} {cell_text(r[4])}"
        assert line in " ".join(text.split()), line
        assert f'<td class="num">{cell_text(r[4])}</td>' in html
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "3",
            str(tmp_path / "r.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 3
    for page in pages:
        image = Image.open(page).convert("L")
        dark = sum(image.histogram()[:200])
        assert dark > 0.002 * image.width * image.height, f"{page.name} is blank"


# --- who may see and write what -------------------------------------------------------


def test_report_pages_follow_the_roles(cast, client_for, today):
    url = reverse("reports:report")
    assert client_for(cast.alice_user).get(url).status_code == 403
    hmip = client_for(cast.hmip_manager)
    assert hmip.get(url).status_code == 200
    assert hmip.get(url, {"body": cast.hmip.pk}).status_code == 200
    assert hmip.get(url, {"body": cast.cqc.pk}).status_code == 404
    assert hmip.get(reverse("reports:pdf"), {"body": cast.cqc.pk}).status_code == 404
    assert hmip.get(reverse("reports:csv"), {"body": cast.cqc.pk}).status_code == 404
    for user in (cast.coordinator, cast.auditor):
        assert client_for(user).get(url, {"body": cast.cqc.pk}).status_code == 200


def test_csv_zip_download_holds_every_table(cast, client_for, today):
    import io
    import zipfile

    response = client_for(cast.hmip_manager).get(reverse("reports:csv"), {"body": cast.hmip.pk})
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "secondees-share_by_year.csv" in names and "diversity-minority.csv" in names


def test_only_the_coordinator_freezes_a_year_from_the_web(cast, client_for, today):
    url = reverse("reports:snapshots")
    data = {"year": today.year - 1}
    assert client_for(cast.hmip_manager).post(url, data).status_code == 403
    assert client_for(cast.auditor).post(url, data).status_code == 403
    assert not Snapshot.objects.exists()
    client = client_for(cast.coordinator)
    assert client.post(url, data).status_code == 302
    assert Snapshot.objects.filter(year=today.year - 1).count() == 2
    again = client.post(url, data)
    assert "already frozen" in again.text
    assert client.post(url, {**data, "retake": "on"}).status_code == 302


def test_a_manager_enters_earlier_years_for_their_own_body_only(cast, client_for, today):
    client = client_for(cast.cqc_manager)
    response = client.post(
        reverse("reports:snapshot_manual"),
        {"body": cast.hmip.pk, "year": today.year - 4, "note": "x", "member_headcount": 0},
    )
    assert response.status_code == 400
    assert not Snapshot.objects.exists()


def test_commentary_is_written_by_the_coordinator_or_the_bodys_manager(cast, client_for, today):
    url = reverse("reports:narrative")
    npm = {"year": today.year, "section": "secondees"}
    hmip = {**npm, "body": cast.hmip.pk}
    text = {"text": "Two secondees returned to HMPPS this year."}
    assert (
        client_for(cast.cqc_manager)
        .post(f"{url}?year={today.year}&section=secondees&body={cast.hmip.pk}", text)
        .status_code
        == 403
    )
    assert (
        client_for(cast.hmip_manager)
        .post(f"{url}?year={today.year}&section=secondees", text)
        .status_code
        == 403
    )
    assert client_for(cast.auditor).get(url, npm).status_code == 403
    response = client_for(cast.hmip_manager).post(
        f"{url}?year={today.year}&section=secondees&body={cast.hmip.pk}", text
    )
    assert response.status_code == 302
    assert Narrative.objects.get(body=cast.hmip).text == text["text"]
    page = client_for(cast.hmip_manager).get(reverse("reports:report"), hmip)
    assert text["text"] in page.text
    client_for(cast.coordinator).post(f"{url}?year={today.year}&section=secondees", text)
    assert Narrative.objects.filter(body=None, section="secondees").count() == 1
    assert client_for(cast.coordinator).get(url, {**npm, "section": "nonsense"}).status_code == 404


def test_every_csv_table_of_the_report_names_its_first_column(cast, today):
    """Issue 19: `diversity-gender.csv` started with an empty header, and an outside probe
    found the interference tables did too (",Reports")."""
    import csv
    import io

    tables = render.csv_tables(build_report(today.year, body=cast.hmip, today=today))
    assert "interference-by_kind.csv" in tables
    for name, text in tables.items():
        header = next(csv.reader(io.StringIO(text)), [])
        assert header and header[0].strip(), f"{name} has an empty first header: {header}"


def test_open_findings_by_rule_read_by_title_with_the_id_beside(cast, today):
    """The outside probe of issue 19 read bare ids ("npm-role-unset") in this table."""
    from armslength.compliance.services import findings_sync
    from armslength.core.labels import rule_title

    findings_sync()
    report = build_report(today.year, body=cast.hmip, today=today)
    rows = table(report, "findings", "open_by_rule").rows
    assert rows
    for rule_cell, _count in rows:
        rule = rule_cell.rsplit("(", 1)[1].rstrip(")")
        assert rule_cell == f"{rule_title(rule)} ({rule})"
        assert rule_title(rule) != rule
