"""Rewriting a table's encrypted columns and keyed hashes batch by batch, by primary key, one
transaction (or savepoint, inside a migration) per batch: shared by the migrations that
encrypt what was stored in clear and by the rotation to new keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

BATCH = 1000


@dataclass(frozen=True)
class Columns:
    table: str
    pk: str
    encrypted: tuple[str, ...]
    # (the encrypted column hashed, its hash column); the column's name is the hash's kind.
    hashes: tuple[tuple[str, str], ...] = ()


# What a row's stored values (by encrypted column) become: the encrypted columns' new values,
# then the hash columns', in the order of Columns.
Rewrite = Callable[[dict[str, str]], list[str]]


def rewrite_rows(connection: Any, columns: Columns, rewrite: Rewrite) -> int:
    """Every row of the table rewritten; answers how many."""
    name = connection.ops.quote_name
    table, pk = name(columns.table), name(columns.pk)
    targets = [*columns.encrypted, *(target for _, target in columns.hashes)]
    select = ", ".join(name(column) for column in columns.encrypted)
    assignments = ", ".join(f"{name(column)} = %s" for column in targets)
    done, after = 0, None
    while True:
        where = "" if after is None else f"WHERE {pk} > %s "
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {select} FROM {table} {where}ORDER BY {pk} LIMIT %s",
                [*([] if after is None else [after]), BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return done
            updates = [
                [*rewrite(dict(zip(columns.encrypted, values, strict=True))), key]
                for key, *values in rows
            ]
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", updates)
        done += len(rows)
        after = rows[-1][0]
