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
from django.utils.translation import gettext as _

BUILTIN_SOURCE = f"chinesecalendar {chinese_calendar.__version__} (State Council notices)"
BUILTIN_YEARS = frozenset(d.year for d in cc_constants.holidays)

_HOLIDAY_NAMES_ZH = {holiday.value: holiday.chinese for holiday in cc_constants.Holiday}


class ScheduleError(ValueError):
    """A schedule file that cannot be accepted; the message says what to fix, in the active
    language (an administrator uploading the file reads it in the admin)."""


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


def _as_date(value: object, refusal: str, **where: object) -> dt.date:
    """`value` when it is a date, else `refusal` (whose %(value)s shows what was there)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ScheduleError(refusal % {**where, "value": repr(value)})
    return value


def parse_schedule(text: str, source: str) -> YearSchedule:
    """Parse and validate a schedule file; every problem is reported with where it is."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleError(
            _("%(file)s: not valid TOML (%(error)s)") % {"file": source, "error": exc}
        ) from None
    unknown = set(raw) - {"year", "workdays", "holidays"}
    if unknown:
        raise ScheduleError(
            _("%(file)s: unknown keys %(keys)s")
            % {"file": source, "keys": ", ".join(sorted(unknown))}
        )
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200:
        raise ScheduleError(
            _("%(file)s: 'year' must be a whole year such as 2027, got %(value)s")
            % {"file": source, "value": repr(year)}
        )

    raw_holidays = raw.get("holidays", [])
    if not isinstance(raw_holidays, list) or not raw_holidays:
        raise ScheduleError(
            _("%(file)s: at least one [[holidays]] table is required") % {"file": source}
        )
    holidays: list[HolidayRange] = []
    for index, entry in enumerate(raw_holidays, start=1):
        numbered = {"file": source, "number": index}
        if not isinstance(entry, dict):
            raise ScheduleError(
                _("%(file)s: holiday #%(number)s: must be a [[holidays]] table") % numbered
            )
        extra = set(entry) - {"name", "start", "end"}
        if extra:
            raise ScheduleError(
                _("%(file)s: holiday #%(number)s: unknown keys %(keys)s")
                % {**numbered, "keys": ", ".join(sorted(extra))}
            )
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ScheduleError(_("%(file)s: holiday #%(number)s: 'name' is required") % numbered)
        named = {"file": source, "name": name}
        start = _as_date(
            entry.get("start"),
            _("%(file)s: holiday '%(name)s' start: expected a date like 2027-01-01, got %(value)s"),
            **named,
        )
        end = _as_date(
            entry.get("end", start),
            _("%(file)s: holiday '%(name)s' end: expected a date like 2027-01-01, got %(value)s"),
            **named,
        )
        for day in (start, end):
            if day.year != year:
                raise ScheduleError(
                    _("%(file)s: holiday '%(name)s': %(day)s is not in %(year)s")
                    % {**named, "day": day, "year": year}
                )
        if end < start:
            raise ScheduleError(
                _("%(file)s: holiday '%(name)s': end %(end)s is before start %(start)s")
                % {**named, "end": end, "start": start}
            )
        holidays.append(HolidayRange(name.strip(), start, end))
    holidays.sort(key=lambda h: h.start)
    for before, after in itertools.pairwise(holidays):
        if after.start <= before.end:
            raise ScheduleError(
                _("%(file)s: holidays '%(first)s' and '%(second)s' overlap on %(day)s")
                % {"file": source, "first": before.name, "second": after.name, "day": after.start}
            )

    raw_workdays = raw.get("workdays", [])
    if not isinstance(raw_workdays, list):
        raise ScheduleError(_("%(file)s: 'workdays' must be a list of dates") % {"file": source})
    workdays = sorted(
        _as_date(
            day,
            _("%(file)s: workdays: expected a date like 2027-01-01, got %(value)s"),
            file=source,
        )
        for day in raw_workdays
    )
    holiday_days = {day: h.name for h in holidays for day in h.days()}
    for day in workdays:
        if day.year != year:
            raise ScheduleError(
                _("%(file)s: make-up workday %(day)s is not in %(year)s")
                % {"file": source, "day": day, "year": year}
            )
        if day in holiday_days:
            raise ScheduleError(
                _("%(file)s: %(day)s is both a holiday (%(name)s) and a make-up workday")
                % {"file": source, "day": day, "name": holiday_days[day]}
            )
        if day.weekday() < 5:
            raise ScheduleError(
                _("%(file)s: make-up workday %(day)s is a weekday; list only weekend days")
                % {"file": source, "day": day}
            )
    if len(set(workdays)) != len(workdays):
        raise ScheduleError(_("%(file)s: a make-up workday is listed twice") % {"file": source})
    return YearSchedule(year, tuple(holidays), tuple(workdays), source)
