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

from armslength.engine.dataset import DatasetError, load_dataset
from armslength.engine.screening import screen


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


def write_json_atomically(path: str, document) -> None:
    """Write the whole file or nothing: a crash never leaves a half-written result."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def screen_main(argv: list[str], prog: str = "armslength screen") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Conflict screening of a dataset.")
    parser.add_argument("dataset", help="an armslength.dataset/1 JSON file")
    parser.add_argument("--out", help="write the result here instead of printing it")
    args = parser.parse_args(argv)
    try:
        data = load_dataset(read_json(args.dataset))
    except (InputError, DatasetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = screen(data).as_json()
    if args.out:
        write_json_atomically(args.out, result)
    else:
        json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    return 0
