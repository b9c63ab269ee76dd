"""The annual independence report: figures arranged into cited sections.

`build_report` reads frozen snapshots for every year on record and, for a body
whose year is not frozen yet, counts the register live (marked provisional).
The result is plain data (sections of tables and SVG charts) that the HTML
page, the PDF and the CSV files all draw from, so the three cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from armslength.core.labels import rule_title
from armslength.engine import codes
from armslength.register.models import Body
from armslength.reports import charts
from armslength.reports.figures import collect
from armslength.reports.models import Narrative, Snapshot, SnapshotSource
from armslength.reports.suppression import (
    HIDDEN,
    RULE,
    THRESHOLD,
    Suppressed,
    share,
    suppress,
)
from armslength.screening.models import current_policy


@dataclass(frozen=True)
class Share:
    """A proportion, shown as a percentage with one decimal."""

    value: float | None

    def __str__(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f} %"


def ratio(part: float, whole: float) -> Share:
    return Share(part / whole if whole else None)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[object]]
    note: str = ""

    @property
    def numeric(self) -> list[bool]:
        """Which columns hold figures (set right, header too) rather than words (set left)."""
        found = []
        for i in range(len(self.columns)):
            cells = [row[i] for row in self.rows if i < len(row) and row[i] not in (None, "")]
            found.append(i > 0 and all(not isinstance(v, str) for v in cells))
        return found


@dataclass
class Section:
    key: str
    title: str
    cites: tuple[str, ...]
    explanation: str
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    narrative: str = ""


@dataclass
class Source:
    body: str
    text: str
    provisional: bool


@dataclass
class Report:
    year: int
    title: str
    body: Body | None
    sources: list[Source]
    sections: list[Section]
    years: list[int]
    suppression_rule: str = RULE

    @property
    def provisional(self) -> bool:
        return any(s.provisional for s in self.sources)

    def tables(self):
        for section in self.sections:
            for table in section.tables:
                yield section, table


def cell_text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Share):
        return "" if value.value is None else f"{value.value * 100:.1f}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


# --- assembling the years ---------------------------------------------------------


def merge(total: dict, figures: dict) -> dict:
    """Add one body's figures into an NPM-wide total (numbers add, tables merge)."""
    for key, value in figures.items():
        if key == "version" or isinstance(value, bool | str):
            continue
        if isinstance(value, dict):
            merge(total.setdefault(key, {}), value)
        elif isinstance(value, int | float):
            total[key] = round(total.get(key, 0) + value, 2)
    return total


def _year_figures(bodies: list[Body], year: int, today: dt.date):
    """{year: {body id: figures}} from snapshots, plus live figures for the report year."""
    by_year: dict[int, dict[int, dict]] = {}
    snapshots = Snapshot.objects.filter(body__in=bodies, year__lte=year).select_related("taken_by")
    for snap in snapshots:
        by_year.setdefault(snap.year, {})[snap.body_id] = snap.figures
    current = by_year.setdefault(year, {})
    frozen = {s.body_id: s for s in snapshots if s.year == year}
    missing = [b.pk for b in bodies if b.pk not in current]
    if missing:
        live = collect(year, today=today, body_ids=None if len(missing) > 1 else missing)
        current.update({b: live[b] for b in missing})
    grouped: dict[tuple[str, bool], list[str]] = {}
    for b in bodies:
        snap = frozen.get(b.pk)
        if snap is None:
            text = f"provisional: counted live from the register on {today:%d %B %Y}"
        elif snap.source == SnapshotSource.MANUAL:
            text = f"entered by hand on {timezone.localtime(snap.taken_at):%d %B %Y}"
        else:
            taken = timezone.localtime(snap.taken_at)
            text = f"frozen on {taken:%d %B %Y}, as at {snap.as_of:%d %B %Y}"
        grouped.setdefault((text, snap is None), []).append(b.abbreviation)
    sources = [Source(", ".join(names), text, live) for (text, live), names in grouped.items()]
    return by_year, sources


def build_report(year: int, *, body: Body | None = None, today: dt.date | None = None) -> Report:
    today = today or timezone.localdate()
    bodies = [body] if body else list(Body.objects.order_by("abbreviation"))
    by_year, sources = _year_figures(bodies, year, today)
    years = sorted(by_year)
    totals = {y: merge({}, {}) for y in years}
    for y in years:
        for figures in by_year[y].values():
            merge(totals[y], figures)
    ctx = _Context(year, years, totals, by_year, bodies, body)
    sections = [
        _staffing(ctx),
        _secondees(ctx),
        _safeguards(ctx),
        _visits(ctx),
        _findings(ctx),
        _interference(ctx),
        _expertise(ctx),
        _diversity(ctx),
    ]
    narratives = dict(Narrative.objects.filter(body=body, year=year).values_list("section", "text"))
    for section in sections:
        section.narrative = narratives.get(section.key, "")
    title = (
        f"{body.name if body else 'UK National Preventive Mechanism'}: independence report {year}"
    )
    return Report(year, title, body, sources, sections, years)


@dataclass
class _Context:
    year: int
    years: list[int]
    totals: dict[int, dict]
    by_year: dict[int, dict[int, dict]]
    bodies: list[Body]
    body: Body | None

    def staffed_bodies(self) -> list[Body]:
        """Bodies with someone on NPM work in some year (the others would be rows of dashes)."""
        return [
            b
            for b in self.bodies
            if any(
                self.by_year[y].get(b.pk, {}).get("people", {}).get("headcount") for y in self.years
            )
        ]

    def get(self, *path: str, year: int | None = None, default=None):
        value = self.totals[year or self.year]
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return default
            value = value[key]
        return value


def secondee_share(figures: dict) -> Share:
    """UK-10: secondees' FTE as a share of everyone's FTE on NPM work."""
    people = figures.get("people", {})
    secondees = figures.get("secondees", {})
    if "fte" not in people or "fte" not in secondees:
        return Share(None)
    return ratio(secondees["fte"], people["fte"])


def direction(first: Share, last: Share) -> str:
    if first.value is None or last.value is None:
        return "not enough years on record"
    if abs(last.value - first.value) < 0.0005:
        return "unchanged"
    return "falling" if last.value < first.value else "rising"


#: the report's sections in order; their keys name narratives and CSV files
SECTION_TITLES = {
    "staffing": "People on NPM work",
    "secondees": "Reliance on seconded staff",
    "safeguards": "Assessments, supervision and acknowledgements",
    "visits": "Visits, and secondees kept away from their own establishments",
    "findings": "Findings opened and closed",
    "interference": "Interference and reprisals reported",
    "expertise": "Expertise and skills",
    "diversity": "Gender balance and minority representation",
}

LABELS = {
    **codes.labels(codes.CATEGORIES),
    **codes.labels(codes.NPM_ROLES),
    "not_recorded": "Not recorded",
}


# --- sections -----------------------------------------------------------------


def _staffing(ctx: _Context) -> Section:
    people = ctx.get("people", default={})
    section = Section(
        "staffing",
        SECTION_TITLES["staffing"],
        ("UK-9",),
        "UK-9 asks each member to identify which of its staff are involved in NPM work, "
        "frontline and support alike. These are the people on NPM work at the year end, by "
        "category and by NPM role, as headcount and full-time equivalent (FTE: 1 for someone "
        "full time on NPM work, otherwise their recorded share). People of a member body whose "
        f"work lies outside the NPM mandate are not counted ({people.get('non_npm_headcount', 0)} "
        "at the year end).",
    )
    for key, title, table, first in (
        ("by_category", "By category", people.get("by_category", {}), "Category"),
        ("by_role", "By NPM role", people.get("by_role", {}), "NPM role"),
    ):
        rows = [[LABELS.get(k, k), v["headcount"], v["fte"]] for k, v in table.items()]
        rows.append(["Total", people.get("headcount"), people.get("fte")])
        section.tables.append(Table(key, title, [first, "Headcount", "FTE"], rows))
    if not people:
        section.highlights.append("Not recorded for this year.")
    categories = [c for c, _ in codes.CATEGORIES]
    trend = []
    for y in ctx.years:
        by_cat = ctx.get("people", "by_category", year=y, default={})
        trend.append([str(y), *(by_cat.get(c, {}).get("headcount", 0) for c in categories)])
    section.tables.append(
        Table(
            "categories_by_year",
            "Headcount by category, by year",
            ["Year", *map(LABELS.get, categories)],
            trend,
        )
    )
    section.charts.append(
        charts.stacked_columns(
            "Headcount on NPM work by category, by year",
            [str(y) for y in ctx.years],
            [(LABELS[c], [row[i + 1] for row in trend]) for i, c in enumerate(categories)],
        )
    )
    if ctx.body is None:
        rows = []
        for b in ctx.staffed_bodies():
            f = ctx.by_year[ctx.year].get(b.pk, {}).get("people", {})
            rows.append([b.abbreviation, f.get("headcount"), f.get("fte")])
        section.tables.append(
            Table(
                "by_body",
                "By member body",
                ["Body", "Headcount", "FTE"],
                rows,
                note="Bodies with no one on record in any year are left out.",
            )
        )
    section.tables.append(_npm_unit_table(ctx))
    return section


def _npm_unit_table(ctx: _Context) -> Table:
    """UK-9 "a separate unit or department": counts per body, never names."""
    bodies = [ctx.body] if ctx.body is not None else ctx.staffed_bodies()
    rows = []
    for b in bodies:
        unit = ctx.by_year[ctx.year].get(b.pk, {}).get("npm_unit", {})
        if unit.get("recorded"):
            # the name counted against that year (a frozen year keeps it, whatever the
            # body's unit is called now); a year frozen before names were kept says so
            name = unit.get("unit") or "Recorded; its name was not kept when the year was frozen"
            rows.append([b.abbreviation, name, unit["on_npm_work"], unit["outside_unit"]])
        else:
            rows.append([b.abbreviation, "Not recorded", None, None])
    return Table(
        "npm_unit_by_body",
        "On NPM work outside the body's NPM unit (UK-9)",
        ["Body", "NPM unit", "On NPM work", "Outside the unit"],
        rows,
        note="Counts at the year end; who they are is on each body's own page.",
    )


def _secondees(ctx: _Context) -> Section:
    section = Section(
        "secondees",
        SECTION_TITLES["secondees"],
        ("UK-10", "UK-11"),
        "UK-10 commits the NPM to reducing its reliance on seconded staff and to tracking "
        "progress over time: the figure tracked is secondees' FTE as a share of all FTE on NPM "
        "work at each year end. UK-11 asks that new secondees be hired only where the expertise "
        "cannot be found elsewhere, through open recruitment against published criteria; new "
        "secondments of the year are listed with the justification recorded for them.",
    )
    trend_rows = []
    for y in ctx.years:
        f = ctx.totals[y]
        trend_rows.append(
            [
                str(y),
                f.get("secondees", {}).get("headcount"),
                f.get("secondees", {}).get("fte"),
                f.get("people", {}).get("fte"),
                secondee_share(f),
            ]
        )
    section.tables.append(
        Table(
            "share_by_year",
            "Secondees' share of NPM FTE, by year",
            ["Year", "Secondees", "Secondee FTE", "NPM FTE", "Share of NPM FTE"],
            trend_rows,
        )
    )
    first, last = trend_rows[0][4], trend_rows[-1][4]
    scope = ctx.body.abbreviation if ctx.body else "The NPM"
    section.highlights.append(
        f"{scope}: secondees' share of NPM FTE is {direction(first, last)}, from {first} in "
        f"{ctx.years[0]} to {last} in {ctx.years[-1]}."
    )
    panels = [
        (
            "UK NPM" if ctx.body is None else ctx.body.abbreviation,
            [(str(r[0]), r[4].value) for r in trend_rows],
        )
    ]
    body_rows = []
    for b in ctx.staffed_bodies():
        shares = [secondee_share(ctx.by_year[y].get(b.pk, {})) for y in ctx.years]
        recorded = [s for s in shares if s.value is not None]
        trend = direction(recorded[0], recorded[-1]) if len(recorded) > 1 else "—"
        body_rows.append([b.abbreviation, *shares, trend])
        if ctx.body is None and any(s.value for s in shares):
            panels.append(
                (
                    b.abbreviation,
                    [(str(y), s.value) for y, s in zip(ctx.years, shares, strict=True)],
                )
            )
    section.tables.append(
        Table(
            "share_by_body",
            "Share of NPM FTE held by secondees, per body and year",
            ["Body", *map(str, ctx.years), "Trend"],
            body_rows,
        )
    )
    section.charts.append(charts.share_panels("Secondees' share of NPM FTE over the years", panels))
    sectors = codes.labels(codes.SECTORS) | {"not_recorded": "Not recorded"}
    section.tables.append(
        Table(
            "by_origin",
            "Secondees at the year end, by organisation of origin",
            ["Organisation of origin", "Secondees"],
            [[k, v] for k, v in ctx.get("secondees", "by_origin", default={}).items()],
        )
    )
    section.tables.append(
        Table(
            "by_sector",
            "Secondees at the year end, by sector of origin",
            ["Sector", "Secondees"],
            [
                [sectors.get(k, k), v]
                for k, v in ctx.get("secondees", "by_sector", default={}).items()
            ],
        )
    )
    new = ctx.get("secondees", "new", default=0)
    justified = ctx.get("secondees", "new_justified", default=0)
    section.tables.append(
        Table(
            "new_secondments",
            f"New secondments in {ctx.year}, by the justification recorded",
            ["Justification", "New secondments"],
            [[k, v] for k, v in ctx.get("secondees", "justifications", default={}).items()],
            note=f"{justified} of {new} new secondments have a justification on record (UK-11).",
        )
    )
    return section


def _safeguards(ctx: _Context) -> Section:
    compliance = ctx.get("compliance", default={})
    section = Section(
        "safeguards",
        SECTION_TITLES["safeguards"],
        ("UK-12", "UK-13", "UK-15"),
        "UK-12: every secondee in post during the year needs an assessment of possible "
        "conflicts of interest in force (made in the year, or earlier and not yet due for "
        "review). UK-13: regular supervision, counted as one meeting due for each full period "
        "set by the policy's supervision interval in post during the year. UK-15: seconded "
        "staff on NPM work (a secondment current on some day of the year) acknowledge the duty "
        "to act with real and perceived independence, on or before the year's end and not "
        "before that secondment began; leavers acknowledge continuing confidentiality.",
    )
    names = {
        "assessments": "Conflict-of-interest assessments in force (UK-12)",
        "supervisions": "Supervision meetings (UK-13)",
        "acknowledgements": "Secondees' acknowledgements of independence (UK-15)",
        "exit_acknowledgements": "Leavers' confidentiality acknowledgements",
    }
    rows = []
    for key, name in names.items():
        counts = compliance.get(key)
        if counts is None:
            rows.append([name, None, None, Share(None)])
        else:
            rows.append([name, counts["due"], counts["done"], ratio(counts["done"], counts["due"])])
    section.tables.append(
        Table("due_and_done", "Due and done", ["Safeguard", "Due", "Done", "Done (%)"], rows)
    )
    trend = []
    for y in ctx.years:
        counts = ctx.get("compliance", "acknowledgements", year=y)
        due, done = (counts["due"], counts["done"]) if counts else (None, None)
        trend.append([str(y), due, done, ratio(done or 0, due or 0) if counts else Share(None)])
    section.tables.append(
        Table(
            "uk15_by_year",
            "Secondees' acknowledgements of independence by year (UK-15)",
            ["Year", "Due", "Done", "Done (%)"],
            trend,
            note="Frozen years keep the figures taken when they were frozen.",
        )
    )
    return section


def _visits(ctx: _Context) -> Section:
    visits = ctx.get("visits", default={})
    section = Section(
        "visits",
        SECTION_TITLES["visits"],
        ("UK-14",),
        "UK-14: on no occasion may seconded staff inspect an establishment they are seconded "
        "from, are likely to return to, or are otherwise closely affiliated with. The "
        "figures show visits started in the year (cancelled ones excluded), visits whose team "
        "included someone seconded at the time, assignments the conflict rules refused "
        "(from the audit trail), and overrides granted by a second manager.",
    )
    count = visits.get("count")
    section.tables.append(
        Table(
            "summary",
            "Visits in the year",
            ["Figure", "Value"],
            [
                ["Visits", count],
                ["Visit-days", visits.get("days")],
                ["Visits with a secondee in the team", visits.get("with_secondee")],
                [
                    "Share of visits with a secondee",
                    ratio(visits.get("with_secondee", 0), count or 0),
                ],
                ["Overrides granted", visits.get("overrides")],
            ],
        )
    )
    summaries = {k: r.summary for k, r in current_policy()[0].rules.items()}
    refused = visits.get("refused", {})
    section.tables.append(
        Table(
            "refused_by_rule",
            "Assignments refused by the rules, by rule",
            ["Rule", "What it protects", "Refused"],
            [
                [f"{rule_title(rule)} ({rule})", summaries.get(rule, ""), n]
                for rule, n in sorted(refused.items())
            ],
            note=(
                f"{visits.get('refused_attempts', 0)} assignments refused in all; one refusal "
                "counts under every rule that decided it."
            ),
        )
    )
    trend = [
        [
            str(y),
            ctx.get("visits", "count", year=y),
            ctx.get("visits", "days", year=y),
            ratio(
                ctx.get("visits", "with_secondee", year=y, default=0),
                ctx.get("visits", "count", year=y, default=0),
            ),
        ]
        for y in ctx.years
    ]
    section.tables.append(
        Table(
            "by_year",
            "Visits by year",
            ["Year", "Visits", "Visit-days", "With a secondee (%)"],
            trend,
        )
    )
    return section


def _findings(ctx: _Context) -> Section:
    findings = ctx.get("findings", default={})
    section = Section(
        "findings",
        SECTION_TITLES["findings"],
        ("UK-16",),
        "UK-16 asks each member to report its progress in implementing the guidance. Findings "
        "are what the conflict engine flags for a manager to act on (a missing assessment, an "
        "overdue supervision, a secondee reporting to their origin, ...): how many were raised "
        "and resolved in the year, and how many were still open at the year end, by rule.",
    )
    section.tables.append(
        Table(
            "summary",
            "Findings in the year",
            ["Opened", "Closed", "Open at the year end"],
            [[findings.get("opened"), findings.get("closed"), findings.get("open_at_end")]],
        )
    )
    section.tables.append(
        Table(
            "open_by_rule",
            "Open at the year end, by rule",
            ["Rule", "Open"],
            [
                [f"{rule_title(rule)} ({rule})", n]
                for rule, n in sorted(findings.get("open_by_rule", {}).items())
            ],
        )
    )
    return section


def _interference(ctx: _Context) -> Section:
    from armslength.compliance.models import InterferenceKind, InterferenceOutcome

    counts = ctx.get("interference", default={})
    section = Section(
        "interference",
        SECTION_TITLES["interference"],
        ("APT: privileges and guarantees", "APT: independence and impartiality"),
        "Staff conducting visits should enjoy guarantees against intimidation and attempts to "
        "hinder their work, and members and staff should be protected against reprisals for "
        "their NPM work. The figures count reports of interference or reprisals about events "
        "in the year, by kind and by how they ended (open until closed). A report names "
        "its reporter, so small numbers are suppressed as for gender: " + RULE,
    )
    # each table's first column is named (a CSV with an empty first header reads badly)
    for key, title, label, table, labels in (
        (
            "by_kind",
            "Reports by kind",
            "Kind",
            counts.get("by_kind"),
            dict(InterferenceKind.choices),
        ),
        (
            "by_outcome",
            "Reports by outcome",
            "Outcome",
            counts.get("by_outcome"),
            {"open": "Still open", **dict(InterferenceOutcome.choices)},
        ),
    ):
        if table is None:
            section.tables.append(
                Table(key, title, [label, "Reports"], [["Not recorded for this year", None]])
            )
            continue
        full = {code: table.get(code, 0) for code in labels}
        shown = suppress(full)
        rows = [[str(labels[c]), n] for c, n in shown.items()]
        total = sum(full.values())
        # a total of 1 to 4 would tell a small body's readers who reported: hidden too
        rows.append(["Total", HIDDEN if 0 < total < THRESHOLD else total])
        section.tables.append(Table(key, title, [label, "Reports"], rows))
    return section


def _expertise(ctx: _Context) -> Section:
    expertise = ctx.get("expertise", default={})
    base = expertise.get("base", 0)
    section = Section(
        "expertise",
        SECTION_TITLES["expertise"],
        ("APT: professional expertise", "APT: skills and other requirements"),
        "The APT asks for an NPM whose members and staff together hold the professional "
        "expertise the mandate needs, at least legal and medical, and the skills of a good "
        "monitor. Each figure counts the members, staff and secondees on NPM work at the year "
        f"end who hold it ({base} people), from their profiles and recorded training.",
    )
    tags = expertise.get("tags", {})
    ordered = ["legal", "medical", *sorted(set(tags) - {"legal", "medical"})]
    rows = [
        [tag.replace("_", " ").capitalize(), tags.get(tag, 0), ratio(tags.get(tag, 0), base)]
        for tag in ordered
    ]
    section.tables.append(
        Table("expertise", "Professional expertise", ["Expertise", "People", "Share"], rows)
    )
    for tag in ("legal", "medical"):
        if base and not tags.get(tag):
            section.highlights.append(
                f"No one on NPM work holds {tag} expertise (APT: professional expertise)."
            )
    skills = expertise.get("skills", {})
    skill_rows = [
        [label, skills.get(code, 0), ratio(skills.get(code, 0), base)]
        for code, label in codes.APT_SKILLS
    ]
    section.tables.append(Table("skills", "APT skills", ["Skill", "People", "Share"], skill_rows))
    section.charts.append(
        charts.horizontal_bars(
            "Expertise coverage: share of members and staff holding each expertise",
            [(r[0], r[1]) for r in rows],
            of=base,
        )
    )
    section.charts.append(
        charts.horizontal_bars(
            "APT skills coverage: share of members and staff holding each skill",
            [(r[0], r[1]) for r in skill_rows],
            of=base,
        )
    )
    return section


def _diversity(ctx: _Context) -> Section:
    section = Section(
        "diversity",
        SECTION_TITLES["diversity"],
        ("APT: other key considerations (OPCAT art. 18.2)",),
        "OPCAT art. 18.2 asks states to strive for a gender balance and adequate "
        "representation of ethnic and minority groups. Gender and minority status are "
        "counted for everyone on NPM work at the year end; minority status is self-declared, "
        "optional, and shown only in aggregate. " + RULE,
    )
    gender = ctx.get("gender")
    minority = ctx.get("minority")
    for key, title, counts, labels, first in (
        ("gender", "Gender", gender, codes.labels(codes.GENDERS), "Gender"),
        (
            "minority",
            "Minority representation (self-declared)",
            minority,
            codes.labels(codes.MINORITY_STATUSES) | {"not_stated": "Not stated"},
            "Minority status",
        ),
    ):
        if counts is None:
            section.tables.append(
                Table(
                    key,
                    title,
                    [first, "People", "Share"],
                    [["Not recorded for this year", None, None]],
                )
            )
            continue
        full = {code: counts.get(code, 0) for code in labels}
        total = sum(full.values())
        shown = suppress(full)
        rows = [[labels[c], n, share_of(n, total)] for c, n in shown.items()]
        rows.append(["Total", total, Share(1.0 if total else None)])
        section.tables.append(Table(key, title, [first, "People", "Share"], rows))
    return section


def share_of(count: int | Suppressed, total: int) -> Share | Suppressed:
    value = share(count, total)
    return value if isinstance(value, Suppressed) else Share(value)
