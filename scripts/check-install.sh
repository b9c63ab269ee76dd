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
# the compiled catalogues travel with the package (make install builds them from the .po files)
for lang in cy fr; do
  "$work/venv/bin/python" -c "import armslength, pathlib, sys; p = pathlib.Path(armslength.__file__).parent / 'locale/$lang/LC_MESSAGES/django.mo'; sys.exit(0 if p.exists() else f'missing {p}: run make install (compilemessages) first')"
done
echo "pip install . gives a working armslength: checks pass, migrations apply, catalogues included"
