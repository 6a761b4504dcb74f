"""One year's statutory schedule: holidays (with names) and make-up workdays (调休上班).

Sources: the `chinesecalendar` package for the years it ships, and TOML files that an
administrator loads when the State Council publishes a new year:

    year = 2027
    workdays = [2027-01-09]     # weekend days that are working days

    [[holidays]]
    name = "元旦"
    start = 2027-01-01
    end = 2027-01-03            # inclusive
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from dataclasses import dataclass, field
from typing import Any

import chinese_calendar
from chinese_calendar import constants as cc_constants

BUILTIN_SOURCE = f"chinesecalendar {chinese_calendar.__version__} (State Council notices)"
BUILTIN_YEARS = frozenset(d.year for d in cc_constants.holidays)

_HOLIDAY_NAMES_ZH = {holiday.value: holiday.chinese for holiday in cc_constants.Holiday}


class ScheduleError(ValueError):
    """A schedule file that cannot be accepted; the message says what to fix."""


@dataclass(frozen=True)
class HolidayRange:
    name: str
    start: dt.date
    end: dt.date

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class YearSchedule:
    year: int
    holidays: tuple[HolidayRange, ...]
    workdays: tuple[dt.date, ...]
    source: str
    # The holiday a make-up workday belongs to, where the source says so (chinesecalendar does).
    makeup_names: dict[dt.date, str] = field(default_factory=dict, compare=False)
    holiday_names: dict[dt.date, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        names = {day: h.name for h in self.holidays for day in h.days()}
        object.__setattr__(self, "holiday_names", names)

    def to_data(self) -> dict[str, Any]:
        """A JSON-friendly form, stored in the database."""
        return {
            "year": self.year,
            "workdays": [d.isoformat() for d in self.workdays],
            "holidays": [
                {"name": h.name, "start": h.start.isoformat(), "end": h.end.isoformat()}
                for h in self.holidays
            ],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any], source: str) -> YearSchedule:
        return cls(
            year=int(data["year"]),
            workdays=tuple(dt.date.fromisoformat(d) for d in data["workdays"]),
            holidays=tuple(
                HolidayRange(
                    h["name"], dt.date.fromisoformat(h["start"]), dt.date.fromisoformat(h["end"])
                )
                for h in data["holidays"]
            ),
            source=source,
        )


def builtin_schedule(year: int) -> YearSchedule:
    """The schedule `chinesecalendar` ships for `year`, with Chinese holiday names."""
    if year not in BUILTIN_YEARS:
        raise ScheduleError(f"chinesecalendar has no schedule for {year}")
    days = sorted(
        (d, _HOLIDAY_NAMES_ZH.get(name, name))
        for d, name in cc_constants.holidays.items()
        if d.year == year
    )
    ranges: list[HolidayRange] = []
    for day, name in days:
        last = ranges[-1] if ranges else None
        if last and last.name == name and last.end + dt.timedelta(days=1) == day:
            ranges[-1] = HolidayRange(name, last.start, day)
        else:
            ranges.append(HolidayRange(name, day, day))
    makeup = {
        d: _HOLIDAY_NAMES_ZH.get(name, name)
        for d, name in cc_constants.workdays.items()
        if d.year == year
    }
    return YearSchedule(year, tuple(ranges), tuple(sorted(makeup)), BUILTIN_SOURCE, makeup)


def _as_date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ScheduleError(f"{where}: expected a date like 2027-01-01, got {value!r}")
    return value


def parse_schedule(text: str, source: str) -> YearSchedule:
    """Parse and validate a schedule file; every problem is reported with where it is."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleError(f"{source}: not valid TOML ({exc})") from None
    unknown = set(raw) - {"year", "workdays", "holidays"}
    if unknown:
        raise ScheduleError(f"{source}: unknown keys {', '.join(sorted(unknown))}")
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200:
        raise ScheduleError(f"{source}: 'year' must be a whole year such as 2027, got {year!r}")

    raw_holidays = raw.get("holidays", [])
    if not isinstance(raw_holidays, list) or not raw_holidays:
        raise ScheduleError(f"{source}: at least one [[holidays]] table is required")
    holidays: list[HolidayRange] = []
    for index, entry in enumerate(raw_holidays, start=1):
        where = f"{source}: holiday #{index}"
        if not isinstance(entry, dict):
            raise ScheduleError(f"{where}: must be a [[holidays]] table")
        extra = set(entry) - {"name", "start", "end"}
        if extra:
            raise ScheduleError(f"{where}: unknown keys {', '.join(sorted(extra))}")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ScheduleError(f"{where}: 'name' is required")
        where = f"{source}: holiday {name!r}"
        start = _as_date(entry.get("start"), f"{where} start")
        end = _as_date(entry.get("end", start), f"{where} end")
        for day in (start, end):
            if day.year != year:
                raise ScheduleError(f"{where}: {day} is not in {year}")
        if end < start:
            raise ScheduleError(f"{where}: end {end} is before start {start}")
        holidays.append(HolidayRange(name.strip(), start, end))
    holidays.sort(key=lambda h: h.start)
    for before, after in itertools.pairwise(holidays):
        if after.start <= before.end:
            raise ScheduleError(
                f"{source}: holidays {before.name!r} and {after.name!r} overlap on {after.start}"
            )

    raw_workdays = raw.get("workdays", [])
    if not isinstance(raw_workdays, list):
        raise ScheduleError(f"{source}: 'workdays' must be a list of dates")
    workdays = sorted(_as_date(d, f"{source}: workdays") for d in raw_workdays)
    holiday_days = {day: h.name for h in holidays for day in h.days()}
    for day in workdays:
        if day.year != year:
            raise ScheduleError(f"{source}: make-up workday {day} is not in {year}")
        if day in holiday_days:
            raise ScheduleError(
                f"{source}: {day} is both a holiday ({holiday_days[day]}) and a make-up workday"
            )
        if day.weekday() < 5:
            raise ScheduleError(
                f"{source}: make-up workday {day} is a weekday; list only weekend days"
            )
    if len(set(workdays)) != len(workdays):
        raise ScheduleError(f"{source}: a make-up workday is listed twice")
    return YearSchedule(year, tuple(holidays), tuple(workdays), source)
