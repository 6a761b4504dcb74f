"""The query plan of a queryset on the engine at hand, for tests that show an index serves it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import QuerySet


def plans_of_reads(call: Callable[[], Any]) -> list[str]:
    """The plan of each SELECT that `call()` runs."""
    ran: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        ran.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        call()
    return [sql_plan(sql, params) for sql, params in ran if sql.startswith("SELECT")]


def query_plan(queryset: QuerySet[Any]) -> str:
    return sql_plan(*queryset.query.sql_with_params())


def sql_plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # Some thousand rows still fit in a few pages, which a sequential scan reads as fast;
        # forbidding it shows what serves the query when the table is large.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
