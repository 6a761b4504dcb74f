"""Changing audit rows behind the application's back, as someone with database access would.

On PostgreSQL the table's triggers refuse it (audit migration 0003), so the tamperer first
disables them, as the table's owner can: what is left to catch them is the chain and its
anchors. Inside a test's transaction the triggers come back with the rollback; they are
enabled again here for the tests that commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from banchengshi.audit.models import AuditEvent

TABLE = connection.ops.quote_name(AuditEvent._meta.db_table)


@contextmanager
def tampering() -> Iterator[None]:
    """Within the block, audit rows can be changed (ORM `.update()`, raw SQL) on any engine."""
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        with connection.cursor() as cursor:
            # The test's inserts leave deferred foreign-key checks pending, which ALTER TABLE
            # refuses to run beside: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")


def tamper(statement: str, params: list[Any]) -> None:
    """Run `statement` with {table} standing for the audit events' table."""
    with tampering(), connection.cursor() as cursor:
        cursor.execute(statement.replace("{table}", TABLE), params)
