"""Periodic jobs: each app declares its own in `<app>/jobs.py` with `@periodic`.

A job runs for a *slot*: the instant its period began (every 5 minutes: 10:05, 10:10, …;
daily at 08:30 Asia/Shanghai: that instant of each day). The scheduler runs a job at most
once per slot, so a job must only do the work of its slot and be safe to run again for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

JobFunction = Callable[[dt.datetime], None]


@dataclass(frozen=True)
class Periodic:
    name: str
    run: JobFunction
    every: dt.timedelta | None = None
    daily_at: dt.time | None = None

    def slot_at(self, now: dt.datetime) -> dt.datetime:
        """The latest slot that has begun at `now` (UTC)."""
        if self.every is not None:
            periods = (now - EPOCH) // self.every
            return EPOCH + periods * self.every
        assert self.daily_at is not None
        local = now.astimezone(SHANGHAI)
        slot = dt.datetime.combine(local.date(), self.daily_at, tzinfo=SHANGHAI)
        if slot > local:
            slot -= dt.timedelta(days=1)
        return slot.astimezone(dt.UTC)

    def next_slot(self, now: dt.datetime) -> dt.datetime:
        """The first slot that begins after `now` (UTC): when the scheduler looks again."""
        # Asia/Shanghai has no daylight saving time, so a day is always 24 hours long.
        return self.slot_at(now) + (self.every or dt.timedelta(days=1))


JOBS: dict[str, Periodic] = {}


def periodic(
    *, name: str, every: dt.timedelta | None = None, daily_at: dt.time | None = None
) -> Callable[[JobFunction], JobFunction]:
    """Register a job that runs every `every`, or each day at `daily_at` in Asia/Shanghai."""
    if (every is None) == (daily_at is None):
        raise ValueError(f"job {name}: give exactly one of every= and daily_at=")

    def register(function: JobFunction) -> JobFunction:
        if name in JOBS:
            raise ValueError(f"job {name} is registered twice")
        JOBS[name] = Periodic(name=name, run=function, every=every, daily_at=daily_at)
        return function

    return register
