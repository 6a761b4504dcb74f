"""Open work by unit and deadline colour from counts kept by the database (OpenWorkDay).

The triggers are the database's own (SQLite and PostgreSQL, created by migration 0014), so
every writer of WorkItem is counted: the actions, the demo generator's bulk inserts, the
bench's SQL clones, Django's cascades. A reader adds up the kept rows of each
unit by day; only the days a colour boundary falls in (today and the day the yellow window
ends) are counted exactly from WorkItem itself, a range of its (unit, due) index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, connections, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Count, Q, Sum
from django.utils import timezone

from banchengshi.cases.models import NO_DUE, OpenWorkDay, WorkItem
from banchengshi.cases.selectors import start_of_day
from banchengshi.policy.deadlines import DEFAULT_YELLOW_WINDOW
from banchengshi.workdays.calendar import local_date

TABLE = OpenWorkDay._meta.db_table
WORK = WorkItem._meta.db_table
# The local day of an instant, as reports.sql.LocalDate renders it for each engine.
_DAY = {
    "sqlite": "date({}, '+8 hours')",
    "postgresql": "({} AT TIME ZONE 'Asia/Shanghai')::date",
}


def create_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The triggers, and the counts of the work already there (migration 0014)."""
    vendor = schema_editor.connection.vendor
    day = _DAY[vendor]
    for statement in _trigger_sql(vendor, day):
        schema_editor.execute(statement)
    schema_editor.execute(
        f"INSERT INTO {TABLE} (unit_id, day, items) SELECT unit_id, {day.format('due')}, "
        f"COUNT(*) FROM {WORK} GROUP BY unit_id, {day.format('due')}"
    )


def drop_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for name in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {WORK}_days_{name}")
    else:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {WORK}_days() CASCADE")


def _trigger_sql(vendor: str, day: str) -> list[str]:
    def add(row: str, items: int) -> str:
        return (
            f"INSERT INTO {TABLE} (unit_id, day, items) "
            f"VALUES ({row}.unit_id, {day.format(row + '.due')}, {items});"
        )

    changed = "OLD.unit_id <> NEW.unit_id OR OLD.due <> NEW.due"
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {WORK}_days_ai AFTER INSERT ON {WORK} BEGIN {add('NEW', 1)} END",
            f"CREATE TRIGGER {WORK}_days_ad AFTER DELETE ON {WORK} BEGIN {add('OLD', -1)} END",
            f"CREATE TRIGGER {WORK}_days_au AFTER UPDATE OF unit_id, due ON {WORK} "
            f"WHEN {changed} BEGIN {add('OLD', -1)} {add('NEW', 1)} END",
        ]
    return [
        f"CREATE FUNCTION {WORK}_days() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {add('OLD', -1)} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {add('NEW', 1)} END IF; "
        f"RETURN NULL; END $$",
        f"CREATE TRIGGER {WORK}_days_id AFTER INSERT OR DELETE ON {WORK} "
        f"FOR EACH ROW EXECUTE FUNCTION {WORK}_days()",
        f"CREATE TRIGGER {WORK}_days_u AFTER UPDATE OF unit_id, due ON {WORK} "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {WORK}_days()",
    ]


def forget_if_no_work(using: str = "default", **_: object) -> None:
    """With no work item at all, no kept count either (after `flush`, see CasesConfig)."""
    if TABLE not in connections[using].introspection.table_names():
        return  # migrated to a state before the table
    if not WorkItem.objects.using(using).exists():
        OpenWorkDay.objects.using(using).all().delete()


def compact() -> int:
    """Add up the rows of each unit and day into one (none when they come to zero); returns
    the rows left. Rows written meanwhile are left for the next time."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {TABLE}")
        last = cursor.fetchone()[0]
        if last is None:
            return 0
        added = (
            f"INSERT INTO {TABLE} (unit_id, day, items) SELECT unit_id, day, SUM(items) "
            "FROM {rows} GROUP BY unit_id, day HAVING SUM(items) <> 0"
        )
        if connection.vendor == "postgresql":
            # One snapshot: the rows deleted are exactly those added up (a row of a
            # transaction still open stays, whatever its id).
            cursor.execute(
                f"WITH moved AS (DELETE FROM {TABLE} WHERE id <= %s "
                "RETURNING unit_id, day, items) " + added.format(rows="moved"),
                [last],
            )
        else:
            # SQLite has one writer: from the first write on, no other commits meanwhile.
            cursor.execute(added.format(rows=f"{TABLE} WHERE id <= %s"), [last])
            cursor.execute(f"DELETE FROM {TABLE} WHERE id <= %s", [last])
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return int(cursor.fetchone()[0])


def counts_by_unit(
    unit_ids: Iterable[int] | None, now: dt.datetime | None = None
) -> dict[int, tuple[int, int, int, int]]:
    """(total, red, yellow, undated) of each unit with open work (None: every unit): the kept
    counts by day, and the items of the days a boundary falls in read from WorkItem."""
    now = now or timezone.now()
    soon = now + DEFAULT_YELLOW_WINDOW
    first, last = local_date(now), local_date(soon)
    kept = OpenWorkDay.objects.all()
    edge = WorkItem.objects.filter(
        due__gte=start_of_day(first), due__lt=start_of_day(last + dt.timedelta(days=1))
    )
    if unit_ids is not None:
        units = list(unit_ids)
        kept = kept.filter(unit_id__in=units)
        edge = edge.filter(unit_id__in=units)
    undated = local_date(NO_DUE)
    counts: dict[int, list[int]] = {}
    for row in (
        kept.order_by()
        .values("unit_id")
        .annotate(
            total=Sum("items"),
            red=Sum("items", filter=Q(day__lt=first)),
            yellow=Sum("items", filter=Q(day__gt=first, day__lt=last)),
            undated=Sum("items", filter=Q(day__gte=undated)),
        )
    ):
        counts[row["unit_id"]] = [
            row["total"],
            row["red"] or 0,
            row["yellow"] or 0,
            row["undated"] or 0,
        ]
    for edge_row in (
        edge.order_by()
        .values("unit_id")
        .annotate(
            red=Count("pk", filter=Q(due__lt=now)),
            yellow=Count("pk", filter=Q(due__gte=now, due__lt=soon)),
        )
    ):
        found = counts.setdefault(edge_row["unit_id"], [0, 0, 0, 0])
        found[1] += edge_row["red"]
        found[2] += edge_row["yellow"]
    return {unit: (c[0], c[1], c[2], c[3]) for unit, c in counts.items() if c[0]}
