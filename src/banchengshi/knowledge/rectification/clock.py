"""An item's deadline and its next reminder, under the policy version of the case that opened
it: the policy's `rectification` limit (policy.rules.DEFAULT_RECTIFICATION where it names
none), counted in statutory working days from the opening, provisional in a year nobody
loaded; reminders at the levels and times of case deadlines (policy.reminders)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from banchengshi.knowledge.models import RectificationItem, RectificationStatus
from banchengshi.policy.deadlines import Colour, deadline_colour, reckon_due
from banchengshi.policy.reminders import reminders_of
from banchengshi.policy.rules import LimitRule, Policy, parse_policy
from banchengshi.workdays.calendar import UnknownYearError, WorkingCalendar, local_date
from banchengshi.workdays.registry import current_calendar


@cache
def _parsed(key: str, content: str) -> Policy:
    return parse_policy(content, key)


def item_policy(item: RectificationItem) -> Policy:
    return _parsed(item.policy.key, item.policy.content)


def deadline_of(policy: Policy, opened_at: dt.datetime) -> tuple[dt.datetime, bool]:
    """The deadline and whether it is provisional."""
    reckoned = reckon_due(current_calendar(), policy.rectification_limit(), opened_at)
    return reckoned.value, reckoned.provisional


def arm(item: RectificationItem, policy: Policy, calendar: WorkingCalendar) -> None:
    """The first reminder of the item's deadline while open (past levels included: the sweep
    sends only the most severe one reached, each level once per deadline); none otherwise."""
    if item.status != RectificationStatus.OPEN:
        item.remind_at, item.remind_level = None, ""
        return
    first = reminders_of(item.due, policy, calendar)[0]
    item.remind_at, item.remind_level = first.at, first.level.value


@dataclass(frozen=True)
class ItemClock:
    """An item's deadline as the case pages show a clock's: its colour while open (None once
    reported done), the policy's words for the limit, the working days counted and the days
    skipped with their reason (both empty where the calendar lacks a year)."""

    colour: Colour | None
    rule: str
    counted: list[dt.date]
    skipped: list[tuple[dt.date, str]]


def item_colour(item: RectificationItem, now: dt.datetime) -> Colour | None:
    """The colour of an open item's deadline, as a case clock's (its policy's yellow window);
    None once reported done."""
    if item.status != RectificationStatus.OPEN:
        return None
    return deadline_colour(item.due, now, item_policy(item).yellow_window)


def item_clock(item: RectificationItem, now: dt.datetime) -> ItemClock:
    policy = item_policy(item)
    limit = policy.rectification_limit()
    colour = item_colour(item, now)
    same_day = limit.rule is LimitRule.SAME_DAY
    start = local_date(item.opened_at) + dt.timedelta(days=0 if same_day else 1)
    end = local_date(item.due)
    try:
        calendar = current_calendar()
        if item.provisional:  # the days it counted, as it counted them
            calendar = calendar.assuming(calendar.unknown_years(start, max(start, end)))
        days = calendar.days(start, end) if start <= end else []
    except UnknownYearError:
        days = []
    return ItemClock(
        colour,
        limit.label,
        [day.date for day in days if day.is_workday],
        [(day.date, day.reason) for day in days if not day.is_workday],
    )
