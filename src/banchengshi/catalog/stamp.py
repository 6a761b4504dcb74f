"""What a process derives from the catalogue, kept until the catalogue changes.

The stamp (CatalogueStamp) is set by the database's own triggers (SQLite and PostgreSQL,
migration catalog 0002) on every insert, update and delete of a matter, so every writer is
seen: the admin, the demo's bulk loads, an UPDATE by hand. A reader compares one short row
with the stamp it derived under; only a changed catalogue is read again. Without the row
nothing is kept and every call derives afresh; `flush` (the tests' reset) empties the table,
and the row comes back on the post_migrate that follows (CatalogConfig)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import connection, connections
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from banchengshi.catalog.models import CatalogueStamp, Matter

TABLE = CatalogueStamp._meta.db_table
MATTERS = Matter._meta.db_table
_NEW_STAMP = {
    "sqlite": "lower(hex(randomblob(16)))",
    "postgresql": "replace(gen_random_uuid()::text, '-', '')",
}

T = TypeVar("T")


def create_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The stamp's row and the triggers that change it (migration catalog 0002)."""
    vendor = schema_editor.connection.vendor
    schema_editor.execute(_insert_row(vendor))
    change = f"UPDATE {TABLE} SET stamp = {_NEW_STAMP[vendor]} WHERE id = 1;"
    if vendor == "sqlite":
        for name, event in (("ai", "INSERT"), ("au", "UPDATE"), ("ad", "DELETE")):
            schema_editor.execute(
                f"CREATE TRIGGER {MATTERS}_stamp_{name} AFTER {event} ON {MATTERS} "
                f"BEGIN {change} END"
            )
        return
    schema_editor.execute(
        f"CREATE FUNCTION {MATTERS}_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{change} RETURN NULL; END $$"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {MATTERS}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {MATTERS} FOR EACH STATEMENT EXECUTE FUNCTION {MATTERS}_stamp()"
    )


def drop_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for name in ("ai", "au", "ad"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {MATTERS}_stamp_{name}")
    else:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {MATTERS}_stamp() CASCADE")


def _insert_row(vendor: str) -> str:
    return (
        f"INSERT INTO {TABLE} (id, stamp) SELECT 1, {_NEW_STAMP[vendor]} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} WHERE id = 1)"
    )


def restore_row(using: str = "default", **_: object) -> None:
    """The stamp's row again after `flush` (sent post_migrate; see CatalogConfig)."""
    database = connections[using]
    if TABLE not in database.introspection.table_names():
        return  # migrated to a state before the table
    with database.cursor() as cursor:
        cursor.execute(_insert_row(database.vendor))


def current_stamp() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stamp FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return str(row[0]) if row else None


class KeptWhileUnchanged(Generic[T]):
    """`derive()`'s value, derived again only when the catalogue's stamp has changed. The stamp
    is read before the catalogue, so a change committed between the two reads is kept under
    the older stamp and read again on the next call, never missed."""

    def __init__(self, derive: Callable[[], T]) -> None:
        self._derive = derive
        self._kept: tuple[str, T] | None = None

    def get(self) -> T:
        stamp = current_stamp()
        kept = self._kept
        if stamp is not None and kept is not None and kept[0] == stamp:
            return kept[1]
        value = self._derive()
        self._kept = (stamp, value) if stamp is not None else None
        return value
