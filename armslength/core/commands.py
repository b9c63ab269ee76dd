"""Argument helpers shared by the management commands (errors exit 2, naming the option)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q

from armslength.register.models import Body


def find_body(ref: str) -> Body:
    """A body by id (key or number) or abbreviation, in any case."""
    condition = Q(key__iexact=ref) | Q(abbreviation__iexact=ref)
    if ref.isdigit():
        condition |= Q(pk=int(ref))
    body = Body.objects.filter(condition).first()
    if body is None:
        raise CommandError(f"--body: unknown body {ref!r}", returncode=2)
    return body


def require_migrated() -> None:
    """A command that reads the register says so in one line when the database lacks a
    migration, instead of failing on a missing table or column with a traceback."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError("the database needs `armslength migrate`", returncode=2)
