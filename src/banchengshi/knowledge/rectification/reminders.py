"""Reminders of open rectification items' deadlines: the sweep over `remind_at` (a partial
index: only items with a reminder to come), as cases.reminders does for clocks. Each item gets
the most severe level reached, once per level and deadline (RectificationReminder); the owner
unit's people are told, and the office at red (rules.toml)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from banchengshi.cases.reminders import Step, step
from banchengshi.knowledge.models import (
    RectificationItem,
    RectificationReminder,
    RectificationStatus,
)
from banchengshi.knowledge.rectification.actions import notice_params
from banchengshi.knowledge.rectification.clock import item_policy
from banchengshi.knowledge.rectification.rules import RULES
from banchengshi.notify.inbox import notify, people_of, people_with
from banchengshi.notify.models import NotificationKind
from banchengshi.policy.reminders import (
    ReminderLevel,
    in_working_hours,
    next_working_start,
    reminders_of,
)
from banchengshi.workdays.calendar import UnknownYearError, WorkingCalendar
from banchengshi.workdays.registry import current_calendar

BATCH = 200
KIND_OF_LEVEL = {
    ReminderLevel.BEFORE_YELLOW: NotificationKind.RECTIFICATION_DUE_SOON,
    ReminderLevel.YELLOW: NotificationKind.RECTIFICATION_DUE_SOON,
    ReminderLevel.RED: NotificationKind.RECTIFICATION_OVERDUE,
}


@dataclass
class SweepResult:
    items: int = 0
    sent: dict[str, int] = field(default_factory=dict)
    notices: int = 0


def _plan(item: RectificationItem, now: dt.datetime, calendar: WorkingCalendar) -> Step:
    policy = item_policy(item)
    times = policy.reminders
    return step(
        reminders_of(item.due, policy, calendar),
        now,
        in_working_hours(now, times, calendar),
        next_working_start(now, times, calendar),
    )


def recipients(item: RectificationItem, level: ReminderLevel) -> list[int]:
    audience = RULES.levels[level]
    people = set(people_of([item.unit_id], audience.at_unit)) if audience.at_unit else set()
    if audience.anywhere:
        people |= set(people_with(audience.anywhere))
    return sorted(people)


def sweep(now: dt.datetime, *, batch: int = BATCH) -> SweepResult:
    """Send every reminder due at `now` and arm each item's next one. Safe to run again: an
    item is claimed only while its reminder and deadline are the ones read."""
    result = SweepResult()
    calendar = current_calendar()
    while True:
        items = list(
            RectificationItem.objects.filter(remind_at__lte=now)
            .select_related("policy", "unit")
            .order_by("remind_at", "id")[:batch]
        )
        if not items:
            return result
        for item in items:
            result.items += 1
            _remind(item, now, calendar, result)
        if len(items) < batch:
            return result


def _remind(
    item: RectificationItem, now: dt.datetime, calendar: WorkingCalendar, result: SweepResult
) -> None:
    try:
        plan = _plan(item, now, calendar)
    except UnknownYearError:
        plan = Step(None, None)
    next_at, next_level = (plan.next.at, plan.next.level.value) if plan.next else (None, "")
    try:
        with transaction.atomic():
            claimed = RectificationItem.objects.filter(
                pk=item.pk, remind_at=item.remind_at, due=item.due, status=RectificationStatus.OPEN
            ).update(remind_at=next_at, remind_level=next_level)
            if not claimed or plan.send is None:
                return
            level = plan.send.level
            if RectificationReminder.objects.filter(
                item=item, level=level.value, due=item.due
            ).exists():
                return
            people = recipients(item, level)
            RectificationReminder.objects.create(
                item=item, level=level.value, due=item.due, sent_at=now, recipients=len(people)
            )
            if people:
                notify(user_ids=people, kind=KIND_OF_LEVEL[level], params=notice_params(item))
            result.sent[level.value] = result.sent.get(level.value, 0) + 1
            result.notices += len(people)
    except IntegrityError:
        return
