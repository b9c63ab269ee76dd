"""UK-9: a body records its NPM unit; its own view names who works on the NPM
outside it, and the report counts them per body without naming anyone."""

from __future__ import annotations

from django.urls import reverse

from armslength.reports import render
from armslength.reports.report import build_report
from armslength.reports.services import snapshot_take
from tests.test_reports import row, table


def with_unit(cast):
    cast.hmip.npm_unit = "NPM Inspection Unit"
    cast.hmip.save()
    cast.alice.unit = "npm inspection unit "  # the same unit, written differently
    cast.alice.save()
    cast.sam.unit = "Prisons directorate"
    cast.sam.save()


def unit_section(page: str) -> str:
    start = page.index('id="npm-unit"')
    return page[start : page.index("</section>", start)]


def test_the_bodys_own_view_lists_people_on_npm_work_outside_its_unit(cast, client_for):
    with_unit(cast)
    url = reverse("register:body_detail", args=[cast.hmip.pk])
    section = unit_section(client_for(cast.hmip_manager).get(url).text)
    assert "Sam Secondee" in section and "Prisons directorate" in section
    assert "Alice Adams" not in section


def test_people_not_on_npm_work_or_who_left_are_not_listed(cast, client_for, today):
    with_unit(cast)
    cast.sam.npm_role = "non_npm"
    cast.sam.save()
    url = reverse("register:body_detail", args=[cast.hmip.pk])
    section = unit_section(client_for(cast.hmip_manager).get(url).text)
    assert "Sam Secondee" not in section and "Everyone on NPM work is in" in section


def test_other_bodies_and_the_coordinator_see_no_names(cast, client_for):
    with_unit(cast)
    url = reverse("register:body_detail", args=[cast.hmip.pk])
    for user in (cast.cqc_manager, cast.coordinator):
        page = client_for(user).get(url).text
        assert "Sam Secondee" not in page and 'id="npm-unit"' not in page


def test_a_body_without_a_unit_says_so(cast, client_for):
    url = reverse("register:body_detail", args=[cast.hmip.pk])
    page = client_for(cast.hmip_manager).get(url).text
    assert "has not recorded an NPM unit" in unit_section(page)


def test_the_report_counts_per_body_and_never_names_anyone(cast, today):
    with_unit(cast)
    report = build_report(today.year, today=today)
    units = table(report, "staffing", "npm_unit_by_body")
    assert row(units, "HMIP") == ["HMIP", "NPM Inspection Unit", 2, 1]
    assert row(units, "CQC") == ["CQC", "Not recorded", None, None]
    html = render.html_document(report) + "".join(render.csv_tables(report).values())
    for name in ("Sam Secondee", "Alice Adams", "Carol Carter"):
        assert name not in html
    own = table(
        build_report(today.year, body=cast.hmip, today=today), "staffing", "npm_unit_by_body"
    )
    assert own.rows == [["HMIP", "NPM Inspection Unit", 2, 1]]


def test_a_frozen_year_keeps_the_units_name_and_its_counts(cast, today):
    """A frozen year is a published figure: renaming the unit or moving people later
    changes neither the name it was counted against nor the counts."""
    with_unit(cast)
    snapshot_take(year=today.year, bodies=[cast.hmip], today=today)
    cast.hmip.npm_unit = "Detention Monitoring Team"
    cast.hmip.save()
    for person in (cast.sam, cast.alice):  # both now in it: nobody outside
        person.unit = "Detention Monitoring Team"
        person.save()
    frozen = table(build_report(today.year, today=today), "staffing", "npm_unit_by_body")
    assert row(frozen, "HMIP") == ["HMIP", "NPM Inspection Unit", 2, 1]
    # CQC was not frozen: counted live, as it is now
    assert row(frozen, "CQC") == ["CQC", "Not recorded", None, None]
    # re-taking the year (the coordinator's deliberate choice) takes the new name and counts
    snapshot_take(year=today.year, bodies=[cast.hmip], today=today, retake=True)
    retaken = table(build_report(today.year, today=today), "staffing", "npm_unit_by_body")
    assert row(retaken, "HMIP") == ["HMIP", "Detention Monitoring Team", 2, 0]


def test_a_year_frozen_before_names_were_kept_does_not_borrow_todays_name(cast, today):
    with_unit(cast)
    (snap,) = snapshot_take(year=today.year, bodies=[cast.hmip], today=today)
    del snap.figures["npm_unit"]["unit"]  # as frozen before the name was kept
    snap.save()
    units = table(build_report(today.year, today=today), "staffing", "npm_unit_by_body")
    name = row(units, "HMIP")[1]
    assert name != "NPM Inspection Unit" and "not kept" in name
    assert row(units, "HMIP")[2:] == [2, 1]
