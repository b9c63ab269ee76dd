"""UK-15 in the annual report counts seconded staff on NPM work, not everyone.

Due: people on NPM work with a secondment current on some day of the year.
Done: those with an independence acknowledgement dated on or before the year's
end and not before the start of that secondment.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from armslength.compliance.models import Acknowledgement
from armslength.register.demo import load_demo
from armslength.register.models import Person, Secondment
from armslength.reports import render
from armslength.reports.report import build_report
from armslength.reports.services import snapshot_take
from tests.test_reports import row, table

UK15 = "Secondees' acknowledgements of independence (UK-15)"


def uk15(report) -> list:
    return row(table(report, "safeguards", "due_and_done"), UK15)[1:3]


def hand_count(year: int, today: dt.date, people=None) -> tuple[int, int]:
    """Counted straight from the records, person by person."""
    due = done = 0
    for person in people if people is not None else Person.objects.all():
        if person.npm_role == "non_npm":
            continue
        # only the days they were with the body (from joined, until the day before left)
        first = max(dt.date(year, 1, 1), person.joined or dt.date(year, 1, 1))
        last = min(dt.date(year, 12, 31), today)
        if person.left:
            last = min(last, person.left - dt.timedelta(days=1))
        if first > last:
            continue
        spells = [
            s
            for s in Secondment.objects.filter(person=person)
            if (s.start is None or s.start <= last) and (s.end is None or s.end >= first)
        ]
        if not spells:
            continue
        due += 1
        acks = Acknowledgement.objects.filter(
            person=person, kind="independence", date__lte=dt.date(year, 12, 31)
        )
        done += any(s.start is None or a.date >= s.start for s in spells for a in acks)
    return due, done


def test_uk15_on_the_demo_equals_a_hand_count(db):
    today = dt.date(2026, 11, 23)
    load_demo(seed=1, today=today)
    report = build_report(2026, today=today)
    got = uk15(report)
    assert got == list(hand_count(2026, today))
    # the same figure in the report's CSV file and in its trend
    rows = list(csv.reader(io.StringIO(render.csv_tables(report)["safeguards-due_and_done.csv"])))
    assert [r[1:3] for r in rows if r[0] == UK15] == [[str(got[0]), str(got[1])]]
    trend = {r[0]: r[1:3] for r in table(report, "safeguards", "uk15_by_year").rows}
    assert trend["2026"] == got
    everyone = Person.objects.exclude(npm_role="non_npm").count()
    assert 0 < got[0] < everyone  # secondees only, not everyone on NPM work
    assert 0 < got[1] <= got[0]


def test_uk15_last_year_on_the_demo_equals_a_hand_count_counting_from_joined(db):
    """An outside probe found two people counted due in 2025 who joined in 2026."""
    today = dt.date(2026, 11, 23)
    load_demo(seed=1, today=today)
    assert uk15(build_report(2025, today=today)) == list(hand_count(2025, today))


def test_a_secondee_is_not_due_for_a_year_before_they_joined(cast, today):
    s = cast.sam_secondment
    s.start = dt.date(today.year - 1, 1, 1)
    s.save()
    cast.sam.joined = dt.date(today.year, 1, 1)
    cast.sam.save()
    assert uk15(build_report(today.year - 1, body=cast.hmip, today=today)) == [0, 0]
    assert uk15(build_report(today.year, body=cast.hmip, today=today)) == [1, 0]


def test_staff_are_not_due_and_a_secondee_is(cast, today):
    assert uk15(build_report(today.year, body=cast.hmip, today=today)) == [1, 0]


def test_an_acknowledgement_before_the_secondment_began_does_not_count(cast, today):
    start = cast.sam_secondment.start
    Acknowledgement.objects.create(
        person=cast.sam, kind="independence", date=start - dt.timedelta(days=1)
    )
    assert uk15(build_report(today.year, body=cast.hmip, today=today)) == [1, 0]
    Acknowledgement.objects.create(person=cast.sam, kind="independence", date=start)
    assert uk15(build_report(today.year, body=cast.hmip, today=today)) == [1, 1]


def test_a_secondee_not_on_npm_work_is_not_due(cast, today):
    cast.sam.npm_role = "non_npm"
    cast.sam.save()
    assert uk15(build_report(today.year, body=cast.hmip, today=today)) == [0, 0]


def test_a_secondment_that_ended_last_year_is_not_due_this_year(cast, today):
    s = cast.sam_secondment
    s.start, s.end = dt.date(today.year - 2, 1, 1), dt.date(today.year - 1, 12, 31)
    s.save()
    assert uk15(build_report(today.year, body=cast.hmip, today=today)) == [0, 0]
    assert uk15(build_report(today.year - 1, body=cast.hmip, today=today)) == [1, 0]


def test_a_frozen_year_keeps_its_uk15_figure_and_the_trend_shows_it(cast, today):
    year = today.year - 1
    s = cast.sam_secondment
    s.start = dt.date(year, 3, 1)
    s.save()
    snapshot_take(year=year, today=today)
    Acknowledgement.objects.create(person=cast.sam, kind="independence", date=dt.date(year, 3, 2))
    report = build_report(today.year, body=cast.hmip, today=today)
    trend = table(report, "safeguards", "uk15_by_year")
    by_year = {r[0]: r[1:3] for r in trend.rows}
    assert by_year[str(year)] == [1, 0]  # frozen before the acknowledgement was recorded
    assert by_year[str(today.year)] == [1, 1]
