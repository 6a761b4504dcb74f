"""The demo's seeded random stream and the office's time: working days (the statutory
calendar, and Monday to Friday beyond the years it knows), office hours (9:00-17:30 Asia/
Shanghai), deadlines as the policy computes them. The plans (plans.Generator) and both
drivers of a journey draw every instant from here, so one seed gives the same district."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from banchengshi.policy.deadlines import (
    SHANGHAI,
    Pause,
    is_provisional,
    local_date,
    reckon_due,
    reckon_due_in_workdays,
    reckon_workdays_between,
)
from banchengshi.policy.rules import Limit
from banchengshi.workdays.calendar import UnknownYearError, WorkingCalendar


def weighted(pairs: tuple[tuple[Any, int], ...]) -> tuple[list[Any], list[float]]:
    """(value, weight) pairs as OfficeTime.pick draws from them: values, cumulative weights."""
    values = [value for value, _ in pairs]
    cumulative: list[float] = []
    total = 0.0
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


class OfficeTime:
    def __init__(self, *, seed: int, now: dt.datetime, calendar: WorkingCalendar) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.calendar = calendar
        self._workday: dict[int, bool] = {}
        self._due: dict[tuple[str, int], dt.datetime | None] = {}

    def is_workday(self, day: dt.date) -> bool:
        ordinal = day.toordinal()
        known = self._workday.get(ordinal)
        if known is None:
            try:
                known = self.calendar.is_workday(day)
            except UnknownYearError:
                known = day.weekday() < 5
            self._workday[ordinal] = known
        return known

    def next_workday(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def workday_before(self, day: dt.date, count: int) -> dt.date:
        while count > 0:
            day -= dt.timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day

    def at_minute(self, day: dt.date, minute: int) -> dt.datetime:
        local = dt.datetime.combine(
            day,
            dt.time(
                minute // 60, minute % 60, self.rng.randrange(60), self.rng.randrange(1000) * 1000
            ),
            tzinfo=SHANGHAI,
        )
        return local.astimezone(dt.UTC)

    def office(self, instant: dt.datetime) -> dt.datetime:
        """The instant if it falls in office hours (9:00-17:30 of a working day), else the
        next working morning."""
        local = instant.astimezone(SHANGHAI)
        day = local.date()
        if self.is_workday(day):
            minute = local.hour * 60 + local.minute
            if minute < 540:
                return self.at_minute(day, 540 + self.rng.randrange(45))
            if minute < 1050:
                return instant
        return self.at_minute(self.next_workday(day), 540 + self.rng.randrange(75))

    def later(self, instant: dt.datetime, low: float, high: float) -> dt.datetime:
        """Office time some minutes (between low and high) after the instant."""
        return self.office(instant + dt.timedelta(minutes=self.rng.uniform(low, high)))

    def workdays_later(self, instant: dt.datetime, days: int) -> dt.datetime:
        """An office time on the `days`-th working day after the instant's day (0: same day)."""
        day = local_date(instant)
        for _ in range(days):
            day = self.next_workday(day)
        candidate = self.at_minute(day, 540 + self.rng.randrange(500))
        return candidate if candidate > instant else self.later(instant, 20, 120)

    # Deadlines as the engine computes them (cases.clocks): a year nobody loaded is counted
    # Monday to Friday and what is stored is flagged; None only where the engine refuses.

    def due_for(self, limit: Limit, started_at: dt.datetime) -> dt.datetime | None:
        key = (limit.name, local_date(started_at).toordinal())
        if key not in self._due:
            try:
                self._due[key] = reckon_due(self.calendar, limit, started_at).value
            except UnknownYearError:
                self._due[key] = None
        return self._due[key]

    def due_in_workdays(self, days: int, started_at: dt.datetime) -> dt.datetime | None:
        try:
            return reckon_due_in_workdays(self.calendar, days, started_at).value
        except UnknownYearError:
            return None

    def provisional(self, start: dt.datetime, due: dt.datetime) -> bool:
        return is_provisional(self.calendar, start, due)

    def shift_due(self, due: dt.datetime, days: int) -> dt.datetime | None:
        if days <= 0:
            return due
        return self.due_in_workdays(days, due)

    def workdays_suspended(self, start: dt.datetime, end: dt.datetime) -> tuple[int, Pause | None]:
        """cases.clocks.workdays_suspended."""
        first, last = local_date(start), local_date(end)
        try:
            counted = reckon_workdays_between(self.calendar, first, last)
        except UnknownYearError:
            return 0, None
        if counted.provisional:
            return counted.value, [first.isoformat(), last.isoformat(), counted.value]
        return counted.value, None

    def pick(self, choices: tuple[list[Any], list[float]]) -> Any:
        values, cumulative = choices
        return self.rng.choices(values, cum_weights=cumulative)[0]
