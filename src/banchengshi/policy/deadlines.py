"""Deadlines under a policy limit (R-SLA-2), and their colour at an instant (R-SLA-4).

Counting: the day of receipt is not counted; day 1 is the first working day after it;
"N working days" ends at the end of day N in Asia/Shanghai. "Same day" ends at the end of
the receipt day, or of the next working day when the receipt day is not a working day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from banchengshi.policy.rules import Limit, LimitRule
from banchengshi.workdays.calendar import DayInfo, WorkingCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_YELLOW_WINDOW = dt.timedelta(hours=24)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of `day` in Asia/Shanghai."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=SHANGHAI)


def local_date(instant: dt.datetime) -> dt.date:
    if instant.tzinfo is None:
        raise ValueError("an instant needs a time zone offset")
    return instant.astimezone(SHANGHAI).date()


@dataclass(frozen=True)
class Explanation:
    counted: list[dt.date]
    skipped: list[DayInfo]


@dataclass(frozen=True)
class Deadline:
    limit: Limit
    received: dt.datetime
    due_date: dt.date

    @property
    def due(self) -> dt.datetime:
        return end_of_day(self.due_date)

    def explain(self, calendar: WorkingCalendar) -> Explanation:
        """The working days counted, in order, and every day skipped with its reason."""
        received = local_date(self.received)
        if self.limit.rule is LimitRule.SAME_DAY:
            first = received
            counted = [self.due_date]
        else:
            first = received + dt.timedelta(days=1)
            counted = calendar.workdays_in(first, self.due_date)
        skipped = [day for day in calendar.days(first, self.due_date) if not day.is_workday]
        return Explanation(counted, skipped)


def due_date_for(calendar: WorkingCalendar, limit: Limit, received_on: dt.date) -> dt.date:
    if limit.rule is LimitRule.SAME_DAY:
        return calendar.workday_on_or_after(received_on)
    return calendar.nth_workday_after(received_on, limit.days)


def compute_deadline(calendar: WorkingCalendar, limit: Limit, received: dt.datetime) -> Deadline:
    """The deadline of `limit` for something received at the instant `received`.

    Raises UnknownYearError when a day it needs lies in a year with no known schedule.
    """
    return Deadline(limit, received, due_date_for(calendar, limit, local_date(received)))


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


def deadline_colour(
    due: dt.datetime, at: dt.datetime, yellow_window: dt.timedelta = DEFAULT_YELLOW_WINDOW
) -> Colour:
    """Red when overdue, yellow when less than `yellow_window` remains, green otherwise."""
    if at > due:
        return Colour.RED
    if due - at < yellow_window:
        return Colour.YELLOW
    return Colour.GREEN
