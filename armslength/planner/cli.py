"""`armslength plan PROBLEM.json --out PLAN.json [--time-limit S] [--workers N]`."""

from __future__ import annotations

import argparse
import json
import sys

from armslength.engine.cli import InputError, read_json, write_atomically
from armslength.planner.problem import ProblemError, load_problem
from armslength.planner.solve import make_plan


def plan_main(argv: list[str], prog: str = "armslength plan") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Propose teams for a programme.")
    parser.add_argument("problem", help="an armslength.plan-problem/1 JSON file")
    parser.add_argument("--out", required=True, help="where to write the plan")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--workers", type=int, default=None, help="solver threads")
    args = parser.parse_args(argv)
    try:
        problem = load_problem(read_json(args.problem))
    except (InputError, ProblemError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    plan = make_plan(problem, time_limit=args.time_limit, workers=args.workers)
    write_atomically(args.out, json.dumps(plan.as_json(problem), indent=1) + "\n")
    return 0
