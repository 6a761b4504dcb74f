"""`python -m bench.whatif --database-url URL [--policy chongming]`: the cost of the what-if
replay over every case of a database filled by `python -m bench.generate`.

Replays the whole range of the cases' receipt (one period) under the target policy, and times
beside it a bare SQL read of the same cohort's clocks (the floor any replay pays). Prints one
JSON line: the cases, the seconds of each, the seconds per 10,000 cases, and the process's
peak resident memory before and after the replay (memory must not grow with the cases: the
cohort is read in chunks).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.whatif", description=__doc__)
    parser.add_argument("--database-url", required=True, help="sqlite:///path or postgres://…")
    parser.add_argument("--policy", default="chongming")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banchengshi.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max, Min
    from django.utils import timezone

    from banchengshi.cases.models import Case, Clock
    from banchengshi.reports.periods import Period, PeriodKind
    from banchengshi.reports.scopes import ReportScope
    from banchengshi.reports.whatif import replay_period
    from banchengshi.reports.whatif_output import check_target_policy
    from banchengshi.workdays.calendar import local_date
    from banchengshi.workdays.registry import current_calendar

    span = Case.objects.aggregate(first=Min("received_at"), last=Max("received_at"))
    first, last = local_date(span["first"]), local_date(span["last"])
    period = Period(PeriodKind.RANGE, first, last + dt.timedelta(days=1))
    target = check_target_policy(args.policy)
    calendar = current_calendar()

    started = time.perf_counter()
    clocks = Clock.objects.filter(
        case__received_at__gte=period.start_at, case__received_at__lt=period.end_at, round=1
    ).values_list("case_id", "kind", "due", "stopped_at")
    bare_rows = sum(1 for _row in clocks.iterator(chunk_size=2000))
    bare = time.perf_counter() - started

    before = _peak_kib()
    started, cpu = time.perf_counter(), time.process_time()
    result = replay_period(period, ReportScope(), target, now=timezone.now(), calendar=calendar)
    replay = time.perf_counter() - started
    replay_cpu = time.process_time() - cpu
    after = _peak_kib()
    figures = {
        "engine": connection.vendor,
        "cases": result.cases,
        "clock_rows": bare_rows,
        "period": period.label,
        "policy": target.key,
        "replay_seconds": round(replay, 2),
        "replay_seconds_per_10k": (
            round(replay * 10_000 / result.cases, 2) if result.cases else None
        ),
        # This process's CPU alone: on a loaded machine the wall time says more about the load.
        "replay_cpu_seconds": round(replay_cpu, 2),
        "bare_sql_seconds": round(bare, 2),
        "ratio_to_bare_sql": round(replay / bare, 1) if bare else None,
        "peak_rss_mib_before": round(before / 1024, 1),
        "peak_rss_mib_after": round(after / 1024, 1),
        "flipped_total": result.flipped_total,
    }
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
