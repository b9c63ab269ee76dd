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
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from national import armslength, build  # noqa: E402


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
    build(env, tmp, visits=args.visits, year=args.year)
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
