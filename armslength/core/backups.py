"""Backing up and restoring the whole database, with the database's own tools.

SQLite: the online backup API (a consistent copy while the app keeps running).
PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean`. A restore
replaces everything, so the command asks for `--yes`.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    pass


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups are implemented for SQLite and PostgreSQL, not {vendor}.")
    return vendor


def backup(out: Path) -> int:
    """Write a backup to `out` (replaced atomically); returns its size in bytes."""
    tmp = out.with_name(f".{out.name}.partial")
    tmp.unlink(missing_ok=True)
    try:
        if engine() == "sqlite":
            source = sqlite3.connect(_sqlite_path())
            target = sqlite3.connect(tmp)
            with target:
                source.backup(target)
            target.close()
            source.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={tmp}", *_pg_args()])
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out.stat().st_size


def restore(source: Path) -> None:
    """Replace the whole database with the backup in `source`."""
    head = source.read_bytes()[:16]
    kind = engine()
    if kind == "sqlite" and not head.startswith(SQLITE_MAGIC):
        raise BackupError(f"{source} is not an SQLite backup.")
    if kind == "postgresql" and not head.startswith(PG_MAGIC):
        raise BackupError(f"{source} is not a pg_dump (custom format) backup.")
    connection.close()
    if kind == "sqlite":
        backup_db = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path())
        with live:
            backup_db.backup(live)
        live.close()
        backup_db.close()
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *_pg_args(dbname_flag=True),
                str(source),
            ]
        )


def _sqlite_path() -> str:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("An in-memory database cannot be backed up.")
    return name


def _pg_args(*, dbname_flag: bool = False) -> list[str]:
    settings = connection.settings_dict
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args.append(f"{flag}={settings[key]}")
    args.append(f"--dbname={settings['NAME']}" if dbname_flag else settings["NAME"])
    return args


def _run(command: list[str]) -> None:
    env = {**os.environ}
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).") from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")
