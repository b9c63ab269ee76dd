"""Time the NPM-wide annual report on the national benchmark register.

Builds a throwaway SQLite database: the conflict-engine issue's national
register (benchmarks/generate_register.py, seed 1: 25 bodies, 20,000 people,
3,000 establishments, 60,000 affiliations, 2,000 secondments) imported with
`armslength import`, its findings synced, plus a year of visits (default
20,000, three people each) and three frozen earlier years. Then it times the
commands an operator types, each as a whole process:

    armslength snapshot --year Y
    armslength report --year Y --format html|pdf|csv --out ...

Target (issue 6): the NPM-wide report in under 30 s.

    python benchmarks/bench_report.py [--visits 20000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_register import generate  # noqa: E402


def armslength(env: dict, *args: str) -> tuple[float, int, str]:
    """Run one command as an operator would; wall time, the child's peak memory, output."""
    with tempfile.TemporaryFile("w+") as log:
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            os.execvpe(sys.executable, [sys.executable, "-m", "armslength.cli", *args], env)
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - started
        log.seek(0)
        out = log.read().strip()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"armslength {' '.join(args)} failed:\n{out}")
    return elapsed, usage.ru_maxrss * 1024, out


def add_visits(env: dict, count: int, year: int) -> None:
    """A year's programme with teams, written straight to the database (setup, not timed)."""
    os.environ.update(env)
    import django

    django.setup()
    import datetime as dt

    from armslength.compliance.services import findings_sync
    from armslength.register.models import Body, Establishment, Person
    from armslength.visits.models import Assignment, Visit

    rng = random.Random(1)
    bodies = list(Body.objects.all())
    places = list(Establishment.objects.values_list("pk", flat=True))
    people: dict[int, list[int]] = {}
    for pk, body_id in Person.objects.values_list("pk", "body_id"):
        people.setdefault(body_id, []).append(pk)
    visits = []
    for n in range(count):
        start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        visits.append(
            Visit(
                key=f"bench-{n}",
                body=rng.choice(bodies),
                establishment_id=rng.choice(places),
                start=start,
                end=start + dt.timedelta(days=rng.randint(0, 3)),
                status="done",
            )
        )
    Visit.objects.bulk_create(visits, batch_size=2000)
    assignments = []
    for visit in Visit.objects.filter(key__startswith="bench-"):
        team = rng.sample(
            people.get(visit.body_id, []), k=min(3, len(people.get(visit.body_id, [])))
        )
        assignments += [Assignment(visit=visit, person_id=p) for p in team]
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    findings_sync()
    print(f"setup: {count} visits, {len(assignments)} assignments, findings synced")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--keep", help="use (and keep) this folder instead of a temporary one")
    args = parser.parse_args()
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="bench-report-"))
    tmp.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "ARMSLENGTH_VAR_DIR": str(tmp),
        "DJANGO_SETTINGS_MODULE": "armslength.settings",
        "DEBUG": "1",
    }
    dataset = tmp / "national.json"
    doc = generate()
    dataset.write_text(json.dumps(doc))
    print(
        f"register: {len(doc['bodies'])} bodies, {len(doc['people'])} people, "
        f"{len(doc['establishments'])} establishments, {len(doc['affiliations'])} affiliations, "
        f"{len(doc['secondments'])} secondments"
    )
    armslength(env, "migrate", "-v0")
    took, _, _ = armslength(env, "import", str(dataset), "--kind", "dataset")
    print(f"setup: import {took:.1f} s")
    add_visits(env, args.visits, args.year)
    for earlier in range(args.year - 3, args.year):
        armslength(env, "snapshot", "--year", str(earlier))

    print("\n| step | wall time | peak memory | output |")
    print("|---|---|---|---|")
    for label, command in (
        ("report html (live year)", ["--format", "html", "--out", str(tmp / "report.html")]),
        ("report pdf (live year)", ["--format", "pdf", "--out", str(tmp / "report.pdf")]),
        ("report csv (live year)", ["--format", "csv", "--out", str(tmp / "csv")]),
        ("snapshot", None),
        ("report pdf (frozen year)", ["--format", "pdf", "--out", str(tmp / "frozen.pdf")]),
    ):
        if command is None:
            took, peak, out = armslength(env, "snapshot", "--year", str(args.year))
            out = out.splitlines()[-1]
        else:
            took, peak, out = armslength(env, "report", "--year", str(args.year), *command)
            out = out.splitlines()[0]
        print(f"| {label} | {took:.1f} s | {peak / 2**20:.0f} MiB | {out} |")
    if not args.keep:
        print(f"(database and files in {tmp}; delete when done)")


if __name__ == "__main__":
    main()
