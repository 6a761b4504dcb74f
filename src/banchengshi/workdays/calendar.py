"""Working-day arithmetic over the statutory schedules, from precomputed sorted tables.

A `WorkingCalendar` knows a set of years. Every question about a day outside them raises
`UnknownYearError` naming the year: the system never guesses a holiday schedule (R-SLA-1).
Finding the n-th working day after a date is one binary search in the sorted table of
working-day ordinals, so it costs the same for 1 or 1,000 days.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext

from banchengshi.workdays.schedule import YearSchedule


class UnknownYearError(LookupError):
    """A computation needed a day of a year whose schedule nobody has loaded.

    `str()` is for the operator at a console (it says how to load the year); what a user of
    the system is shown is `user_message`, which names no command."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"no statutory holiday schedule is known for {year}: load it with "
            f"`banchengshi calendar load FILE` (a TOML file, see docs/operations.md) "
            f"or in the admin under Working-day calendar"
        )

    @property
    def user_message(self) -> str:
        """The refusal in the active language, for whoever's action needed the year."""
        return gettext(
            "The holiday schedule of %(year)s has not been loaded yet, so deadlines in that "
            "year cannot be computed. Please tell the system administrator."
        ) % {"year": self.year}


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    kind: DayKind
    holiday: str = ""

    @property
    def is_workday(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)

    @property
    def reason(self) -> str:
        """Why the day is what it is, as shown in explanations ("weekend", "国庆节", …)."""
        if self.kind is DayKind.HOLIDAY:
            return self.holiday
        if self.kind is DayKind.MAKEUP_WORKDAY:
            return f"make-up workday ({self.holiday})" if self.holiday else "make-up workday"
        return self.kind.value


class WorkingCalendar:
    """Immutable working-day tables built from one schedule per known year."""

    def __init__(self, schedules: Mapping[int, YearSchedule]) -> None:
        self.schedules = dict(sorted(schedules.items()))
        workdays: list[int] = []
        self._special: dict[int, DayInfo] = {}
        for year, schedule in self.schedules.items():
            makeup = set(schedule.workdays)
            holiday_names = schedule.holiday_names
            day = dt.date(year, 1, 1)
            while day.year == year:
                if day in holiday_names:
                    self._special[day.toordinal()] = DayInfo(
                        day, DayKind.HOLIDAY, holiday_names[day]
                    )
                elif day in makeup:
                    self._special[day.toordinal()] = DayInfo(
                        day, DayKind.MAKEUP_WORKDAY, schedule.makeup_names.get(day, "")
                    )
                    workdays.append(day.toordinal())
                elif day.weekday() < 5:
                    workdays.append(day.toordinal())
                day += dt.timedelta(days=1)
        self._workdays = workdays
        # Known years as contiguous runs of ordinals: [(first, last), ...].
        runs: list[tuple[int, int]] = []
        for year in self.schedules:
            first, last = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
            if runs and runs[-1][1] + 1 == first:
                runs[-1] = (runs[-1][0], last)
            else:
                runs.append((first, last))
        self._run_starts = [start for start, _ in runs]
        self._run_ends = [end for _, end in runs]

    @property
    def years(self) -> list[int]:
        return list(self.schedules)

    def _run_end(self, ordinal: int) -> int:
        """The last known ordinal of the run of known years holding `ordinal`."""
        index = bisect_right(self._run_starts, ordinal) - 1
        if index < 0 or ordinal > self._run_ends[index]:
            raise UnknownYearError(dt.date.fromordinal(ordinal).year)
        return self._run_ends[index]

    def day_info(self, day: dt.date) -> DayInfo:
        ordinal = day.toordinal()
        self._run_end(ordinal)
        special = self._special.get(ordinal)
        if special is not None:
            return special
        return DayInfo(day, DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY)

    def is_workday(self, day: dt.date) -> bool:
        return self.day_info(day).is_workday

    def nth_workday_after(self, day: dt.date, n: int) -> dt.date:
        """Day `n` (n >= 1) when `day` itself is not counted and day 1 is the next workday."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        ordinal = day.toordinal()
        run_end = self._run_end(ordinal)
        index = bisect_right(self._workdays, ordinal) + n - 1
        if index >= len(self._workdays) or self._workdays[index] > run_end:
            raise UnknownYearError(dt.date.fromordinal(run_end + 1).year)
        return dt.date.fromordinal(self._workdays[index])

    def workday_on_or_after(self, day: dt.date) -> dt.date:
        return day if self.is_workday(day) else self.nth_workday_after(day, 1)

    def workdays_between(self, after: dt.date, through: dt.date) -> int:
        """How many working days lie in (after, through]; negative when `through` < `after`."""
        if through < after:
            return -self.workdays_between(through, after)
        self._run_end(after.toordinal())
        if self._run_end(through.toordinal()) != self._run_end(after.toordinal()):
            self._check_range(after, through)
        return bisect_right(self._workdays, through.toordinal()) - bisect_right(
            self._workdays, after.toordinal()
        )

    def _check_range(self, first: dt.date, last: dt.date) -> None:
        for year in range(first.year, last.year + 1):
            if year not in self.schedules:
                raise UnknownYearError(year)

    def days(self, first: dt.date, last: dt.date) -> list[DayInfo]:
        """Every day in [first, last] with its kind, for explanations."""
        self._check_range(first, last)
        return [self.day_info(first + dt.timedelta(days=i)) for i in range((last - first).days + 1)]

    def workdays_in(self, first: dt.date, last: dt.date) -> list[dt.date]:
        self._check_range(first, last)
        lo = bisect_left(self._workdays, first.toordinal())
        hi = bisect_right(self._workdays, last.toordinal())
        return [dt.date.fromordinal(o) for o in self._workdays[lo:hi]]
