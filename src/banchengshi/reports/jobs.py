"""The reports' periodic jobs (autodiscovered by the scheduler)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from banchengshi.reports.actions import do_store_district_reports
from banchengshi.reports.build import REPORT_KINDS
from banchengshi.reports.intake import prune_intake
from banchengshi.reports.league import LEAGUE_EVERY, do_store_league
from banchengshi.reports.periods import PeriodKind, containing
from banchengshi.scheduler.registry import periodic
from banchengshi.workdays.calendar import local_date, reckon
from banchengshi.workdays.registry import current_calendar


def due_reports(today: dt.date) -> list[PeriodKind]:
    """The reports whose period ended before `today`, the first working day of the next."""
    return [kind for kind in REPORT_KINDS if _opening(containing(kind, today).first) == today]


def _opening(first: dt.date) -> dt.date:
    """The first working day on or after `first` (a year not loaded counted Monday to Friday)."""
    return reckon(current_calendar(), lambda calendar: calendar.workday_on_or_after(first)).value


@periodic(name="reports.periodic", daily_at=dt.time(6, 30))
def periodic_reports(slot: dt.datetime) -> None:
    """Last month's (quarter's, year's) district report in every format, kept and announced
    to the office on the first working day after it ends (R-REP-1)."""
    today = local_date(slot)
    for kind in due_reports(today):
        do_store_district_reports(kind.value, containing(kind, today).previous())


@periodic(name="reports.league", every=LEAGUE_EVERY)
def league_snapshot(slot: dt.datetime) -> None:
    """Last month's league as of now, for the dashboard (reports.league): its cases are still
    being replied to and rated, so it is computed again every LEAGUE_EVERY. The kept intake
    days no dashboard reads any more are dropped on the way."""
    now = timezone.now()
    do_store_league(containing(PeriodKind.MONTH, local_date(now)).previous(), now=now)
    prune_intake(local_date(now))
