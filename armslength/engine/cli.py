"""`armslength screen DATASET.json [--out FILE]`, without Django.

Screening needs no database and no configuration, so the console script runs
it straight from the pure engine: fast to start, usable on any machine.
Exit codes: 0 screened; 2 bad input (one line naming the entry, nothing written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from armslength.engine.context import Context
from armslength.engine.dataset import DatasetError, load_dataset
from armslength.engine.findings import compute_findings
from armslength.engine.screening import (
    RESULT_FORMAT,
    answer,
    encode,
    policy_for,
    screen_all_encoded,
)


class InputError(Exception):
    """Bad input: reported as one line on stderr with exit code 2."""


def read_json(path: str):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None


def write_atomically(path: str, content: str | bytes) -> None:
    """Write the whole file or nothing: a crash never leaves a half-written result."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        if isinstance(content, bytes):
            handle = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding="utf-8")
        with handle:
            handle.write(content)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_result(head: dict, lists: dict[str, list[str]]) -> str:
    """JSON with one record a line: readable, diffable, and fast for a national register."""
    parts = ["{"]
    for key, value in head.items():
        parts.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    names = list(lists)
    for n, name in enumerate(names):
        records = lists[name]
        tail = "" if n == len(names) - 1 else ","
        if not records:
            parts.append(f"  {json.dumps(name)}: []{tail}")
            continue
        parts.append(f"  {json.dumps(name)}: [")
        parts.append(",\n".join(f"    {line}" for line in records))
        parts.append(f"  ]{tail}")
    parts.append("}\n")
    return "\n".join(parts)


def screen_main(argv: list[str], prog: str = "armslength screen") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Conflict screening of a dataset.")
    parser.add_argument("dataset", help="an armslength.dataset/1 JSON file")
    parser.add_argument("--out", help="write the result here instead of printing it")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes for a full screening (default: one per core)",
    )
    args = parser.parse_args(argv)
    try:
        data = load_dataset(read_json(args.dataset))
    except (InputError, DatasetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = render_screening(data, workers=args.workers)
    if args.out:
        write_atomically(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


def render_screening(data, workers: int | None = None) -> str:
    ctx = Context(data, policy_for(data))
    if data.queries is not None:
        results = [
            encode(answer(ctx, q.person, q.establishment, q.visit).as_json()) for q in data.queries
        ]
    else:
        results = screen_all_encoded(ctx, workers)
    head = {
        "format": RESULT_FORMAT,
        "as_of": data.as_of.isoformat(),
        "policy": {"id": ctx.policy.id, "version": ctx.policy.version},
    }
    findings = [encode(f.as_json()) for f in compute_findings(ctx)]
    return render_result(head, {"results": results, "findings": findings})
