"""The report's charts are vector SVG, and every label lies inside its chart.

Measured, not estimated: Chromium lays each chart out in the report's own
font and `getBBox()` gives each label's real extent, which must fall inside
the chart's viewBox (a clipped label was a defect of the PDF report).
"""

from __future__ import annotations

import datetime as dt

import pytest

from armslength.reports import charts
from armslength.reports.report import build_report

MEASURE = """() => [...document.querySelectorAll('svg.chart')].map((svg, i) => {
  const box = svg.viewBox.baseVal;
  const outside = [...svg.querySelectorAll('text')].filter(t => {
    const b = t.getBBox();
    return b.x < box.x - 0.5 || b.y < box.y - 0.5 ||
      b.x + b.width > box.x + box.width + 0.5 || b.y + b.height > box.y + box.height + 0.5;
  }).map(t => t.textContent);
  return {chart: svg.getAttribute('aria-label'), labels: svg.querySelectorAll('text').length,
          outside};
})"""

LONG = "Independent Commission for the Inspection of Detention and Custody Facilities"


def stress_charts() -> list[str]:
    """Charts with the longest labels the register allows."""
    return [
        charts.horizontal_bars(
            "Expertise", [(LONG, 0.2), ("Administration of justice", 1.0), ("Legal", 0.0)]
        ),
        charts.stacked_columns(
            "Headcount",
            ["2023", "2024", "2025", "2026"],
            [(LONG, [3, 4, 5, 6]), ("External expert", [1, 2, 3, 4]), ("Secondee", [2, 2, 2, 2])],
        ),
        charts.share_panels(
            "Shares",
            [(LONG, [("2025", 0.5), ("2026", None)]), ("HMIP", [("2025", 1.0), ("2026", 0.25)])],
        ),
    ]


def charts_inside(page, svgs: list[str]) -> list[dict]:
    fonts = "<style>svg{font-family:'DejaVu Sans',Arial,sans-serif}</style>"
    page.set_content(fonts + "".join(f"<div>{s}</div>" for s in svgs))
    return page.evaluate(MEASURE)


def test_every_chart_label_lies_inside_its_chart_box(page):
    results = charts_inside(page, stress_charts())
    assert len(results) == 3
    for r in results:
        assert r["labels"] > 0
        assert not r["outside"], r


@pytest.mark.django_db
def test_the_demo_reports_charts_are_svg_with_every_label_inside(page):
    from armslength.register.demo import load_demo

    load_demo(seed=2, today=dt.date(2026, 11, 23))
    report = build_report(2026)
    svgs = [c for s in report.sections for c in s.charts]
    assert svgs and all(c.startswith("<svg") for c in svgs)
    for r in charts_inside(page, svgs):
        assert not r["outside"], r
