"""Rewriting every encrypted value under the newest field key and every keyed hash under the
newest search key (`banchengshi encryption rotate`), after a new key was put first in the
settings. Batches of ROTATE_BATCH rows by primary key, each in its own transaction: a run
that stops is continued by running it again (a value already under the newest key is
rewritten to the same value)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction

from banchengshi.encryption.fields import EncryptedCharField, SearchHashField
from banchengshi.encryption.keys import decrypt, reencrypt, search_hash

ROTATE_BATCH = 1000


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    encrypted: tuple[EncryptedCharField, ...]
    hashes: tuple[SearchHashField, ...]


def encrypted_tables() -> Iterator[Table]:
    for model in apps.get_models():
        fields = model._meta.concrete_fields
        encrypted = tuple(f for f in fields if isinstance(f, EncryptedCharField))
        if encrypted:
            hashes = tuple(f for f in fields if isinstance(f, SearchHashField))
            yield Table(model, encrypted, hashes)


def _rotate_batch(table: Table, after: int) -> tuple[int, int]:
    """Rows after the primary key `after`; answers how many and the last key seen."""
    name = connection.ops.quote_name
    model = table.model
    columns = [str(f.column) for f in table.encrypted]
    select = ", ".join(name(c) for c in columns)
    pk = name(str(model._meta.pk.column))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {select} FROM {name(model._meta.db_table)} "
            f"WHERE {pk} > %s ORDER BY {pk} LIMIT %s",
            [after, ROTATE_BATCH],
        )
        rows = cursor.fetchall()
        if not rows:
            return 0, after
        targets = [*columns, *(str(f.column) for f in table.hashes)]
        assignments = ", ".join(f"{name(c)} = %s" for c in targets)
        by_source = {f.name: i for i, f in enumerate(table.encrypted)}
        updates = []
        for key, *tokens in rows:
            values = [reencrypt(token) for token in tokens]
            for field in table.hashes:
                values.append(search_hash(field.source, decrypt(tokens[by_source[field.source]])))
            updates.append([*values, key])
        cursor.executemany(
            f"UPDATE {name(model._meta.db_table)} SET {assignments} WHERE {pk} = %s", updates
        )
    return len(rows), rows[-1][0]


def rotate(table: Table) -> int:
    """Every row of the table under the newest keys; answers the number of rows."""
    done, after = 0, 0
    while True:
        with transaction.atomic():
            count, after = _rotate_batch(table, after)
        if not count:
            return done
        done += count
