"""The neighbourhood app's periodic jobs (autodiscovered by the scheduler)."""

from __future__ import annotations

import datetime as dt

from banchengshi.neighborhood.assistance import reminders
from banchengshi.scheduler.registry import periodic


@periodic(name="assistance.reminders", every=dt.timedelta(minutes=5))
def assistance_reminders(slot: dt.datetime) -> None:
    """Reminders of door-to-door requests' deadlines due by the slot's start (R-NB-3)."""
    reminders.sweep(slot)
