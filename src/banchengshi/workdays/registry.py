"""The calendar in force: built-in schedules plus administrator-loaded years (which win).

Building the tables takes a few milliseconds, so the result is kept per process and the
database is asked at most every RECHECK_SECONDS whether a year was loaded elsewhere; a load
in this process drops the cache at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from banchengshi.workdays.calendar import WorkingCalendar
from banchengshi.workdays.schedule import BUILTIN_YEARS, YearSchedule, builtin_schedule

RECHECK_SECONDS = 10.0


@dataclass
class _Cached:
    calendar: WorkingCalendar
    stamp: tuple[tuple[int, str], ...]
    checked_at: float


_cache: _Cached | None = None
_lock = threading.Lock()


def _stamp() -> tuple[tuple[int, str], ...]:
    from banchengshi.workdays.models import CalendarYear

    return tuple(
        (year, loaded_at.isoformat())
        for year, loaded_at in CalendarYear.objects.values_list("year", "loaded_at")
    )


def build_calendar() -> WorkingCalendar:
    from banchengshi.workdays.models import CalendarYear

    schedules: dict[int, YearSchedule] = {year: builtin_schedule(year) for year in BUILTIN_YEARS}
    for row in CalendarYear.objects.select_related("loaded_by"):
        schedules[row.year] = row.as_schedule()
    return WorkingCalendar(schedules)


def current_calendar() -> WorkingCalendar:
    global _cache
    now = time.monotonic()
    cached = _cache
    if cached is not None and now - cached.checked_at < RECHECK_SECONDS:
        return cached.calendar
    with _lock:
        stamp = _stamp()
        if _cache is not None and _cache.stamp == stamp:
            _cache.checked_at = now
        else:
            _cache = _Cached(build_calendar(), stamp, now)
        return _cache.calendar


def forget_calendar() -> None:
    """Drop the cached tables, so the next question reads the database again."""
    global _cache
    _cache = None
