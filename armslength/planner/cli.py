"""`armslength plan PROBLEM.json --out PLAN.json [--time-limit S] [--workers N]`."""

from __future__ import annotations

import argparse
import json
import sys
import time

from armslength.engine.cli import InputError, read_json, write_atomically
from armslength.planner.problem import ProblemError, load_problem
from armslength.planner.solve import make_plan

#: when the command began (this module is imported as it starts): reading the
#: problem counts against the time limit the operator gave
BEGAN = time.monotonic()


def plan_main(argv: list[str], prog: str = "armslength plan") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Propose teams for a programme.")
    parser.add_argument("problem", help="an armslength.plan-problem/1 JSON file")
    parser.add_argument("--out", required=True, help="where to write the plan")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--workers", type=int, default=None, help="solver threads")
    parser.add_argument(
        "--verbose", action="store_true", help="print each improvement (objective, bound) to stderr"
    )
    args = parser.parse_args(argv)
    try:
        problem = load_problem(read_json(args.problem))
    except (InputError, ProblemError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.monotonic()

    def progress(objective: int, bound: int, fraction: float) -> None:
        print(
            f"{time.monotonic() - started:6.1f} s  objective {objective}  bound {bound}",
            file=sys.stderr,
        )

    def interim(plan) -> None:
        # A long search reports a complete, valid plan as it goes (status feasible).
        write_atomically(args.out, json.dumps(plan.as_json(problem), indent=1) + "\n")

    # Reading the file already took some of the time; writing the plan takes some more.
    spent = time.monotonic() - BEGAN
    plan = make_plan(
        problem,
        time_limit=max(0.5, args.time_limit - spent - min(5.0, 0.02 * args.time_limit)),
        workers=args.workers,
        progress=progress if args.verbose else None,
        interim=interim,
    )
    write_atomically(args.out, json.dumps(plan.as_json(problem), indent=1) + "\n")
    return 0
