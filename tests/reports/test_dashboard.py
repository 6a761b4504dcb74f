"""/staff/dashboard/: open work by colour, the most overdue, intake by week and month, last
month's league table; each number a link to the cases behind it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from banchengshi.org.scope import scope_for
from banchengshi.reports import accountability
from banchengshi.reports.dashboard import dashboard
from banchengshi.reports.interviews import check_record_interview
from banchengshi.reports.periods import PeriodKind, parse_period
from tests.cases.conftest import CaseBuilder, sh
from tests.reports.conftest import District
from tests.reports.test_accountability import STRICT


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_it_counts_the_districts_open_work_by_colour(district: District) -> None:
    board = dashboard(scope_for(district.org.officeadmin))
    # At 11-30 12:00, past their limits: the return visits of the October case and of the
    # case replied on 11-02, the open case's handling, the displeased case's supervision
    # decision, the refused case's answer with reasons, the supervised case's new deadline.
    assert (board.work.red, board.work.yellow, board.work.undated) == (6, 0, 1)
    c = district.cases
    assert [item.case.tracking_no for item in board.overdue] == [
        c[key].tracking_no
        for key in ("october", "open_late", "displeased", "refused", "replied", "supervised")
    ]
    assert [(bar.label, bar.count) for bar in board.months][-2:] == [("2026-10", 1), ("2026-11", 8)]


def test_it_shows_the_figures_with_their_links(district: District, frozen_time) -> None:
    frozen_time.set(sh(2026, 12, 2, 9))
    html = client_of(district.org.officeadmin).get("/staff/dashboard/").content.decode()
    assert re.search(r'data-count="red">红灯·已超期 <strong>6</strong>', html)
    league = re.search(
        r'data-unit="(\d+)"><td><a href="([^"]+)">区市场监管局</a></td><td><a [^>]+>6</a></td>',
        html,
    )
    assert league, html
    assert league[2] == f"/staff/reports/?kind=monthly&amp;period=2026-11&amp;unit={league[1]}"
    assert (
        'href="/staff/reports/?kind=monthly&amp;period=2026-11" title="本月的报告">2026-11' in html
    )
    assert 'href="/staff/dashboard/cases/?period=2026-11&amp;figure=received">8</a>' in html
    week = "period=2026-11-30..2026-12-06&amp;figure=received"
    assert f'href="/staff/dashboard/cases/?{week}">0</a>' in html


def test_the_league_shows_each_units_open_rectification(
    district: District, frozen_time, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = district.org
    frozen_time.set(sh(2026, 12, 2, 9))
    # Department A listed for accountability; its interview orders a rectification.
    monkeypatch.setattr(accountability, "thresholds", lambda: STRICT)
    item = check_record_interview(
        org.officeadmin,
        unit_id=org.dept_a.pk,
        period=parse_period(PeriodKind.MONTH, "2026-11"),
        held_on=dt.date(2026, 12, 1),
        attendees="局分管领导",
        notes="限期整改答复流程",
        order="process",
    ).rectification
    assert item is not None
    office = client_of(org.officeadmin)
    row = f'data-unit="{org.dept_a.pk}">'
    listed = f"/staff/rectifications/?unit={org.dept_a.pk}&amp;status="
    on_time = f'<a href="{listed}open">1</a> (<a href="{listed}overdue">0</a>)</td></tr>'
    html = office.get("/staff/dashboard/").content.decode()
    assert re.search(re.escape(row) + r"(?:(?!</tr>).)*" + re.escape(on_time), html), html
    frozen_time.set(item.due + dt.timedelta(minutes=1))
    html = office.get("/staff/dashboard/").content.decode()
    assert f'<a href="{listed}open">1</a> (<a href="{listed}overdue">1</a>)</td></tr>' in html
    # The list behind the overdue count holds the item.
    overdue = office.get(f"/staff/rectifications/?unit={org.dept_a.pk}&status=overdue")
    assert f'href="/staff/rectifications/{item.pk}/"' in overdue.content.decode()


def test_a_unit_leaders_intake_counts_each_case_once(district: District) -> None:
    # Department A is responsible for and handles its six November cases: two links each.
    board = dashboard(scope_for(district.org.leader_a))
    assert [(bar.label, bar.count) for bar in board.months][-2:] == [("2026-10", 1), ("2026-11", 6)]


def test_it_keeps_a_unit_leader_to_their_units(district: District) -> None:
    html = client_of(district.org.leader_a).get("/staff/dashboard/").content.decode()
    assert "区市场监管局" in html
    assert "区政务服务中心大厅" not in html


def test_it_refuses_a_clerk(district: District) -> None:
    response = client_of(district.org.clerk).get("/staff/dashboard/")
    assert response.status_code == 403


def test_its_queries_do_not_grow_with_the_cases(district: District, cases: CaseBuilder) -> None:
    office = client_of(district.org.officeadmin)
    office.get("/staff/dashboard/")
    with CaptureQueriesContext(connection) as before:
        office.get("/staff/dashboard/")
    for _ in range(3):
        cases.in_progress()
    with CaptureQueriesContext(connection) as after:
        office.get("/staff/dashboard/")
    assert len(after) == len(before)
