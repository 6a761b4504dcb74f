"""Reminders of door-to-door requests' deadlines: the sweep over `remind_at` (a partial index:
only requests with a reminder to come), as cases.reminders does for clocks and
knowledge.rectification.reminders for items. The most severe level reached is sent, once per
level, clock and deadline (AssistanceReminder); who is told is policy.toml's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from banchengshi.cases.reminders import Step, step
from banchengshi.neighborhood.assistance.clock import reminders
from banchengshi.neighborhood.assistance.models import AssistanceReminder, AssistanceRequest
from banchengshi.neighborhood.assistance.policy import POLICY
from banchengshi.notify.inbox import notify, people_of
from banchengshi.notify.models import NotificationKind
from banchengshi.policy.reminders import ReminderLevel, in_working_hours, next_working_start
from banchengshi.policy.rules import policy_in_force
from banchengshi.workdays.calendar import UnknownYearError, WorkingCalendar
from banchengshi.workdays.registry import current_calendar

BATCH = 200
KIND_OF_LEVEL = {
    ReminderLevel.BEFORE_YELLOW: NotificationKind.ASSISTANCE_DUE_SOON,
    ReminderLevel.YELLOW: NotificationKind.ASSISTANCE_DUE_SOON,
    ReminderLevel.RED: NotificationKind.ASSISTANCE_OVERDUE,
}


@dataclass
class SweepResult:
    requests: int = 0
    sent: dict[str, int] = field(default_factory=dict)
    notices: int = 0


def _plan(request: AssistanceRequest, now: dt.datetime, calendar: WorkingCalendar) -> Step:
    times = policy_in_force().reminders
    return step(
        reminders(request, calendar),
        now,
        in_working_hours(now, times, calendar),
        next_working_start(now, times, calendar),
    )


def recipients(request: AssistanceRequest, level: ReminderLevel) -> list[int]:
    audience = POLICY.levels[level]
    people = (
        set(people_of([request.street_id], audience.at_street)) if audience.at_street else set()
    )
    if audience.assigned and request.assigned_to_id is not None:
        people.add(request.assigned_to_id)
    return sorted(people)


def notice_params(request: AssistanceRequest) -> dict[str, object]:
    assert request.due is not None
    return {"request": request.pk, "clock": request.clock, "due": request.due.isoformat()}


def sweep(now: dt.datetime, *, batch: int = BATCH) -> SweepResult:
    """Send every reminder due at `now` and arm each request's next one. Safe to run again: a
    request is claimed only while its reminder, clock and deadline are the ones read."""
    result = SweepResult()
    calendar = current_calendar()
    while True:
        due = list(
            AssistanceRequest.objects.filter(remind_at__lte=now).order_by("remind_at", "id")[:batch]
        )
        if not due:
            return result
        for request in due:
            result.requests += 1
            _remind(request, now, calendar, result)
        if len(due) < batch:
            return result


def _remind(
    request: AssistanceRequest, now: dt.datetime, calendar: WorkingCalendar, result: SweepResult
) -> None:
    try:
        plan = _plan(request, now, calendar)
    except UnknownYearError:
        plan = Step(None, None)
    next_at, next_level = (plan.next.at, plan.next.level.value) if plan.next else (None, "")
    try:
        with transaction.atomic():
            claimed = AssistanceRequest.objects.filter(
                pk=request.pk, remind_at=request.remind_at, clock=request.clock, due=request.due
            ).update(remind_at=next_at, remind_level=next_level)
            if not claimed or plan.send is None:
                return
            level = plan.send.level
            assert request.due is not None
            if AssistanceReminder.objects.filter(
                request=request, clock=request.clock, level=level.value, due=request.due
            ).exists():
                return
            people = recipients(request, level)
            AssistanceReminder.objects.create(
                request=request,
                clock=request.clock,
                level=level.value,
                due=request.due,
                sent_at=now,
                recipients=len(people),
            )
            if people:
                notify(user_ids=people, kind=KIND_OF_LEVEL[level], params=notice_params(request))
            result.sent[level.value] = result.sent.get(level.value, 0) + 1
            result.notices += len(people)
    except IntegrityError:
        return
