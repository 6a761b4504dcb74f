"""Reminders of open 差评 handling deadlines: the sweep over `remind_at` (a partial index: only
tasks with a reminder to come), as knowledge.rectification.reminders does for its items. Each
task gets the most severe level reached, once per level and deadline (BadReviewReminder); the
rated unit's `told_roles` are told, and `overdue_roles` anywhere once it is overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from banchengshi.cases.reminders import Step, step
from banchengshi.evaluation.actions.common import notice_params
from banchengshi.evaluation.models import OPEN_HANDLING, BadReview, BadReviewReminder
from banchengshi.evaluation.policy import evaluation_policy
from banchengshi.notify.inbox import notify, people_of, people_with
from banchengshi.notify.models import NotificationKind
from banchengshi.policy.reminders import (
    ReminderLevel,
    in_working_hours,
    next_working_start,
    reminders_of,
)
from banchengshi.policy.rules import Policy, policy_in_force
from banchengshi.workdays.calendar import UnknownYearError, WorkingCalendar
from banchengshi.workdays.registry import current_calendar

BATCH = 200
KIND_OF_LEVEL = {
    ReminderLevel.BEFORE_YELLOW: NotificationKind.BAD_REVIEW_DUE_SOON,
    ReminderLevel.YELLOW: NotificationKind.BAD_REVIEW_DUE_SOON,
    ReminderLevel.RED: NotificationKind.BAD_REVIEW_OVERDUE,
}


@dataclass
class SweepResult:
    tasks: int = 0
    sent: dict[str, int] = field(default_factory=dict)
    notices: int = 0


def _plan(task: BadReview, now: dt.datetime, policy: Policy, calendar: WorkingCalendar) -> Step:
    times = policy.reminders
    return step(
        reminders_of(task.due, policy, calendar),
        now,
        in_working_hours(now, times, calendar),
        next_working_start(now, times, calendar),
    )


def recipients(task: BadReview, level: ReminderLevel) -> list[int]:
    rules = evaluation_policy()
    people = set(people_of([task.unit_id], rules.told_roles))
    if level is ReminderLevel.RED:
        people |= set(people_with(rules.overdue_roles))
    return sorted(people)


def sweep(now: dt.datetime, *, batch: int = BATCH) -> SweepResult:
    """Send every reminder due at `now` and arm each task's next one. Safe to run again: a
    task is claimed only while its reminder and deadline are the ones read."""
    result = SweepResult()
    calendar = current_calendar()
    policy = policy_in_force()
    while True:
        tasks = list(
            BadReview.objects.filter(remind_at__lte=now)
            .select_related("unit")
            .order_by("remind_at", "id")[:batch]
        )
        if not tasks:
            return result
        for task in tasks:
            result.tasks += 1
            _remind(task, now, policy, calendar, result)
        if len(tasks) < batch:
            return result


def _remind(
    task: BadReview,
    now: dt.datetime,
    policy: Policy,
    calendar: WorkingCalendar,
    result: SweepResult,
) -> None:
    try:
        plan = _plan(task, now, policy, calendar)
    except UnknownYearError:
        plan = Step(None, None)
    next_at, next_level = (plan.next.at, plan.next.level.value) if plan.next else (None, "")
    try:
        with transaction.atomic():
            claimed = BadReview.objects.filter(
                pk=task.pk, remind_at=task.remind_at, due=task.due, status__in=OPEN_HANDLING
            ).update(remind_at=next_at, remind_level=next_level)
            if not claimed or plan.send is None:
                return
            level = plan.send.level
            if BadReviewReminder.objects.filter(
                task=task, level=level.value, due=task.due
            ).exists():
                return
            people = recipients(task, level)
            BadReviewReminder.objects.create(
                task=task, level=level.value, due=task.due, sent_at=now, recipients=len(people)
            )
            if people:
                notify(
                    user_ids=people,
                    kind=KIND_OF_LEVEL[level],
                    params=notice_params(task, task.unit.name),
                )
            result.sent[level.value] = result.sent.get(level.value, 0) + 1
            result.notices += len(people)
    except IntegrityError:
        return
