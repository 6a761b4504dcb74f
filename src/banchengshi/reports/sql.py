"""SQL expressions of local time that both engines compute in the database itself.

Django's date truncations with a time zone are Python functions on SQLite, called once per
row: grouping a year's cases by their local day spent seconds there (3.9 s of a 6.2 s annual
report at 10,000 cases). Asia/Shanghai has kept UTC+8 all year since 1991, before any instant
the product stores, so on SQLite the local day is the UTC instant moved by eight hours; on
PostgreSQL the zone's own rules apply.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import DateField, Func

from banchengshi.workdays.calendar import SHANGHAI

# Checked at import: were the zone's rules to change, the SQLite form would be wrong.
OFFSET_HOURS = 8
assert all(
    dt.datetime(year, month, 1, tzinfo=SHANGHAI).utcoffset() == dt.timedelta(hours=OFFSET_HOURS)
    for year in (1992, 2026)
    for month in (1, 7)
)


class LocalDate(Func):
    """The day in Asia/Shanghai of an instant column."""

    output_field = DateField()
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=f"date(%(expressions)s, '+{OFFSET_HOURS} hours')",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(%(expressions)s AT TIME ZONE 'Asia/Shanghai')::date",
            **extra,
        )


def as_date(value: dt.date | str) -> dt.date:
    """A LocalDate read without the ORM: SQLite answers it as ISO text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
