"""The query plan of a queryset on the engine at hand, for tests that show an index serves it."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet


def query_plan(queryset: QuerySet[Any]) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # Some thousand rows still fit in a few pages, which a sequential scan reads as fast;
        # forbidding it shows what serves the query when the table is large.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
