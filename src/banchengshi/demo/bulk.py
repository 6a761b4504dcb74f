"""Fast inserts for the demo generator: one `executemany` (SQLite) or one `COPY` (PostgreSQL)
per table and batch, ids taken from the table's sequence beforehand.

Why not `bulk_create`: the generator writes about 17 rows per case, and bulk_create compiles
every value of every row through the SQL compiler (pre_save, get_db_prep_save, placeholders);
measured on this machine that was 77 % of the time of a 20,000-case run (28 of 36 s), and
creating a Django model instance per row cost another fifth. Here a row is a light `Row`
(or a model instance), each value goes through the adapter Django uses for its field type
(DateTimeField, JSONField, the encrypted fields and their keyed hashes) and nothing else,
and a column the row does not set gets the field's default, so the stored values are those
bulk_create would store and a field the engine adds later is filled like bulk_create would
fill it. `auto_now` fields keep the values the generator set (historical timestamps). Other
engines fall back to bulk_create.

Must run inside the transaction that writes the batch: on SQLite the write lock is taken at
BEGIN (IMMEDIATE), so reading MAX(id) to number new rows is safe; on PostgreSQL the ids come
from nextval() and cannot collide with concurrent inserts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

from banchengshi.encryption.fields import EncryptedCharField, SearchHashField
from banchengshi.encryption.keys import encrypt


class Row:
    """A row being built: attributes named like the model's fields; a foreign key may hold
    the related object (a model instance or another Row) instead of its id."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # only called for attributes never set
        if name == "pk":
            return self.__dict__.get("id")
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self.__dict__["id" if name == "pk" else name] = value


_MISSING = object()


@dataclass(frozen=True)
class _Column:
    column: str
    attname: str
    related: str  # the FK's field name ("case" of "case_id"), "" for other fields
    convert: Callable[[Any], Any] | None
    default: Callable[[], Any]
    # A keyed hash: its value is computed from this other attribute's (plaintext) value.
    hash_of: tuple[str, Callable[[Any], str]] | None = None


_plans: dict[tuple[type[models.Model], bool, str], list[_Column]] = {}


def fast_path() -> bool:
    return connection.vendor in ("sqlite", "postgresql")


def _datetime_converter() -> Callable[[Any], Any]:
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value
    zone = connection.timezone  # what the backend's adapter converts to (UTC with USE_TZ)

    def to_text(value: dt.datetime) -> str:
        # ops.adapt_datetimefield_value without its checks: naive text in the db time zone.
        if value.tzinfo is not None:
            value = value.astimezone(zone).replace(tzinfo=None)
        return str(value)

    return to_text


def _plan(model: type[models.Model], with_pk: bool) -> list[_Column]:
    key = (model, with_pk, connection.vendor)
    plan = _plans.get(key)
    if plan is None:
        ops = connection.ops
        plan = []
        for field in model._meta.concrete_fields:
            if field.primary_key and not with_pk:
                continue
            kind = field.get_internal_type()
            convert: Callable[[Any], Any] | None = None
            hash_of = None
            if isinstance(field, EncryptedCharField):
                convert = encrypt
            elif isinstance(field, SearchHashField):
                hash_of = (field.source, field.hash_of)
            elif kind == "DateTimeField":
                convert = _datetime_converter()
            elif kind == "JSONField":
                encoder = getattr(field, "encoder", None)

                def convert(value: Any, encoder: Any = encoder) -> Any:
                    return ops.adapt_json_value(value, encoder)

            plan.append(
                _Column(
                    column=str(field.column),
                    attname=field.attname,
                    related=field.name if field.many_to_one else "",
                    convert=convert,
                    default=field.get_default,
                    hash_of=hash_of,
                )
            )
        _plans[key] = plan
    return plan


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model` (inside the writing transaction)."""
    if count == 0:
        return []
    assert transaction.get_connection().in_atomic_block
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')
        highest = cursor.fetchone()[0]
        # AUTOINCREMENT never reuses an id, not even one of a deleted last row.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        first = max(highest, row[0] if row else 0) + 1
    return list(range(first, first + count))


def _value(obj: Any, col: _Column) -> Any:
    values = obj.__dict__
    if col.hash_of is not None:
        source, hash_of = col.hash_of
        return hash_of(values.get(source))
    value = values.get(col.attname, _MISSING)
    if col.related and (value is None or value is _MISSING):
        # A foreign key given as the related object (a Row, or a model instance assigned
        # before it had an id: Django keeps those in _state.fields_cache).
        target = values.get(col.related)
        if target is None and isinstance(obj, models.Model):
            target = obj._state.fields_cache.get(col.related)
        if target is not None:
            value = target.pk
    if value is _MISSING:
        value = col.default()
    if col.convert is not None and value is not None:
        value = col.convert(value)
    return value


def _rows(objs: Iterable[Any], plan: list[_Column]) -> Iterator[tuple[Any, ...]]:
    for obj in objs:
        yield tuple(_value(obj, col) for col in plan)


def insert(model: type[models.Model], objs: Sequence[Any], *, with_pk: bool = False) -> None:
    """Insert Rows or model instances; with_pk when their ids came from allocate_ids()."""
    if not objs:
        return
    if not fast_path():
        _bulk_create(model, objs)
        return
    plan = _plan(model, with_pk)
    _write(model, [col.column for col in plan], _rows(objs, plan))


def insert_values(
    model: type[models.Model], attnames: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert plain tuples of attribute values (no row objects at all: the cheapest path for
    the largest tables). Values are adapted as insert() adapts them."""
    if not rows:
        return
    if not fast_path():
        _bulk_create(model, [Row(**dict(zip(attnames, row, strict=True))) for row in rows])
        return
    by_attname = {col.attname: col for col in _plan(model, True)}
    columns = [by_attname[attname] for attname in attnames]
    if any(col.convert for col in columns):
        rows = [
            tuple(
                value if col.convert is None or value is None else col.convert(value)
                for value, col in zip(row, columns, strict=True)
            )
            for row in rows
        ]
    _write(model, [col.column for col in columns], rows)


def _write(model: type[models.Model], columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    table = model._meta.db_table
    names = ", ".join(f'"{column}"' for column in columns)
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    raw_connection = connection.connection
    assert raw_connection is not None
    raw_connection.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def _bulk_create(model: type[models.Model], objs: Sequence[Any]) -> None:
    """The portable path: model instances through bulk_create; Rows get their ids back."""
    instances = []
    for obj in objs:
        if isinstance(obj, models.Model):
            instances.append(obj)
            continue
        instances.append(model(**{col.attname: _value(obj, col) for col in _fields(model)}))
    with historical_timestamps(model):
        model._default_manager.bulk_create(instances, batch_size=500)
    for obj, instance in zip(objs, instances, strict=True):
        if obj is not instance:
            obj.pk = instance.pk


def _fields(model: type[models.Model]) -> list[_Column]:
    """Every column with its value as a Python object (no adapters), for model(**values)."""
    return [
        _Column(
            column=str(field.column),
            attname=field.attname,
            related=field.name if field.many_to_one else "",
            convert=None,
            default=field.get_default,
        )
        for field in model._meta.concrete_fields
    ]


@contextmanager
def historical_timestamps(model: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep generated created_at/updated_at instead of 'now' (fallback path)."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]  # type: ignore[attr-defined]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add  # type: ignore[attr-defined]
