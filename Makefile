# armslength — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ADDR ?= 127.0.0.1:8000

.PHONY: install run test lint browser-deps worker clean messages

## install: create .venv and install the pinned dependencies (fast when nothing changed),
## then compile the message catalogues (the .po files are committed, the .mo files built)
install: $(STAMP) messages

## messages: compile armslength/locale/*/LC_MESSAGES/django.po (needs GNU gettext's msgfmt)
messages: $(STAMP)
	@command -v msgfmt >/dev/null || bash scripts/ensure-system-packages.sh
	@cd armslength && ../$(BIN)/python -m django compilemessages -v0

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check -e .
	@touch $(STAMP)

## run: migrate the SQLite database, load the demo data if empty, print the logins, serve
## (with the background worker that runs planner jobs beside the web server; it starts
## after the demo is loaded, so it never meets the loading transaction's lock, and is
## started again if it ever stops)
run: install
	@export DEBUG=$${DEBUG:-1}; \
	$(BIN)/armslength demo --no-serve && \
	{ while :; do $(BIN)/armslength db_worker --no-reload; sleep 2; done >var/worker.log 2>&1 & \
	  WORKER=$$!; \
	  trap 'pkill -P $$WORKER 2>/dev/null; kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  echo "Background worker started (pid $$WORKER, log var/worker.log)"; \
	  $(BIN)/armslength serve $(ADDR); }

## test: lint, migration check, and the whole suite (unit, integration, browser), one
## worker per core, idle workers take tests from busy ones (TEST_WORKERS=0 runs in one process)
TEST_WORKERS ?= auto
test: install browser-deps lint
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_translations.py
	@for po in armslength/locale/*/LC_MESSAGES/django.po; do \
	  msgfmt --check --statistics -o /dev/null $$po 2>&1 | tee /dev/stderr | grep -qE 'fuzzy|untranslated' \
	  && { echo "$$po: fuzzy or untranslated entries" >&2; exit 1; } || true; done

browser-deps:
	@bash scripts/ensure-system-packages.sh

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
