"""The evaluation app's periodic jobs (autodiscovered by the scheduler)."""

from __future__ import annotations

import datetime as dt

from banchengshi.evaluation import reminders
from banchengshi.scheduler.registry import periodic


@periodic(name="evaluation.reminders", every=dt.timedelta(minutes=5))
def bad_review_reminders(slot: dt.datetime) -> None:
    """Reminders of 差评 handling deadlines due by the slot's start (R-NB-4)."""
    reminders.sweep(slot)
