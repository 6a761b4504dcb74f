"""The dashboard's kept figures (issue 14): the intake of past days kept by day and forgotten
from the day a back-dated case or a late link changes, today's intake counted live, and last
month's league from a snapshot the scheduler refreshes, never older than LEAGUE_STALE."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client

from banchengshi.cases.actions.answer import check_reply_case
from banchengshi.cases.actions.dispatch import check_dispatch_case
from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.intake.importer import import_table
from banchengshi.intake.sources import find_source
from banchengshi.org.scope import scope_for
from banchengshi.reports.dashboard import dashboard
from banchengshi.reports.intake import DISTRICT, _keep, _version, forget_from, scope_key
from banchengshi.reports.jobs import league_snapshot
from banchengshi.reports.models import IntakeDay, LeagueSnapshot
from banchengshi.reports.periods import PeriodKind, parse_period
from tests.cases.conftest import CaseBuilder, FrozenTime, sh
from tests.intake.conftest import System, hotline_record, system  # noqa: F401
from tests.intake.test_import import table_of
from tests.reports.conftest import NOW, District

NOVEMBER = parse_period(PeriodKind.MONTH, "2026-11")


def months(board) -> list[tuple[str, int]]:
    return [(bar.label, bar.count) for bar in board.months][-2:]


def kept(key: str) -> dict[dt.date, int]:
    return dict(IntakeDay.objects.filter(scope=key, count__gt=0).values_list("day", "count"))


def test_it_keeps_the_past_days_and_counts_today_live(
    district: District, cases: CaseBuilder
) -> None:
    office = scope_for(district.org.officeadmin)
    assert months(dashboard(office)) == [("2026-10", 1), ("2026-11", 8)]
    # Every day of the window before today kept, those without a case as 0.
    days = IntakeDay.objects.filter(scope=DISTRICT)
    assert days.count() == (NOW.date() - dt.date(2025, 12, 1)).days
    assert kept(DISTRICT) == {dt.date(2026, 10, 15): 1, dt.date(2026, 11, 2): 8}
    # Today's case is counted live; nothing kept is forgotten for it.
    cases.register()
    assert months(dashboard(office)) == [("2026-10", 1), ("2026-11", 9)]
    assert kept(DISTRICT) == {dt.date(2026, 10, 15): 1, dt.date(2026, 11, 2): 8}
    assert days.count() == (NOW.date() - dt.date(2025, 12, 1)).days


def test_an_import_with_a_past_date_forgets_the_days_from_it(
    district: District,
    system: System,  # noqa: F811 (the fixture imported above)
) -> None:
    office = scope_for(district.org.officeadmin)
    leader = scope_for(district.org.leader_a)
    dashboard(office), dashboard(leader)
    source = find_source("12345")
    assert source is not None
    record = hotline_record(工单编号="GD-PAST-1", 来电时间="2026-11-20 09:30:00")
    report = import_table(system.user, source, table_of([record]))
    assert report.created == 1
    # In the import's transaction: every scope's days from 11-20 on forgotten, not before.
    assert not IntakeDay.objects.filter(day__gte=dt.date(2026, 11, 20)).exists()
    assert IntakeDay.objects.filter(scope=DISTRICT, day=dt.date(2026, 11, 19)).exists()
    assert IntakeDay.objects.filter(scope=scope_key(leader), day=dt.date(2026, 11, 19)).exists()
    board = dashboard(office)
    assert months(board) == [("2026-10", 1), ("2026-11", 9)]
    week = next(bar for bar in board.weeks if bar.first == dt.date(2026, 11, 16))
    assert week.count == 1
    assert kept(DISTRICT) == {
        dt.date(2026, 10, 15): 1,
        dt.date(2026, 11, 2): 8,
        dt.date(2026, 11, 20): 1,
    }


def test_a_past_case_linked_late_counts_in_the_units_scope(
    district: District, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    org = district.org
    frozen_time.set(sh(2026, 11, 2, 15))
    waiting = cases.awaiting()
    frozen_time.set(NOW)
    office, leader = scope_for(org.officeadmin), scope_for(org.leader_a)
    assert months(dashboard(office)) == [("2026-10", 1), ("2026-11", 9)]
    assert months(dashboard(leader)) == [("2026-10", 1), ("2026-11", 6)]
    # Dispatched today to department A: its scope's 11-02 changes, the district's does not.
    check_dispatch_case(org.dispatcher, waiting.pk, unit_id=org.dept_a.pk)
    assert not IntakeDay.objects.filter(scope=scope_key(leader), day__gte=dt.date(2026, 11, 2))
    assert kept(DISTRICT)[dt.date(2026, 11, 2)] == 9
    assert months(dashboard(leader)) == [("2026-10", 1), ("2026-11", 7)]
    assert kept(scope_key(leader))[dt.date(2026, 11, 2)] == 7
    assert months(dashboard(office)) == [("2026-10", 1), ("2026-11", 9)]


def test_a_count_crossed_by_an_invalidation_is_not_kept(district: District) -> None:
    """A reader counted before a writer changed the past: its count may miss the writer's
    case, so it keeps nothing; the next reader counts again."""
    read = _version()
    forget_from(dt.date(2026, 11, 1), district=True)
    _keep(DISTRICT, {dt.date(2026, 11, 2): 7}, read)
    assert not IntakeDay.objects.exists()
    _keep(DISTRICT, {dt.date(2026, 11, 2): 8}, _version())
    assert kept(DISTRICT) == {dt.date(2026, 11, 2): 8}


def answer_the_open_case(district: District) -> None:
    """The case left open in November answered, late: replied +1, on time and overdue alike."""
    handler, pk = district.org.handler_a, district.cases["open_late"].pk
    check_record_cause(handler, pk, code="materials", note="申请人未提供股东会决议")
    check_reply_case(handler, pk, text="已答复，业务已办结")


def test_the_job_drops_kept_days_no_dashboard_reads(district: District) -> None:
    dashboard(scope_for(district.org.officeadmin))
    IntakeDay.objects.create(scope=DISTRICT, day=dt.date(2025, 10, 25), count=3)
    IntakeDay.objects.create(scope=DISTRICT, day=dt.date(2025, 10, 26), count=4)
    league_snapshot(NOW)
    # 400 days before 2026-11-30 is 2025-10-26: kept; the day before dropped.
    assert not IntakeDay.objects.filter(day=dt.date(2025, 10, 25)).exists()
    assert IntakeDay.objects.get(day=dt.date(2025, 10, 26)).count == 4
    assert kept(DISTRICT)[dt.date(2026, 11, 2)] == 8


def league_row(board, unit_id: int) -> tuple[int, int, int, int, int, int]:
    row = next(row for row in board.league if row.unit_id == unit_id)
    return (row.received, row.replied, row.replied_on_time, row.overdue, row.rated, row.supervised)


def test_last_months_league_is_a_snapshot_refreshed_by_the_scheduler(
    district: District, frozen_time: FrozenTime
) -> None:
    org = district.org
    office = scope_for(org.officeadmin)
    frozen_time.set(sh(2026, 12, 2, 9))
    board = dashboard(office)
    # Computed by the first reader (no snapshot yet) and kept.
    assert board.league_period == "2026-11"
    assert board.league_computed_at == sh(2026, 12, 2, 9)
    # Department A's six: five replied (one late), one open and overdue, three rated, one
    # supervised.
    assert league_row(board, org.dept_a.pk) == (6, 5, 4, 2, 3, 1)
    assert LeagueSnapshot.objects.get(period="2026-11").computed_at == sh(2026, 12, 2, 9)
    # The open case is answered: the snapshot still shows it open until computed again.
    frozen_time.set(sh(2026, 12, 2, 9, 5))
    answer_the_open_case(district)
    board = dashboard(office)
    assert board.league_computed_at == sh(2026, 12, 2, 9)
    assert league_row(board, org.dept_a.pk) == (6, 5, 4, 2, 3, 1)
    # The scheduler's run of 09:15.
    frozen_time.set(sh(2026, 12, 2, 9, 15, 3))
    league_snapshot(sh(2026, 12, 2, 9, 15))
    board = dashboard(office)
    assert board.league_computed_at == sh(2026, 12, 2, 9, 15, 3)
    assert league_row(board, org.dept_a.pk) == (6, 6, 4, 2, 3, 1)
    # The page says when it was computed.
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(org.officeadmin)
    html = client.get("/staff/dashboard/").content.decode()
    assert re.search(r"<p class=\"muted\" data-league-computed>[^<]*2026-12-02 09:15", html), html


def test_a_snapshot_older_than_the_bound_is_computed_by_the_reader(
    district: District, frozen_time: FrozenTime
) -> None:
    org = district.org
    office = scope_for(org.officeadmin)
    frozen_time.set(sh(2026, 12, 2, 9))
    dashboard(office)
    frozen_time.set(sh(2026, 12, 2, 9, 10))
    answer_the_open_case(district)
    # 30 minutes old: still shown.
    frozen_time.set(sh(2026, 12, 2, 9, 30))
    board = dashboard(office)
    assert board.league_computed_at == sh(2026, 12, 2, 9)
    assert league_row(board, org.dept_a.pk) == (6, 5, 4, 2, 3, 1)
    # Older (the scheduler stopped): the reader computes it and keeps it.
    frozen_time.set(sh(2026, 12, 2, 9, 31))
    board = dashboard(office)
    assert board.league_computed_at == sh(2026, 12, 2, 9, 31)
    assert league_row(board, org.dept_a.pk) == (6, 6, 4, 2, 3, 1)
    assert LeagueSnapshot.objects.get(period="2026-11").computed_at == sh(2026, 12, 2, 9, 31)


def test_the_leaders_league_is_the_districts_rows_of_their_units(
    district: District, frozen_time: FrozenTime
) -> None:
    org = district.org
    frozen_time.set(sh(2026, 12, 2, 9))
    district_board = dashboard(scope_for(org.officeadmin))
    leader_board = dashboard(scope_for(org.leader_a))
    assert [row.unit_id for row in leader_board.league] == [org.dept_a.pk]
    assert leader_board.league[0] == next(
        row for row in district_board.league if row.unit_id == org.dept_a.pk
    )
    assert LeagueSnapshot.objects.count() == 1
    assert NOVEMBER.label == leader_board.league_period
