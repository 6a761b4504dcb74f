"""Rewriting every encrypted value under the newest field key and every keyed hash under the
newest search key (`banchengshi encryption rotate`), after a new key was put first in the
settings. A run that stops is continued by running it again (a value already under the
newest key is rewritten to the same value)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models

from banchengshi.encryption.fields import EncryptedCharField, SearchHashField
from banchengshi.encryption.keys import decrypt, reencrypt, search_hash
from banchengshi.encryption.rewriting import Columns, rewrite_rows


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


def rotate(table: Table) -> int:
    """Every row of the table under the newest keys; answers the number of rows."""
    column_of = {field.name: str(field.column) for field in table.encrypted}
    spec = Columns(
        table=table.model._meta.db_table,
        pk=str(table.model._meta.pk.column),
        encrypted=tuple(column_of.values()),
        hashes=tuple((column_of[f.source], str(f.column)) for f in table.hashes),
    )

    def rotated(stored: dict[str, str]) -> list[str]:
        hashes = [search_hash(f.source, decrypt(stored[column_of[f.source]])) for f in table.hashes]
        return [reencrypt(token) for token in stored.values()] + hashes

    return rewrite_rows(connection, spec, rotated)
