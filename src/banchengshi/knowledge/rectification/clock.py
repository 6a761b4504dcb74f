"""An item's deadline and its next reminder, under the policy version of the case that opened
it: the policy's `rectification` limit (policy.rules.DEFAULT_RECTIFICATION where it names
none), counted in statutory working days from the opening, provisional in a year nobody
loaded; reminders at the levels and times of case deadlines (policy.reminders)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from banchengshi.knowledge.models import RectificationItem, RectificationStatus
from banchengshi.policy.deadlines import reckon_due
from banchengshi.policy.reminders import reminders_of
from banchengshi.policy.rules import Policy, parse_policy
from banchengshi.workdays.calendar import WorkingCalendar
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
