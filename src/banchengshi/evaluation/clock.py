"""A 差评's deadline and its next reminder: `handling_workdays` (policy.toml) counted in
statutory working days from its arrival, provisional in a year nobody loaded; reminders at the
levels and working hours of case deadlines (policy.reminders, the policy in force)."""

from __future__ import annotations

import datetime as dt

from banchengshi.evaluation.models import OPEN_HANDLING, BadReview
from banchengshi.evaluation.policy import evaluation_policy
from banchengshi.policy.deadlines import reckon_due_in_workdays
from banchengshi.policy.reminders import reminders_of
from banchengshi.policy.rules import policy_in_force
from banchengshi.workdays.calendar import WorkingCalendar
from banchengshi.workdays.registry import current_calendar


def deadline_of(opened_at: dt.datetime) -> tuple[dt.datetime, bool]:
    """The deadline and whether it is provisional."""
    days = evaluation_policy().handling_workdays
    reckoned = reckon_due_in_workdays(current_calendar(), days, opened_at)
    return reckoned.value, reckoned.provisional


def arm(task: BadReview, calendar: WorkingCalendar) -> None:
    """The first reminder of the deadline while the handling is open (the sweep sends only the
    most severe level reached, each once per deadline); none once closed."""
    if task.status not in OPEN_HANDLING:
        task.remind_at, task.remind_level = None, ""
        return
    first = reminders_of(task.due, policy_in_force(), calendar)[0]
    task.remind_at, task.remind_level = first.at, first.level.value
