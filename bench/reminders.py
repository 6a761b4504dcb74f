"""The reminder sweep (cases.reminders.sweep) at 10,000 and at a larger number of cases, with
the same number of reminders due.

For each engine and size a fresh database is filled by `python -m bench.generate`; a size
above BENCH_REMINDERS_SCALE_ABOVE (default 100,000) is generated at that many cases and then
multiplied by `python -m bench.scale` (1,000,000 = 100,000 generated × 10): the generator
writes a few hundred to a thousand cases a second here, the scaler clones rows in SQL. A copy
keeps its original's state, clocks and instants (remind_at included), so the sweep meets the
same mix of clocks, ten times as many of each; what the scaled database lacks is variety (ten
cases share each plan) and the copies' audit events, which the sweep does not read (see
bench/scale.py). Then a worker process (`python -m bench.reminders --worker …`):

1. catches up: one sweep at the present instant sends every reminder the generated clocks
   have reached (timed and counted, not compared: it grows with the open cases);
2. measures, REPEAT times after a warm-up, a sweep with exactly DUE reminders due: inside a
   transaction that is rolled back afterwards, DUE running clocks (the first by id) get a
   deadline one hour past, as if a deadline had been moved, so each sends its red reminder
   (the hub's dispatchers and the office administrators) — the same work at every size.

The figure to watch is the ratio large/small of the sweep's time (aim: below 1.5): the sweep
reads the partial index on `Clock.remind_at`, so the cases kept do not enter its cost. Its
query plan is kept in bench/results/reminders_explain_<engine>_<size>.txt.

Environment: BENCH_REMINDERS_LARGE (default 1000000), BENCH_REMINDERS_DUE (100),
BENCH_REMINDERS_REPEAT (20), BENCH_REMINDERS_SCALE_ABOVE (100000), BENCH_ENGINES and
BENCH_PG_SERVER as for bench.cases.
`python -m bench.reminders --worker --database-url URL --size N` measures a database that
is already filled (by bench.generate, then bench.scale if wanted).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from typing import Any

from bench.cases import (
    ENGINES,
    PG_SERVER,
    RESULTS,
    ROOT,
    _explain,
    _percentiles,
    _pg_available,
    fill_and_measure,
)

NAME = "reminders"
SMALL = 10_000
LARGE = int(os.environ.get("BENCH_REMINDERS_LARGE", "1000000"))
DUE = int(os.environ.get("BENCH_REMINDERS_DUE", "100"))
REPEAT = int(os.environ.get("BENCH_REMINDERS_REPEAT", "20"))
# Larger sizes are generated at this many cases and multiplied by bench.scale.
SCALE_ABOVE = int(os.environ.get("BENCH_REMINDERS_SCALE_ABOVE", "100000"))
WARMUP = 3


class _RolledBack(Exception):
    pass


def worker(size: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from banchengshi.cases.models import Case, Clock
    from banchengshi.cases.reminders import sweep
    from banchengshi.notify.models import ReminderSent

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    now = timezone.now()
    started = time.perf_counter()
    caught_up = sweep(now)
    catch_up_seconds = time.perf_counter() - started

    running = Clock.objects.filter(stopped_at__isnull=True, paused_at__isnull=True)
    chosen = list(running.order_by("id").values_list("id", flat=True)[:DUE])
    assert len(chosen) == DUE, f"only {len(chosen)} running clocks: was the database generated?"
    moved_due = now - dt.timedelta(hours=1)

    def measured_sweep() -> tuple[float, Any]:
        try:
            with transaction.atomic():
                Clock.objects.filter(pk__in=chosen).update(due=moved_due, remind_at=moved_due)
                start = time.perf_counter()
                result = sweep(now)
                seconds = time.perf_counter() - start
                raise _RolledBack
        except _RolledBack:
            pass
        return seconds, result

    for _ in range(WARMUP):
        measured_sweep()
    samples, results = [], []
    for _ in range(REPEAT):
        seconds, result = measured_sweep()
        samples.append(seconds)
        results.append((result.clocks, result.notices))
    assert len(set(results)) == 1, results
    clocks, notices = results[0]
    assert clocks == DUE, f"{clocks} clocks swept, {DUE} expected"

    with transaction.atomic():
        Clock.objects.filter(pk__in=chosen).update(due=moved_due, remind_at=moved_due)
        with CaptureQueriesContext(connection) as queries:
            sweep(now)
        transaction.set_rollback(True)
    # The sweep's read of due clocks: the query whose cost must not depend on the cases kept.
    plan_sql = next(
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and '"remind_at" <=' in query["sql"]
    )
    # Explained with the DUE clocks due again, so that PostgreSQL's EXPLAIN ANALYZE reads
    # what the sweep read (after the sweep they are moved on and it would read none).
    with transaction.atomic():
        Clock.objects.filter(pk__in=chosen).update(due=moved_due, remind_at=moved_due)
        plan = _explain(plan_sql)
        transaction.set_rollback(True)
    out = RESULTS / f"reminders_explain_{connection.vendor}_{size}.txt"
    out.write_text(f"{plan_sql}\n\n{plan}\n", encoding="utf-8")
    return {
        "engine": connection.vendor,
        "cases": Case.objects.count(),
        "clocks": Clock.objects.count(),
        "clocks_with_a_reminder": Clock.objects.filter(remind_at__isnull=False).count(),
        "catch_up": {
            "clocks": caught_up.clocks,
            "sent": caught_up.sent,
            "notices": caught_up.notices,
            "seconds": round(catch_up_seconds, 2),
        },
        "reminders_sent_rows": ReminderSent.objects.count(),
        "sweep": {
            "due": clocks,
            "notices": notices,
            "queries": len(queries.captured_queries),
            **_percentiles(samples),
        },
        "explain": str(out.relative_to(ROOT)),
    }


def run() -> dict[str, Any]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    figures: dict[str, Any] = {
        "sizes": [SMALL, LARGE],
        "due": DUE,
        "repeat": REPEAT,
        "scale_above": SCALE_ABOVE,
    }
    engines: dict[str, Any] = {}
    for engine in ENGINES:
        if engine == "postgresql" and not _pg_available():
            engines[engine] = {"skipped": f"no PostgreSQL server at {PG_SERVER}"}
            continue
        by_size = fill_and_measure(NAME, engine, (SMALL, LARGE), scale_above=SCALE_ABOVE)
        small, large = by_size[str(SMALL)]["sweep"], by_size[str(LARGE)]["sweep"]
        by_size["ratio_large_to_small"] = {
            stat: round(large[stat] / small[stat], 2) if small[stat] else 0.0
            for stat in ("p50_ms", "p95_ms")
        }
        engines[engine] = by_size
    figures["engines"] = engines
    figures["total_seconds"] = round(time.perf_counter() - started, 1)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders", description=__doc__)
    parser.add_argument("--worker", action="store_true", help="measure one filled database")
    parser.add_argument("--database-url", help="the database to measure (with --worker)")
    parser.add_argument("--size", type=int, default=0, help="its number of cases (for names)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    if args.worker:
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        import django

        django.setup()
        print(json.dumps(worker(args.size), ensure_ascii=False), flush=True)
        return 0
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    print(json.dumps({"name": NAME, **run()}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
