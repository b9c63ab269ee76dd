"""Back up, destroy, restore, and every record is back: with the real commands, on the
database the suite runs on (SQLite, or a scratch PostgreSQL database when DATABASE_URL
points at PostgreSQL)."""

from __future__ import annotations

import json
import os
import uuid
from urllib.parse import urlparse, urlunparse

import pytest

from tests.test_demo_and_cli import run_cli

APPS = [
    "accounts",
    "register",
    "declarations",
    "compliance",
    "visits",
    "screening",
    "reports",
    "spreadsheets",
    "api",
    "auditlog",
    "otp_totp",
    "otp_static",
]


@pytest.fixture
def scratch_database(tmp_path):
    """Environment for the commands: a database of their own, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    env = {"ARMSLENGTH_VAR_DIR": str(tmp_path), "DEBUG": "1"}
    if not url.startswith("postgres"):
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'live.sqlite3'}"
        yield env
        return
    import psycopg

    name = f"armslength_backup_{uuid.uuid4().hex[:8]}"
    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunparse(urlparse(url)._replace(path=f"/{name}"))
    yield env
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def every_record(env, tmp_path, name: str) -> list:
    out = tmp_path / name
    result = run_cli("dumpdata", *APPS, "--output", str(out), env_extra=env)
    assert result.returncode == 0, result.stderr
    return sorted(json.loads(out.read_text()), key=lambda r: (r["model"], str(r["pk"])))


def test_backup_destroy_restore_gives_back_every_record(scratch_database, tmp_path):
    env = scratch_database
    loaded = run_cli("demo", "--no-serve", env_extra=env)
    assert loaded.returncode == 0, loaded.stderr
    before = every_record(env, tmp_path, "before.json")
    assert len(before) > 1000

    backup_file = tmp_path / "armslength.backup"
    made = run_cli("backup", "--out", str(backup_file), env_extra=env)
    assert made.returncode == 0, made.stderr
    assert backup_file.stat().st_size > 0

    assert run_cli("flush", "--no-input", env_extra=env).returncode == 0
    assert every_record(env, tmp_path, "gone.json") == []

    refused = run_cli("restore", str(backup_file), env_extra=env)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    restored = run_cli("restore", str(backup_file), "--yes", env_extra=env)
    assert restored.returncode == 0, restored.stderr
    assert every_record(env, tmp_path, "after.json") == before


def test_restore_refuses_a_file_that_is_not_a_backup(scratch_database, tmp_path):
    bogus = tmp_path / "bogus.backup"
    bogus.write_text("not a backup")
    assert run_cli("migrate", "-v0", env_extra=scratch_database).returncode == 0
    result = run_cli("restore", str(bogus), "--yes", env_extra=scratch_database)
    assert result.returncode == 2 and "is not" in result.stderr
