"""What the calendar tells the apps above it. The case engine is above the calendar and
imports it; the calendar imports nothing of it, and reaches it through this signal instead.

`year_loaded(sender=CalendarYear, year, calendar, report)` is sent inside the transaction that
stores a year's schedule (`workdays.actions.do_load_calendar_year`), with `calendar` read from
the tables holding that year. Receivers count what they did in `report`, which the loader
shows (the `calendar load` command, the admin); one that raises rolls the load back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

year_loaded = Signal()


@dataclass
class Recomputation:
    """What loading a year did to the deadlines counted through it with Monday to Friday
    assumed: for the console and the admin's message."""

    cases_changed: int = 0
    clocks_changed: int = 0
    clocks_confirmed: int = 0  # flag dropped, deadline unchanged
    still_provisional: int = 0
    notices: int = 0
