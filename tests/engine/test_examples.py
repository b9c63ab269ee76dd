"""Every example of specs/examples gives its expected result, through the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT.parent / "shared" / "specs" / "examples"
if not EXAMPLES.exists():  # the spec's examples, copied in for a checkout without shared/
    EXAMPLES = ROOT / "tests" / "engine" / "examples"

CASES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expected.json"))


def run_screen(path: Path, tmp_path: Path):
    out = tmp_path / "result.json"
    proc = subprocess.run(
        [sys.executable, "-m", "armslength.cli", "screen", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    return proc, out


@pytest.mark.parametrize("dataset", CASES, ids=[p.stem for p in CASES])
def test_example(dataset, tmp_path):
    expected = json.loads(dataset.with_name(dataset.stem + ".expected.json").read_text())
    proc, out = run_screen(dataset, tmp_path)
    assert proc.returncode == expected["exit"], proc.stderr
    if expected["exit"] != 0:
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1
        for words in expected["message_contains"]:
            assert words in lines[0]
        assert not out.exists()
        return
    result = json.loads(out.read_text())
    for want in expected.get("results", []):
        got = next(
            r
            for r in result["results"]
            if r["person"] == want["person"]
            and r["establishment"] == want["establishment"]
            and r.get("visit") == want.get("visit")
        )
        assert got["verdict"] == want["verdict"]
        assert set(want["rules"]) <= {reason["rule"] for reason in got["reasons"]}
    for want in expected.get("findings", []):
        keys = [k for k in ("person", "body", "scope") if k in want]
        present = any(
            f["rule"] == want["rule"] and all(f.get(k) == want[k] for k in keys)
            for f in result["findings"]
        )
        assert present == want["present"], want


def test_examples_are_found():
    assert len(CASES) >= 2
