"""Deadlines in templates: `{{ due|provisional_due }}` for a deadline shown without its clock
(a supervision's, the nearest of a unit's cases), true when its year has no loaded schedule.
Rows that carry their own flag (work items, clocks) are shown by that flag instead."""

from __future__ import annotations

import datetime as dt

from django import template

from banchengshi.cases.models import NO_DUE
from banchengshi.policy.deadlines import local_date
from banchengshi.workdays.registry import current_calendar

register = template.Library()


@register.filter
def provisional_due(due: dt.datetime | None) -> bool:
    if due is None or due >= NO_DUE:
        return False
    return not current_calendar().knows(local_date(due).year)
