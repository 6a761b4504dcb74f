"""What a process derives from the catalogue, kept until the catalogue changes.

The stamp (CatalogueStamp) is set to a new random value by the database's own triggers on
every insert, update and delete of a matter or a unit (the matters' owning departments, whose
names and kinds the proposals show), so every writer is seen: the admin, the demo's bulk
loads, an UPDATE by hand. A reader compares one short row with the stamp it derived under;
only a changed catalogue is read again. Without the row nothing is kept and every call
derives afresh.

The row and the triggers are made on post_migrate (CatalogConfig), each only when missing:
after the migration that makes the table, after `flush` (the tests' reset) empties it, and
after a migration that rebuilds the matters' or the units' table on SQLite, which drops that
table's triggers with it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from banchengshi.catalog.models import CatalogueStamp, Matter
from banchengshi.org.models import Unit

TABLE = CatalogueStamp._meta.db_table
WATCHED = (Matter._meta.db_table, Unit._meta.db_table)
_NEW_STAMP = {
    "sqlite": "lower(hex(randomblob(16)))",
    "postgresql": "replace(gen_random_uuid()::text, '-', '')",
}

T = TypeVar("T")


def ensure_stamp(using: str = "default", **_: object) -> None:
    """The stamp's row and its triggers, each made when missing (sent post_migrate)."""
    database = connections[using]
    if TABLE not in database.introspection.table_names():
        return  # migrated to a state before the table
    with database.cursor() as cursor:
        for statement in _missing(database):
            cursor.execute(statement)


def _missing(database: BaseDatabaseWrapper) -> list[str]:
    new_stamp = _NEW_STAMP[database.vendor]
    statements = [
        f"INSERT INTO {TABLE} (id, stamp) SELECT 1, {new_stamp} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} WHERE id = 1)"
    ]
    if database.vendor == "sqlite":
        change = f"UPDATE {TABLE} SET stamp = {new_stamp} WHERE id = 1;"
        return statements + [
            f"CREATE TRIGGER IF NOT EXISTS {table}_stamp_{name} AFTER {event} ON {table} "
            f"BEGIN {change} END"
            for table in WATCHED
            for name, event in (("ai", "INSERT"), ("au", "UPDATE"), ("ad", "DELETE"))
        ]
    with database.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY(%s)",
            [[f"{table}_stamp" for table in WATCHED]],
        )
        present = {row[0] for row in cursor.fetchall()}
    # Qualified by the schema the table is in, whatever a writer's search_path.
    statements.append(
        f"CREATE OR REPLACE FUNCTION {schema}.{TABLE}_renew() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN UPDATE {schema}.{TABLE} SET stamp = {new_stamp} "
        f"WHERE id = 1; RETURN NULL; END $$"
    )
    return statements + [
        f"CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {schema}.{table} FOR EACH STATEMENT EXECUTE FUNCTION {schema}.{TABLE}_renew()"
        for table in WATCHED
        if f"{table}_stamp" not in present
    ]


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
