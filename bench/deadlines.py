"""1,000,000 deadlines with `compute_deadline` against plain calendar-day arithmetic.

Inputs: receipt instants drawn uniformly (fixed seed) from 2024-01-01 to 2026-12-15 (UTC,
so every call converts to Asia/Shanghai), with the putuo policy's limits taken in turn at
random. The baseline, `received.date() + timedelta(days=n)`, runs over the same inputs in the
same process, so the ratio is what to compare between machines and versions.
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import time
from typing import Any

NAME = "deadlines"
CALLS = 1_000_000
SEED = 20240101
POLICY = "putuo"
# Late enough in 2026 for the longest putuo limit (10 working days) to stay inside 2026.
FIRST = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
LAST = dt.datetime(2026, 12, 15, tzinfo=dt.UTC)


def run() -> dict[str, Any]:
    from django.core.management import call_command

    from banchengshi.policy.deadlines import compute_deadline
    from banchengshi.policy.rules import load_policy
    from banchengshi.workdays.registry import build_calendar

    call_command("migrate", verbosity=0)
    calendar = build_calendar()
    policy = load_policy(POLICY)
    limits = list(policy.limits.values())

    rng = random.Random(SEED)
    span = int((LAST - FIRST).total_seconds())
    inputs = [
        (rng.choice(limits), FIRST + dt.timedelta(seconds=rng.randrange(span)))
        for _ in range(CALLS)
    ]

    # Baseline: calendar days, no holidays, no time zone.
    timedelta = dt.timedelta
    start = time.perf_counter()
    for limit, received in inputs:
        received.date() + timedelta(days=limit.days)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    for limit, received in inputs:
        compute_deadline(calendar, limit, received)
    computed = time.perf_counter() - start

    return {
        "calls": CALLS,
        "seed": SEED,
        "policy": f"{policy.name}@{policy.version}",
        "limits": [limit.name for limit in limits],
        "compute_deadline_seconds": round(computed, 4),
        "baseline_seconds": round(baseline, 4),
        "compute_deadline_us_per_call": round(computed / CALLS * 1e6, 3),
        "baseline_us_per_call": round(baseline / CALLS * 1e6, 3),
        "ratio": round(computed / baseline, 2),
        "python": platform.python_version(),
    }
