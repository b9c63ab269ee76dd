"""Shared by the benchmarks: run `armslength` as a whole process, and build the national
register (issue 3's size) in a database with a year of visits and teams."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from generate_register import generate


def run(env: dict, *args: str) -> tuple[float, int, int, str]:
    """Run one command as an operator would: wall time, exit code, peak memory, output."""
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
    return elapsed, os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024, out


def armslength(env: dict, *args: str) -> tuple[float, int, str]:
    """`run`, for a command that must succeed: wall time, peak memory, output."""
    elapsed, code, peak, out = run(env, *args)
    if code != 0:
        raise SystemExit(f"armslength {' '.join(args)} failed:\n{out}")
    return elapsed, peak, out


def build(env: dict, folder: Path, *, visits: int, year: int) -> None:
    """Migrate, import the national register, add `visits` visits of `year` with teams."""
    dataset = folder / "national.json"
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
    add_visits(env, visits, year)


def django_setup(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def add_visits(env: dict, count: int, year: int) -> None:
    """A year's programme with teams, written straight to the database (setup, not timed)."""
    django_setup(env)
    from armslength.compliance.services import findings_sync
    from armslength.register.models import Body, Establishment, Person
    from armslength.visits.models import Assignment, Visit

    rng = random.Random(1)
    bodies = list(Body.objects.all())
    places = list(Establishment.objects.values_list("pk", flat=True))
    people: dict[int, list[int]] = {}
    for pk, body_id in Person.objects.values_list("pk", "body_id"):
        people.setdefault(body_id, []).append(pk)
    made = []
    for n in range(count):
        start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 360))
        made.append(
            Visit(
                key=f"bench-{n}",
                body=rng.choice(bodies),
                establishment_id=rng.choice(places),
                start=start,
                end=start + dt.timedelta(days=rng.randint(0, 3)),
                type=rng.choice(["announced", "announced", "unannounced", "thematic"]),
                status="done",
            )
        )
    Visit.objects.bulk_create(made, batch_size=2000)
    assignments = []
    for visit in Visit.objects.filter(key__startswith="bench-").only("pk", "body_id"):
        staff = people.get(visit.body_id, [])
        team = rng.sample(staff, k=min(3, len(staff)))
        assignments += [Assignment(visit=visit, person_id=p) for p in team]
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    findings_sync()
    print(f"setup: {count} visits, {len(assignments)} assignments, findings synced")
