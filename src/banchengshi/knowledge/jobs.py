"""The knowledge app's periodic jobs (autodiscovered by the scheduler)."""

from __future__ import annotations

import datetime as dt

from banchengshi.knowledge.hotspots.concentrations import raise_hotspots
from banchengshi.knowledge.rectification import reminders
from banchengshi.scheduler.registry import periodic


@periodic(name="rectification.reminders", every=dt.timedelta(minutes=5))
def rectification_reminders(slot: dt.datetime) -> None:
    """Reminders of rectification deadlines due by the slot's start (R-KB-2)."""
    reminders.sweep(slot)


@periodic(name="hotspots.daily", daily_at=dt.time(7, 30))
def hotspots_daily(slot: dt.datetime) -> None:
    """Hot spots of the current period (R-KB-3), before the office's working day."""
    raise_hotspots(slot)
