#!/usr/bin/env bash
# CI step: `pip install .` into a fresh virtual environment, with nothing else,
# must give a working `armslength` (every runtime dependency is declared in
# pyproject.toml, not only pinned in requirements.txt). Runs the Django system
# checks and migrates a throwaway SQLite database with the installed command.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check .
cd "$work"
export ARMSLENGTH_VAR_DIR="$work/var" DEBUG=1 DATABASE_URL="sqlite:///$work/var/check.sqlite3"
"$work/venv/bin/armslength" check
"$work/venv/bin/armslength" migrate -v0
echo "pip install . gives a working armslength: checks pass, migrations apply"
