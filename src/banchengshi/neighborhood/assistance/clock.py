"""A request's one running deadline and its next reminder (policy.toml): the review within
`review_days` working days of the registration, the visit by its appointment, the approval's
decision within `approval_days` working days of the visit; provisional in a year nobody
loaded, as case deadlines are. Reminders at the levels of case deadlines (policy.reminders),
in the working hours of the case policy in force."""

from __future__ import annotations

import datetime as dt

from banchengshi.neighborhood.assistance.models import AssistanceClock, AssistanceRequest
from banchengshi.neighborhood.assistance.policy import POLICY
from banchengshi.policy.deadlines import reckon_due_in_workdays
from banchengshi.policy.reminders import Reminder, reminders_for
from banchengshi.policy.rules import policy_in_force
from banchengshi.workdays.calendar import WorkingCalendar
from banchengshi.workdays.registry import current_calendar


def reminders(request: AssistanceRequest, calendar: WorkingCalendar) -> list[Reminder]:
    assert request.due is not None
    return reminders_for(
        request.due,
        yellow_window=POLICY.yellow_window,
        times=policy_in_force().reminders,
        calendar=calendar,
    )


def _arm(request: AssistanceRequest, calendar: WorkingCalendar) -> None:
    first = reminders(request, calendar)[0]
    request.remind_at, request.remind_level = first.at, first.level.value


def start_workdays(
    request: AssistanceRequest, clock: AssistanceClock, *, days: int, since: dt.datetime
) -> None:
    calendar = current_calendar()
    reckoned = reckon_due_in_workdays(calendar, days, since)
    request.clock, request.due, request.provisional = clock, reckoned.value, reckoned.provisional
    _arm(request, calendar)


def start_review(request: AssistanceRequest, since: dt.datetime) -> None:
    start_workdays(request, AssistanceClock.REVIEW, days=POLICY.review_days, since=since)


def start_approval(request: AssistanceRequest, since: dt.datetime) -> None:
    start_workdays(request, AssistanceClock.APPROVAL, days=POLICY.approval_days, since=since)


def start_visit(request: AssistanceRequest, appointment: dt.datetime) -> None:
    request.clock, request.due, request.provisional = AssistanceClock.VISIT, appointment, False
    _arm(request, current_calendar())


def stop(request: AssistanceRequest) -> None:
    request.clock, request.due, request.provisional = "", None, False
    request.remind_at, request.remind_level = None, ""
