"""The cases app's periodic jobs (autodiscovered by the scheduler); the logic lives in
cases.reminders."""

from __future__ import annotations

import datetime as dt

from banchengshi.cases import open_work, reminders
from banchengshi.scheduler.registry import periodic


@periodic(name="reminders.sweep", every=dt.timedelta(minutes=5))
def reminder_sweep(slot: dt.datetime) -> None:
    """Deadline reminders due by the slot's start (R-SLA-6)."""
    reminders.sweep(slot)


@periodic(name="reminders.digest", daily_at=dt.time(8, 30))
def overdue_digest(slot: dt.datetime) -> None:
    """The office administrators' morning digest of overdue cases."""
    reminders.send_digest(slot)


@periodic(name="cases.open_work", every=dt.timedelta(minutes=5))
def open_work_days(slot: dt.datetime) -> None:
    """Add up the rows the triggers wrote for each unit and day (cases.open_work), so that the
    counts by colour read a row per unit and day."""
    open_work.compact()
