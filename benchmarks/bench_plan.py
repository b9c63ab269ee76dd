"""Benchmark the team planner on every problem family, beside two independent baselines.

For each family (`generate_plan_problem.FAMILIES`) and seed it generates a
body's year, runs the whole command `armslength plan` (60 s, 2 workers),
checks the plan with the independent checker, and prints: unplanned visits
(and how many no team could staff even alone), objective, bound, gap; beside
them the scarce-first greedy and the plain windowed CP-SAT model of
`plan_baselines.py` (which share no code with the planner) at 60 s and 120 s.
Baseline results are cached by family, seed and generator version
(benchmarks/.cache/), so a rerun times only the planner. The last column says
whether the planner meets issue 15's target on that row: unplanned beyond the
impossible ones and objective both at most the CP-SAT baseline's at 120 s
(national: unplanned at most a quarter of the greedy's).

    python benchmarks/bench_plan.py --families [--seeds N]   # every family, a body's year
    python benchmarks/bench_plan.py --families --only tight,seasonal
    python benchmarks/bench_plan.py --national               # 4,000 people, 20,000 visits, 10 min
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate_plan_problem import FAMILIES, GENERATOR_VERSION, family  # noqa: E402
from plan_baselines import (  # noqa: E402
    BASELINE_VERSION,
    Doc,
    alone_impossible,
    scarce_first_greedy,
    windowed_cpsat,
)

from armslength.planner.check import check_plan  # noqa: E402
from armslength.planner.problem import load_problem  # noqa: E402

CACHE = HERE / ".cache" / "plan"


def run_command(problem_path: Path, out: Path, time_limit: float, workers: int) -> tuple:
    """`armslength plan` as an operator runs it: wall time and peak memory."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.execvp(
            sys.executable,
            [
                sys.executable,
                "-m",
                "armslength.cli",
                "plan",
                str(problem_path),
                "--out",
                str(out),
                "--time-limit",
                str(time_limit),
                "--workers",
                str(workers),
            ],
        )
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("plan failed")
    return time.perf_counter() - started, usage.ru_maxrss * 1024


def measure(doc: dict, teams_of, name: str) -> dict:
    """Run one baseline and check its plan with the independent checker."""
    started = time.perf_counter()
    load = os.getloadavg()[0]
    raw = Doc(doc)
    teams = teams_of(raw)
    seconds = time.perf_counter() - started
    plan = raw.as_plan(teams)
    errors = check_plan(load_problem(doc), plan)
    if errors:
        raise SystemExit(f"{name} baseline made an invalid plan: {errors[:3]}")
    return {
        "unplanned": len(plan["unplanned"]),
        "objective": plan["objective"],
        "seconds": round(seconds, 1),
        "load": round((load + os.getloadavg()[0]) / 2, 1),
    }


def baselines(name: str, seed: int, doc: dict, national: bool) -> dict:
    """Greedy, CP-SAT at 60 s and 120 s, and the impossible count, cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{name}-s{seed}-g{GENERATOR_VERSION}-b{BASELINE_VERSION}.json"
    cached = json.loads(path.read_text()) if path.exists() else {}
    jobs = {
        "impossible": lambda: {"count": alone_impossible(Doc(doc))},
        "greedy": lambda: measure(doc, scarce_first_greedy, "greedy"),
    }
    if not national:
        for seconds in (60, 120):
            jobs[f"cpsat{seconds}"] = lambda s=seconds: measure(
                doc, lambda raw: windowed_cpsat(raw, s), "CP-SAT"
            )
    for key, job in jobs.items():
        if key not in cached:
            print(f"  ({name} seed {seed}: computing baseline {key})", file=sys.stderr)
            cached[key] = job()
            path.write_text(json.dumps(cached, indent=1))
    return cached


def planner(doc: dict, limit: float, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "problem.json", Path(tmp) / "plan.json"
        src.write_text(json.dumps(doc))
        load = os.getloadavg()[0]
        seconds, rss = run_command(src, out, limit, workers)
        plan = json.loads(out.read_text())
    errors = check_plan(load_problem(doc), plan)
    return {
        "plan": plan,
        "seconds": seconds,
        "rss": rss,
        "valid": not errors,
        "errors": errors[:3],
        "load": (load + os.getloadavg()[0]) / 2,
    }


def row(name: str, seed: int, doc: dict, base: dict, run: dict, national: bool) -> str:
    plan = run["plan"]
    impossible = base["impossible"]["count"]
    unplanned = len(plan["unplanned"])
    gap = (plan["objective"] - plan["bound"]) / plan["objective"] if plan["objective"] else 0.0
    greedy = base["greedy"]
    cells = [
        name,
        str(seed),
        f"{len(doc['people'])} / {len(doc['visits'])}",
        f"{run['seconds']:.0f} s, {run['rss'] / 2**20:.0f} MiB, load {run['load']:.1f}",
        "valid" if run["valid"] else f"INVALID {run['errors']}",
        f"{unplanned} ({impossible}; {unplanned - impossible})",
        f"{plan['objective']:,}",
        f"{plan['bound']:,}",
        f"{gap:.1%}",
        f"{greedy['unplanned'] - impossible}, {greedy['objective']:,}",
    ]
    if national:
        met = unplanned <= greedy["unplanned"] / 4
    else:
        c60, c120 = base["cpsat60"], base["cpsat120"]
        cells += [
            f"{c60['unplanned'] - impossible}, {c60['objective']:,}",
            f"{c120['unplanned'] - impossible}, {c120['objective']:,}",
        ]
        met = (unplanned <= c120["unplanned"] and plan["objective"] <= c120["objective"]) and run[
            "valid"
        ]
    cells.append("yes" if met else "NO")
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| family | seed | people / visits | planner wall, memory, load | checker "
    "| unplanned (impossible alone; beyond) | objective | bound | gap "
    "| greedy: beyond, objective"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", action="store_true", help="every family at a body's year")
    parser.add_argument("--only", default="", help="comma-separated families (with --families)")
    parser.add_argument("--national", action="store_true", help="the national size")
    parser.add_argument("--seeds", type=int, default=1, help="seeds 1..N (default 1)")
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baselines-only", action="store_true", help="fill the cache only")
    args = parser.parse_args()
    if not (args.families or args.national):
        parser.error("choose --families and/or --national")
    runs: list[tuple[str, bool]] = []
    if args.families:
        names = [n for n in args.only.split(",") if n] or list(FAMILIES)
        runs += [(n, False) for n in names]
    if args.national:
        runs.append(("national", True))
    print(f"machine: {os.cpu_count()} cores, load at start {os.getloadavg()}")
    cpsat = " | CP-SAT 60 s: beyond, objective | CP-SAT 120 s: beyond, objective"
    header = HEADER + (cpsat if args.families else "") + " | target met |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name, national in runs:
        for seed in range(1, args.seeds + 1):
            doc = family(name, seed)
            base = baselines(name, seed, doc, national)
            if args.baselines_only:
                print(f"| {name} | {seed} | baselines cached: {json.dumps(base)} |")
                continue
            limit = args.time_limit or (600.0 if national else 60.0)
            run = planner(doc, limit, args.workers)
            print(row(name, seed, doc, base, run, national), flush=True)
    print(f"machine load at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
