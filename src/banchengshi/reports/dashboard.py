"""The dashboard's reads (R-REP-4): live open work by colour, the most overdue work, the
weeks' and months' intake, the units' league table for last month (with their open rectification
items) and the newest hot spots.
Its cost does not grow with the number of cases, only with today's intake and the work due
today and tomorrow (issue 14): open work by colour is added up from the counts the database
keeps by unit and deadline day (cases.open_work), the most overdue read from the WorkItem
(due, id) index, the intake of past days is kept by day (reports.intake: only today's cases are
grouped on a refresh) and last month's league is a snapshot the scheduler refreshes
(reports.league), shown with the time it was computed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from banchengshi.cases.models import WorkItem
from banchengshi.cases.queues import WorkCounts, open_work_by_unit
from banchengshi.cases.selectors import due_in
from banchengshi.knowledge.hotspots.models import HotspotAlert
from banchengshi.knowledge.hotspots.selectors import subject_label
from banchengshi.knowledge.rectification.selectors import OpenItems, open_by_unit
from banchengshi.org.scope import Scope
from banchengshi.reports.drilldown import open_work_in
from banchengshi.reports.intake import intake_by_day
from banchengshi.reports.league import last_league
from banchengshi.reports.metrics import UnitRow
from banchengshi.reports.periods import PeriodKind, containing
from banchengshi.workdays.calendar import local_date

OVERDUE_SHOWN = 10
HOTSPOTS_SHOWN = 5
WEEKS = 12
MONTHS = 12


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    # The report or list of the cases behind the bar.
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class Dashboard:
    work: WorkCounts
    overdue: list[WorkItem]
    weeks: list[Bar]
    months: list[Bar]
    league: list[UnitRow]
    league_period: str
    # When the league was computed (a snapshot, at most reports.league.LEAGUE_STALE old).
    league_computed_at: dt.datetime
    # The league's units' rectification items open now (overdue among them), by unit id.
    rectification: dict[int, OpenItems]
    # Each alert with its subject in the reader's language.
    hotspots: list[tuple[HotspotAlert, str]]
    computed_at: dt.datetime


def _total(daily: dict[dt.date, int], first: dt.date, last: dt.date) -> int:
    return sum(n for day, n in daily.items() if first <= day <= last)


def dashboard(scope: Scope, *, now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    today = local_date(now)
    counts = open_work_by_unit(None if scope.sees_all else sorted(scope.visible_unit_ids))
    work = sum(counts.values(), WorkCounts())
    # The ten found in the (due, id) index first, then joined: joined before the LIMIT, every
    # overdue item was joined to its case and sorted (4.2 s at 1,000,000 cases).
    ten = open_work_in(scope).filter(due_in("red", now)).order_by("due", "id")[:OVERDUE_SHOWN]
    overdue = list(
        WorkItem.objects.filter(pk__in=ten.values("pk"))
        .select_related("case", "unit")
        .order_by("due", "id")
    )
    monday = today - dt.timedelta(days=today.weekday())
    first_week = monday - dt.timedelta(weeks=WEEKS - 1)
    month = containing(PeriodKind.MONTH, today)
    firsts = [month.first]
    for _ in range(MONTHS - 1):
        firsts.insert(0, containing(PeriodKind.MONTH, firsts[0] - dt.timedelta(days=1)).first)
    daily = intake_by_day(scope, min(first_week, firsts[0]), today)
    weeks = [
        Bar(f"{day:%m-%d}", _total(daily, day, last), day, last)
        for day, last in (
            (week, week + dt.timedelta(days=6))
            for week in (first_week + dt.timedelta(weeks=i) for i in range(WEEKS))
        )
    ]
    months = [
        Bar(f"{first:%Y-%m}", _total(daily, first, last), first, last)
        for first, last in ((first, containing(PeriodKind.MONTH, first).last) for first in firsts)
    ]
    last_month = month.previous()
    stored = last_league(last_month, now=now)
    table = stored.rows
    if not scope.sees_all:
        table = [row for row in table if row.unit_id in scope.visible_unit_ids]
    rectification = open_by_unit([row.unit_id for row in table], now=now)
    alerts = HotspotAlert.objects.order_by("-raised_at", "-id")[:HOTSPOTS_SHOWN]
    hotspots = [(alert, subject_label(alert)) for alert in alerts] if scope.sees_all else []
    return Dashboard(
        work,
        overdue,
        weeks,
        months,
        table,
        last_month.label,
        stored.computed_at,
        rectification,
        hotspots,
        now,
    )
