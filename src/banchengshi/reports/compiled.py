"""A report's statements compiled by the ORM once per process, then bound to each report's
instants.

The figures' conditions are ORM expressions (metrics.py), shared with the lists of the cases
behind each figure. Building a report's statements from them took the ORM about 10 ms on every
report, as long as PostgreSQL took to answer them for a month of 10,000 cases (bench.reports,
December 2026). From one report to the next only the instants change (the period's start and
end, the time of the report), so each statement is compiled once with placeholder instants, the
positions of their parameters noted, and run afterwards with the real instants in their place.

What a builder may do with its instants is pass them to the ORM as they are. To catch one that
does more, it is compiled twice, with the placeholders in opposite orders, and refused
unless both give the same SQL with the same parameters in the same places (a builder that
compares two instants, or picks the earlier of them, does not), and unless no other parameter
is a date or an instant (one computed from an instant). Compiling runs the statement with the
placeholders: the first report of each kind in a process runs each of its statements twice more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass, fields
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone


@dataclass(frozen=True)
class Instants:
    """What a report's statements are bound to: the period's window and the report's time."""

    start_at: dt.datetime
    end_at: dt.datetime
    now: dt.datetime


# Instants no report asks for, each distinct, in two opposite orders: compiled in place of the
# real ones.
PLACEHOLDERS = tuple(
    Instants(*(dt.datetime(1901, 1, 1, 0, 0, second, tzinfo=dt.UTC) for second in seconds))
    for seconds in ((1, 2, 3), (3, 2, 1))
)


class CompileError(RuntimeError):
    """A statement's builder did not run exactly one statement, or did more with an instant
    than pass it on (which a placeholder could not stand for)."""


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple[Any, ...]
    # (position among the parameters, name of the instant)
    slots: tuple[tuple[int, str], ...]

    def bound(self, instants: Instants) -> list[Any]:
        params = list(self.params)
        for position, name in self.slots:
            value = getattr(instants, name)
            # The ORM would read a naive instant in the site's zone, the adapter in UTC.
            if timezone.is_naive(value):
                raise ValueError(f"the report's {name} must be an aware instant, not {value}")
            params[position] = connection.ops.adapt_datetimefield_value(value)
        return params


def _instant_like(param: object) -> bool:
    """An instant or a day, or SQLite's text of one."""
    if isinstance(param, dt.date):
        return True
    if not isinstance(param, str):
        return False
    try:
        dt.datetime.fromisoformat(param)
    except ValueError:
        return False
    return True


_compiled: dict[tuple[Hashable, ...], Compiled] = {}


def _capture(build: Callable[[Instants], object], placeholders: Instants) -> Compiled:
    captured: list[tuple[str, tuple[Any, ...]]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = build(placeholders)
        if isinstance(result, QuerySet):
            list(result)
    if len(captured) != 1:
        raise CompileError(f"{build.__qualname__} ran {len(captured)} statements, not one")
    sql, params = captured[0]
    adapted = [
        (f.name, connection.ops.adapt_datetimefield_value(getattr(placeholders, f.name)))
        for f in fields(Instants)
    ]
    slots = []
    for position, param in enumerate(params):
        name = next(
            (name for name, value in adapted if type(param) is type(value) and param == value),
            None,
        )
        if name is not None:
            slots.append((position, name))
        elif _instant_like(param):
            raise CompileError(f"{build.__qualname__} computed a parameter from an instant")
    return Compiled(sql, params, tuple(slots))


def _compile(build: Callable[[Instants], object]) -> Compiled:
    first, second = (_capture(build, placeholders) for placeholders in PLACEHOLDERS)
    # Bound to the same instants, both must be the same statement with the same parameters.
    if first.sql != second.sql or first.bound(PLACEHOLDERS[0]) != second.bound(PLACEHOLDERS[0]):
        raise CompileError(f"{build.__qualname__} made its statement depend on its instants")
    return first


def rows(
    build: Callable[[Instants], object], key: tuple[Hashable, ...], instants: Instants
) -> list[dict[str, Any]]:
    """The rows, by column name, of the one statement `build` runs (a queryset it returns, or
    an aggregate it calls) when given `instants`. `key` holds everything else the statement
    depends on (a unit's path, a field's name…): the statement is compiled once per key."""
    whole_key = (connection.alias, connection.vendor, build.__module__, build.__qualname__, *key)
    compiled = _compiled.get(whole_key)
    if compiled is None:
        compiled = _compiled[whole_key] = _compile(build)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.bound(instants))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def row(
    build: Callable[[Instants], object], key: tuple[Hashable, ...], instants: Instants
) -> dict[str, Any]:
    """The one row of an aggregate's statement."""
    (only,) = rows(build, key, instants)
    return only
