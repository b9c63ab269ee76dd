"""Benchmark the team planner against the greedy baseline, and check every plan.

For each size it generates a problem (`generate_plan_problem.py`), runs the
whole command `armslength plan` with the size's time limit, checks the plan
with the independent checker, runs the greedy baseline (visits by date,
cheapest eligible people first), and prints: wall time, peak memory,
objective, bound, gap, unplanned visits (and how many no team could staff
even alone), and the greedy figures beside them. Objectives are also shown
less 10,000 for each visit no team could staff (no planner can avoid those).

    python benchmarks/bench_plan.py            # a body's year, 60 s
    python benchmarks/bench_plan.py --national # 4,000 people, 20,000 visits, 600 s
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

from generate_plan_problem import generate, national  # noqa: E402

from armslength.planner.candidates import build_candidates  # noqa: E402
from armslength.planner.check import check_plan  # noqa: E402
from armslength.planner.greedy import greedy_plan  # noqa: E402
from armslength.planner.plan import objective_of  # noqa: E402
from armslength.planner.problem import load_problem  # noqa: E402
from armslength.planner.solve import _hopeless  # noqa: E402


def run_command(problem_path: Path, out: Path, time_limit: float) -> tuple[float, int]:
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
            ],
        )
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("plan failed")
    return time.perf_counter() - started, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=None)
    args = parser.parse_args()
    doc = national(args.seed) if args.national else generate(args.seed)
    name = "national programme" if args.national else "a body's year"
    limit = args.time_limit or (590.0 if args.national else 58.0)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "problem.json", Path(tmp) / "plan.json"
        src.write_text(json.dumps(doc))
        seconds, rss = run_command(src, out, limit)
        plan = json.loads(out.read_text())
    problem = load_problem(doc)
    errors = check_plan(problem, plan)
    hopeless = _hopeless(problem, build_candidates(problem, extra=150, limit=1), 2)
    started = time.perf_counter()
    greedy = greedy_plan(problem)
    greedy_seconds = time.perf_counter() - started
    greedy_objective = objective_of(problem, greedy)
    n = len(problem.visits)
    unplanned = len(plan["unplanned"])
    greedy_unplanned = n - len(greedy)
    floor = 10_000 * len(hopeless)
    gap = (plan["objective"] - plan["bound"]) / plan["objective"] if plan["objective"] else 0
    print(
        f"{name}: {len(problem.people)} people, {n} visits "
        f"({sum(1 for _ in problem.verdicts)} conflict pairs)"
    )
    print(
        f"  planner: {seconds:.1f} s wall (limit {limit:.0f} s), peak {rss / 2**20:.0f} MiB, "
        f"status {plan['status']}, checker: {'valid' if not errors else errors[:3]}"
    )
    print(f"  objective {plan['objective']}, bound {plan['bound']}, gap {gap:.1%}")
    print(
        f"  unplanned {unplanned} ({unplanned / n:.2%}); no team could staff "
        f"{len(hopeless)} even alone; beyond those: {unplanned - len(hopeless)} "
        f"({(unplanned - len(hopeless)) / n:.2%})"
    )
    print(
        f"  greedy: {greedy_seconds:.1f} s, objective {greedy_objective}, unplanned "
        f"{greedy_unplanned}, beyond those: {greedy_unplanned - len(hopeless)}"
    )
    adjusted, greedy_adjusted = plan["objective"] - floor, greedy_objective - floor
    print(
        f"  objective less 10,000 per impossible visit: planner {adjusted}, greedy "
        f"{greedy_adjusted}, ratio {adjusted / max(greedy_adjusted, 1):.3f}"
    )


if __name__ == "__main__":
    main()
