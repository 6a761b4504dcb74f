"""Deadlines under a policy limit (R-SLA-2), and their colour at an instant (R-SLA-4).

Counting: the day of receipt is not counted; day 1 is the first working day after it;
"N working days" ends at the end of day N in Asia/Shanghai. "Same day" ends at the end of
the receipt day, or of the next working day when the receipt day is not a working day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from banchengshi.policy.rules import Limit, LimitRule
from banchengshi.workdays.calendar import (
    SHANGHAI,
    DayInfo,
    Reckoned,
    WorkingCalendar,
    local_date,
    reckon,
)

DEFAULT_YELLOW_WINDOW = dt.timedelta(hours=24)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of `day` in Asia/Shanghai."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=SHANGHAI)


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


# --- provisional deadlines (R-SLA-1) ------------------------------------------------------------
#
# Every deadline writer (the engine through cases.clocks, the demo's simulation through its own
# calendar) computes through these, so both go ahead the same way when a year is missing: the
# missing year counted Monday to Friday, the answer flagged.


def reckon_due(
    calendar: WorkingCalendar, limit: Limit, started_at: dt.datetime
) -> Reckoned[dt.datetime]:
    return reckon(calendar, lambda cal: compute_deadline(cal, limit, started_at).due)


def reckon_due_in_workdays(
    calendar: WorkingCalendar, days: int, started_at: dt.datetime
) -> Reckoned[dt.datetime]:
    """End of the `days`-th working day after the start (a deadline someone sets by hand)."""
    start = local_date(started_at)
    return reckon(calendar, lambda cal: end_of_day(cal.nth_workday_after(start, days)))


def reckon_shift(
    calendar: WorkingCalendar, due: dt.datetime, workdays: int
) -> Reckoned[dt.datetime]:
    """A deadline moved later by whole working days (extension, time spent suspended)."""
    if workdays <= 0:
        return Reckoned(due)
    return reckon_due_in_workdays(calendar, workdays, due)


def reckon_workdays_between(
    calendar: WorkingCalendar, since: dt.date, until: dt.date
) -> Reckoned[int]:
    return reckon(calendar, lambda cal: cal.workdays_between(since, until))


def is_provisional(calendar: WorkingCalendar, start: dt.datetime, due: dt.datetime) -> bool:
    """Whether a deadline counted from `start` needed a day of a year nobody loaded: every
    year from the start's to the deadline's is one it counted through."""
    return bool(calendar.unknown_years(local_date(start), local_date(due)))


# A pause whose working days were counted with a year assumed: [first day, last day, count].
Pause = list[str | int]


@dataclass(frozen=True)
class Recomputed:
    due: dt.datetime
    extra_workdays: int
    pauses: list[Pause]
    provisional: bool


def recompute_due(
    calendar: WorkingCalendar,
    *,
    started_at: dt.datetime,
    limit: Limit | None,
    workdays: int | None,
    extra_workdays: int,
    pauses: list[Pause],
) -> Recomputed:
    """A clock's deadline again from what made it: its limit (or the working days set by
    hand) from its start, then its extra working days, the pauses among them counted again.
    Exact because moving a deadline by a and then b working days is moving it by a + b."""
    if limit is not None:
        base = reckon_due(calendar, limit, started_at).value
    else:
        assert workdays is not None, "a clock has a limit or a number of working days"
        base = reckon_due_in_workdays(calendar, workdays, started_at).value
    extra = extra_workdays
    still: list[Pause] = []
    for since, until, counted in pauses:
        recount = reckon_workdays_between(
            calendar, dt.date.fromisoformat(str(since)), dt.date.fromisoformat(str(until))
        )
        extra += recount.value - int(counted)
        if recount.provisional:
            still.append([since, until, recount.value])
    due = reckon_shift(calendar, base, extra).value
    provisional = bool(still) or is_provisional(calendar, started_at, due)
    return Recomputed(due, extra, still, provisional)


def assumed_spans(
    calendar: WorkingCalendar, start: dt.datetime, due: dt.datetime
) -> list[tuple[int, dt.date, dt.date]]:
    """The years a deadline counted Monday to Friday, each with the first and last day of
    the deadline's span that fell in it: what the explanation of a provisional deadline names."""
    first, last = local_date(start), local_date(due)
    return [
        (year, max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31)))
        for year in calendar.unknown_years(first, last)
    ]


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
