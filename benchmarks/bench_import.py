"""Time a 5,000-row people spreadsheet through `armslength import`.

Loads the demo register into a throwaway database (SQLite by default; set
DATABASE_URL for PostgreSQL: the database is emptied first), then:

1. imports a people file of 5,000 rows with 40 mistakes scattered through it
   (dates in the wrong format, unknown categories and genders, duplicate keys,
   a part-time share for someone marked full time): the command must list all
   40 by row and column, exit 2 and write nothing;
2. imports the corrected file: every row new (target: under 30 s);
3. imports it again: nothing changes.

    python benchmarks/bench_import.py [--rows 5000] [--errors 40]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national import run

HEADER = [
    "key",
    "name",
    "email",
    "category",
    "npm_role",
    "expertise",
    "languages",
    "gender",
    "joined",
    "full_time_npm",
    "npm_share",
]
MISTAKES = [
    ("joined", lambda rng: f"{rng.randint(1, 28)}-{rng.randint(1, 12)}-2024"),  # not ISO
    ("category", lambda rng: "manager"),
    ("gender", lambda rng: "unknown"),
    ("npm_share", lambda rng: "0.5"),  # with full_time_npm = yes
    ("key", None),  # a key already used above
]


def people_rows(n: int, seed: int = 1) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        part_time = rng.random() < 0.15
        rows.append(
            {
                "key": f"bench-{i:05d}",
                "name": f"Person {i:05d}",
                "email": f"person.{i}@example.org",
                "category": rng.choice(["staff"] * 6 + ["member", "external_expert"]),
                "npm_role": rng.choice(["frontline", "frontline", "support"]),
                "expertise": rng.choice(["legal", "medical", "detention; legal", ""]),
                "languages": "english",
                "gender": rng.choice(["female", "male"]),
                "joined": f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "full_time_npm": "no" if part_time else "yes",
                "npm_share": "0.60" if part_time else "",
            }
        )
    return rows


def with_mistakes(rows: list[dict[str, str]], count: int, seed: int = 2) -> set[int]:
    """Spoil `count` rows (spread through the file); returns their spreadsheet row numbers."""
    rng = random.Random(seed)
    spoiled = sorted(rng.sample(range(2, len(rows), 3), count))  # never two side by side
    for n, index in enumerate(spoiled):
        column, make = MISTAKES[n % len(MISTAKES)]
        if column == "key":
            rows[index]["key"] = rows[index - 1]["key"]
        else:
            if column == "npm_share":
                rows[index]["full_time_npm"] = "yes"
            rows[index][column] = make(rng)
    return {i + 2 for i in spoiled}


def write(rows: list[dict[str, str]], path: Path) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--errors", type=int, default=40)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    env = {**os.environ, "ARMSLENGTH_VAR_DIR": str(tmp), "DEBUG": "1"}
    engine = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    if engine == "PostgreSQL":
        run(env, "flush", "--no-input")
    _, code, _, out = run(env, "demo", "--no-serve")
    if code != 0:
        raise SystemExit(out)
    rows = people_rows(args.rows)
    good, bad = tmp / "people.csv", tmp / "people-with-mistakes.csv"
    write(rows, good)
    spoiled_rows = [dict(r) for r in rows]
    spoiled = with_mistakes(spoiled_rows, args.errors)
    write(spoiled_rows, bad)
    print(f"{engine}: {args.rows} rows, {args.errors} mistakes in rows {sorted(spoiled)[:5]}...")

    took, code, _, out = run(env, "import", str(bad), "--kind", "people", "--body", "HMIP")
    listed = {
        int(m)
        for m in re.findall(r"^(?:CommandError: )?row (\d+), column", out, flags=re.MULTILINE)
    }
    print(
        f"| with mistakes | {took:.1f} s | exit {code}; {len(listed)} errors listed, "
        f"{'all' if listed == spoiled else 'NOT all'} of the spoiled rows; "
        f"{out.strip().splitlines()[-1]} |"
    )
    for label in ("corrected", "again"):
        took, code, _, out = run(env, "import", str(good), "--kind", "people", "--body", "HMIP")
        print(f"| {label} | {took:.1f} s | exit {code}; {out.strip().splitlines()[-1]} |")
    print(f"(files and database in {tmp})")


if __name__ == "__main__":
    main()
