"""`python -m bench.scale --database-url URL --factor F`: multiply a generated database by F.

The demo generator writes about a thousand cases a second at best, a few hundred on a busy
machine, so a million cases would take it hours. This step makes F-1 copies of every case
already there, each copy a row-for-row clone made in SQL (one INSERT … SELECT per table, one
transaction per table, tables in the order their foreign keys need): copy k of a row gets the
id `id + k × MAX(id)` of its table, and every foreign key to a cloned table is moved the same
way, so a copy's clocks, work items and tasks belong to the copy of their case.

Cloned, because the reminder sweep or the case pages read them: cases, co-handling tasks,
clock requests, case units, the case search rows (and with them the full-text index: FTS5's
triggers on SQLite, the generated tsvector on PostgreSQL), clocks, work items, contact
records, return visits, supervisions and sent reminders. What stays as generated:

- instants: a copy keeps every instant of its original (received, deadlines, `remind_at`,
  stopped and paused), so the cases per day, the states and the running/stopped clocks keep
  their distribution and are F times as dense, as a generator run F times as large would make
  them; the worker's catch-up sweep has F times the same reminders to send. Shifting the
  copies in time instead would move deadlines off the working days they were computed on.
- tracking numbers: copy k of number n of a year is n + k × (the year's last number), and
  TrackingSequence moves on to F × last, so numbers stay unique and registration continues
  after them; the search row's tracking token is rewritten to match. External ids (unique per
  source) get `~k` appended.
- the audit chain is not cloned: its hash chain would have to be recomputed event by event in
  Python. `banchengshi audit verify` still holds (the chain and its head are untouched), but a
  copy's case page shows no history, which is why bench.cases keeps generating its large size
  while bench.reminders (the sweep reads no audit event) scales.
- the people, units, catalogue, notifications, outbox messages and short links of the
  showcase cases belong to those cases or to people and are not copied.

Prints one JSON line: the factor, the rows of each table before and after, the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

NAME = "scale"
# Dependency order: a table comes after every cloned table it points to.
CLONED = (
    "cases.Case",
    "cases.CoHandlingTask",
    "cases.ClockRequest",
    "cases.CaseUnit",
    "cases.CaseSearch",
    "cases.Clock",
    "cases.WorkItem",
    "cases.ContactRecord",
    "cases.ReturnVisit",
    "cases.Supervision",
    "notify.ReminderSent",
)


class ScaleError(Exception):
    pass


def _copies(factor: int) -> str:
    """A derived table `copies(k)`, k = 1 … factor-1."""
    return " UNION ALL ".join(f"SELECT {k} AS k" for k in range(1, factor))


def _tracking(prefix: str, lasts: dict[str, int], case: str) -> tuple[str, str]:
    """SQL for copy k's tracking number of the case aliased `case`, and its digits (for the
    search row)."""
    from banchengshi.cases.search import digits_of

    after = len(prefix) + 2  # 1-based: the year follows "PREFIX-"
    year = f"substr({case}.tracking_no, {after}, 4)"
    last = "CASE " + " ".join(f"WHEN {year} = '{y}' THEN {n}" for y, n in lasts.items()) + " END"
    number = f"CAST(substr({case}.tracking_no, {after + 5}) AS BIGINT) + copies.k * ({last})"
    if _vendor() == "sqlite":
        padded = f"printf('%06d', {number})"
    else:
        # lpad cuts a longer text: a number past 999,999 keeps its seventh digit.
        padded = f"lpad(({number})::text, greatest(6, length(({number})::text)), '0')"
    tracking = f"'{prefix}-' || {year} || '-' || {padded}"
    return tracking, f"'{digits_of(prefix)}' || {year} || {padded}"


def _check_tracking(prefix: str) -> dict[str, int]:
    """The last number of each year, after checking every number has the form the copies'
    numbers are computed from (PREFIX-YYYY-N…) and is within its year's sequence."""
    from django.db import connection

    from banchengshi.cases.models import Case, TrackingSequence

    lasts = {
        str(year): last
        for year, last in TrackingSequence.objects.filter(prefix=prefix).values_list("year", "last")
    }
    if Case.objects.exclude(tracking_no__startswith=f"{prefix}-").exists():
        raise ScaleError(f"some tracking numbers do not start with {prefix}-")
    after = len(prefix) + 2
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT substr(tracking_no, {after}, 4), "
            f"MAX(CAST(substr(tracking_no, {after + 5}) AS BIGINT)), COUNT(*) "
            f"FROM {Case._meta.db_table} GROUP BY 1"
        )
        for year, highest, count in cursor.fetchall():
            if year not in lasts or highest is None or highest > lasts[year]:
                raise ScaleError(
                    f"{count} tracking numbers of year {year!r} are not {prefix}-YYYY-N… "
                    "within TrackingSequence: was the database made by bench.generate?"
                )
    return lasts


def _clone_sql(model: Any, factor: int, offsets: dict[Any, int], lasts: dict[str, int]) -> str:
    """One INSERT … SELECT making every copy of `model`'s rows (alias `t`)."""
    from django.conf import settings

    from banchengshi.cases.models import Case, CaseSearch

    prefix = settings.BANCHENGSHI_DISTRICT_CODE
    # The search row reads its case's number through a join (alias `c`).
    tracking = _tracking(prefix, lasts, "t" if model is Case else "c")
    columns, values = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        source = f't."{column}"'
        if field.is_relation and field.related_model in offsets:
            value = f"{source} + copies.k * {offsets[field.related_model]}"
        elif field.primary_key:
            value = f"{source} + copies.k * {offsets[model]}"
        elif model is Case and column == "tracking_no":
            value = tracking[0]
        elif model is Case and column == "external_id":
            value = (
                "CASE WHEN t.external_source = '' THEN t.external_id "
                "ELSE t.external_id || '~' || CAST(copies.k AS TEXT) END"
            )
        elif model is CaseSearch and column == "ids":
            # The first token is the tracking number's ("t" + its digits reversed); the rest
            # (the phone's last digits) is the original's.
            space = "instr(t.ids, ' ')" if _vendor() == "sqlite" else "strpos(t.ids, ' ')"
            rest = f"CASE WHEN {space} > 0 THEN substr(t.ids, {space}) ELSE '' END"
            value = f"'t' || {_reverse()}({tracking[1]}) || {rest}"
        else:
            value = source
        columns.append(f'"{column}"')
        values.append(value)
    table, pk = model._meta.db_table, model._meta.pk.column
    join = f"JOIN {Case._meta.db_table} c ON c.id = t.{pk}" if model is CaseSearch else ""
    return (
        f'INSERT INTO "{table}" ({", ".join(columns)}) '
        f'SELECT {", ".join(values)} FROM "{table}" t {join} '
        f"CROSS JOIN ({_copies(factor)}) copies "
        f"WHERE t.{pk} <= {offsets[model]} ORDER BY copies.k, t.{pk}"
    )


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _reverse() -> str:
    """PostgreSQL has reverse(); SQLite gets it from Python for this connection."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return "reverse"
    connection.ensure_connection()
    connection.connection.create_function(
        "bench_reverse", 1, lambda text: None if text is None else text[::-1], deterministic=True
    )
    return "bench_reverse"


def scale(factor: int) -> dict[str, Any]:
    """Make `factor - 1` copies of every case of the database Django is connected to."""
    from django.apps import apps
    from django.conf import settings
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Max

    from banchengshi.cases import open_work
    from banchengshi.cases.models import Case, TrackingSequence

    if factor < 2:
        raise ScaleError("the factor must be 2 or more")
    models = [apps.get_model(label) for label in CLONED]
    started = time.perf_counter()
    prefix = settings.BANCHENGSHI_DISTRICT_CODE
    lasts = _check_tracking(prefix)
    # Offsets from the tables as they are before the first copy: a copy's id never meets an
    # original's, and a foreign key moves by its target's offset.
    offsets = {
        model: model.objects.aggregate(top=Max(model._meta.pk.attname))["top"] or 0
        for model in models
    }
    rows: dict[str, list[int]] = {}
    for model in models:
        before = model.objects.count()
        if offsets[model]:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(_clone_sql(model, factor, offsets, lasts))
                    for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
                        cursor.execute(statement)
                if model is Case:
                    for year, last in lasts.items():
                        TrackingSequence.objects.filter(prefix=prefix, year=int(year)).update(
                            last=last * factor
                        )
        rows[model._meta.db_table] = [before, model.objects.count()]
        print(
            f"[scale] {model._meta.db_table}: {before:,} → {rows[model._meta.db_table][1]:,}",
            file=sys.stderr,
            flush=True,
        )
    # The clones' work items were counted by unit and day row by row (cases.open_work's
    # triggers); added up, as the scheduler's job cases.open_work leaves them.
    open_work.compact()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "factor": factor,
        "rows": rows,
        "scale_seconds": round(time.perf_counter() - started, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--database-url", required=True, help="sqlite:///path or postgres://…")
    parser.add_argument("--factor", type=int, required=True, help="cases after / cases before")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    import django

    django.setup()
    try:
        figures = scale(args.factor)
    except ScaleError as error:
        print(f"bench.scale: {error}", file=sys.stderr)
        return 2
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
