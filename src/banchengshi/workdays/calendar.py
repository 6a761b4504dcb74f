"""Working-day arithmetic over the statutory schedules, from precomputed sorted tables.

A `WorkingCalendar` knows a set of years. Every question about a day outside them raises
`UnknownYearError` naming the year: the calendar never guesses a holiday schedule (R-SLA-1).
`reckon` is the one place where an answer goes ahead without a year's schedule: it counts
Monday to Friday in the missing years and says which years it assumed, so that whoever stores
the answer flags it provisional and recomputes it once the year is loaded.
Finding the n-th working day after a date is one binary search in the sorted table of
working-day ordinals, so it costs the same for 1 or 1,000 days.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

from banchengshi.workdays.schedule import YearSchedule

# The statutory days are days in Asia/Shanghai.
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_date(instant: dt.datetime) -> dt.date:
    if instant.tzinfo is None:
        raise ValueError("an instant needs a time zone offset")
    return instant.astimezone(SHANGHAI).date()


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


# How many missing years one computation may assume before it is refused: a deadline reaches
# next year at the turn of the year; one that needs three unknown years is a wrong date.
MAX_ASSUMED_YEARS = 2
ASSUMED_SOURCE = "assumed: Monday to Friday are working days (schedule not loaded)"


class WorkingCalendar:
    """Immutable working-day tables built from one schedule per known year. `assumed` years
    have no schedule: their tables count Monday to Friday (see `reckon`)."""

    def __init__(self, schedules: Mapping[int, YearSchedule], assumed: Iterable[int] = ()) -> None:
        self.schedules = dict(sorted(schedules.items()))
        self.assumed = frozenset(assumed)
        self._assuming: dict[frozenset[int], WorkingCalendar] = {}
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
        return [year for year in self.schedules if year not in self.assumed]

    def knows(self, year: int) -> bool:
        """Whether the year's statutory schedule is loaded (not merely assumed)."""
        return year in self.schedules and year not in self.assumed

    def unknown_years(self, first: dt.date, last: dt.date) -> list[int]:
        """The years from `first` to `last` whose schedule is not loaded."""
        return [year for year in range(first.year, last.year + 1) if not self.knows(year)]

    def assuming(self, years: Iterable[int]) -> WorkingCalendar:
        """These tables plus `years` counted Monday to Friday; built once per set of years
        (the calendar in force is kept per process, so this is too)."""
        wanted = frozenset(years) - set(self.schedules)
        if not wanted:
            return self
        extended = self._assuming.get(wanted)
        if extended is None:
            blank = {year: YearSchedule(year, (), (), ASSUMED_SOURCE) for year in wanted}
            extended = WorkingCalendar({**self.schedules, **blank}, self.assumed | wanted)
            self._assuming[wanted] = extended
        return extended

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


T = TypeVar("T")


@dataclass(frozen=True)
class Reckoned(Generic[T]):
    """An answer of the calendar and the years it had to assume (Monday to Friday)."""

    value: T
    assumed: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.assumed)


def reckon(calendar: WorkingCalendar, compute: Callable[[WorkingCalendar], T]) -> Reckoned[T]:
    """`compute(calendar)`, or when it needs a year nobody loaded, the same computation with
    that year counted Monday to Friday (R-SLA-1: work never stops for a missing schedule).
    Raises UnknownYearError when it would need more than MAX_ASSUMED_YEARS such years."""
    assumed: set[int] = set()
    current = calendar
    while True:
        try:
            return Reckoned(compute(current), tuple(sorted(assumed)))
        except UnknownYearError as exc:
            if exc.year in assumed or len(assumed) >= MAX_ASSUMED_YEARS:
                raise
            assumed.add(exc.year)
            current = calendar.assuming(assumed)
