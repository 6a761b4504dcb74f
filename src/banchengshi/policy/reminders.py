"""When a deadline's reminders are due (R-SLA-6), as a pure function of the deadline, the
policy and the working-day calendar.

Three levels, each at the first instant it holds:

- before_yellow: `ReminderTimes.before_yellow` before the deadline, moved to the start of the
  next working hours when it falls outside them (a statutory working day, `work_starts` to
  `work_ends` Asia/Shanghai); left out when that is not before yellow;
- yellow: the first instant `deadline_colour` says yellow (less than `yellow_hours` remain);
- red: the first instant it says red (the deadline has passed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from banchengshi.policy.deadlines import SHANGHAI
from banchengshi.policy.rules import Policy, ReminderTimes
from banchengshi.workdays.calendar import UnknownYearError, WorkingCalendar

# Deadlines are the last microsecond of a day, and a colour changes just after an instant
# (`deadline_colour` compares strictly): a level holds from one microsecond on.
TICK = dt.timedelta(microseconds=1)


class ReminderLevel(StrEnum):
    BEFORE_YELLOW = "before_yellow"
    YELLOW = "yellow"
    RED = "red"


@dataclass(frozen=True)
class Reminder:
    level: ReminderLevel
    at: dt.datetime


def _is_workday(calendar: WorkingCalendar, day: dt.date) -> bool:
    try:
        return calendar.is_workday(day)
    except UnknownYearError:
        # A year nobody loaded yet: Monday to Friday, as provisional deadlines assume.
        return day.weekday() < 5


def in_working_hours(instant: dt.datetime, times: ReminderTimes, calendar: WorkingCalendar) -> bool:
    local = instant.astimezone(SHANGHAI)
    return (
        _is_workday(calendar, local.date()) and times.work_starts <= local.time() < times.work_ends
    )


def next_working_start(
    instant: dt.datetime, times: ReminderTimes, calendar: WorkingCalendar
) -> dt.datetime:
    """`instant` when it lies in working hours, else the start of the next working hours."""
    if in_working_hours(instant, times, calendar):
        return instant
    local = instant.astimezone(SHANGHAI)
    day = local.date()
    if not (_is_workday(calendar, day) and local.time() < times.work_starts):
        day += dt.timedelta(days=1)
        while not _is_workday(calendar, day):
            day += dt.timedelta(days=1)
    return dt.datetime.combine(day, times.work_starts, tzinfo=SHANGHAI)


def reminders_for(
    due: dt.datetime,
    *,
    yellow_window: dt.timedelta,
    times: ReminderTimes,
    calendar: WorkingCalendar,
) -> list[Reminder]:
    """The levels of a deadline `due`, in the order they come."""
    yellow = Reminder(ReminderLevel.YELLOW, due - yellow_window + TICK)
    red = Reminder(ReminderLevel.RED, due + TICK)
    if times.before_yellow:
        early = next_working_start(due - times.before_yellow, times, calendar)
        if early < yellow.at:
            return [Reminder(ReminderLevel.BEFORE_YELLOW, early), yellow, red]
    return [yellow, red]


def reminders_of(due: dt.datetime, policy: Policy, calendar: WorkingCalendar) -> list[Reminder]:
    return reminders_for(
        due, yellow_window=policy.yellow_window, times=policy.reminders, calendar=calendar
    )
