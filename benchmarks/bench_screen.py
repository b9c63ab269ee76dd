"""Time the whole `armslength screen` command on a generated national register.

Prints wall time and the child's peak memory (max RSS). Target (issue 3):
under 10 s and 1 GiB on a 2-core machine.

    python benchmarks/bench_screen.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_register import generate  # noqa: E402


def run_once(dataset: Path, out: Path) -> tuple[float, int]:
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child runs exactly what an operator types
        os.execvp(
            sys.executable,
            [sys.executable, "-m", "armslength.cli", "screen", str(dataset), "--out", str(out)],
        )
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("screen failed")
    return elapsed, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dataset, out = Path(tmp) / "national.json", Path(tmp) / "result.json"
        doc = generate()
        dataset.write_text(json.dumps(doc))
        print(
            f"register: {len(doc['bodies'])} bodies, {len(doc['people'])} people, "
            f"{len(doc['establishments'])} establishments, {len(doc['affiliations'])} "
            f"affiliations, {len(doc['secondments'])} secondments "
            f"({dataset.stat().st_size / 2**20:.1f} MiB)"
        )
        runs = [run_once(dataset, out) for _ in range(args.repeat)]
        result = json.loads(out.read_text())
        print(
            f"result: {len(result['results'])} non-clear pairs, "
            f"{len(result['findings'])} findings ({out.stat().st_size / 2**20:.1f} MiB)"
        )
        for i, (seconds, rss) in enumerate(runs, 1):
            print(f"run {i}: {seconds:.2f} s, peak memory {rss / 2**20:.0f} MiB")
        best = min(s for s, _ in runs)
        peak = max(r for _, r in runs)
        print(
            f"best {best:.2f} s, peak {peak / 2**20:.0f} MiB on {os.cpu_count()} cores, "
            f"Python {platform.python_version()} "
            f"(target: < 10 s, < 1024 MiB) -> {'OK' if best < 10 and peak < 2**30 else 'MISS'}"
        )


if __name__ == "__main__":
    main()
