"""Sessions counted per point and per center over a period of days in Asia/Shanghai: what the
list shows and the reports read (`session_counts`)."""

from __future__ import annotations

import datetime as dt

from banchengshi.neighborhood.sessions.actions import (
    check_log_session,
    check_register_failed_session,
)
from banchengshi.neighborhood.sessions.models import Side
from banchengshi.neighborhood.sessions.selectors import SessionCount, session_counts
from banchengshi.org.scope import scope_for
from tests.cases.conftest import sh
from tests.neighborhood.sessions.conftest import Streets, session_input

WHY = "中心系统无法调取档案信息。"


def fill(streets: Streets) -> None:
    """A1: 3 sessions on the 19th and 20th (one failed); A2: 1; B1: 1 at 00:10 on the 18th
    (the 17th in UTC)."""
    streets.session(started_at=sh(2026, 11, 19, 9), ended_at=sh(2026, 11, 19, 9, 20))
    streets.session(outcome="done")
    streets.session(outcome="failed", outcome_note=WHY)
    check_log_session(
        streets.point_staff_a2,
        session_input(streets, point_id=streets.point_a2.pk, outcome="referred"),
    )
    check_log_session(
        streets.point_staff_b1,
        session_input(
            streets,
            point_id=streets.point_b1.pk,
            center_staff_id=streets.center_staff_b.pk,
            started_at=sh(2026, 11, 18, 0, 10),
            ended_at=sh(2026, 11, 18, 0, 30),
        ),
    )


def test_counts_per_point(streets: Streets) -> None:
    fill(streets)
    counts = session_counts(dt.date(2026, 11, 18), dt.date(2026, 11, 20), by=Side.POINT)
    assert counts == [
        SessionCount(streets.point_a1.unit_id, "甲一居委会服务站", 3, 1, 1, 0, 1, 0),
        SessionCount(streets.point_a2.unit_id, "甲二园区服务点", 1, 0, 0, 1, 0, 0),
        SessionCount(streets.point_b1.unit_id, "乙一居委会服务站", 1, 0, 1, 0, 0, 0),
    ]


def test_counts_per_center(streets: Streets) -> None:
    fill(streets)
    counts = session_counts(dt.date(2026, 11, 18), dt.date(2026, 11, 20), by=Side.CENTER)
    assert counts == [
        SessionCount(streets.center_a.pk, "街道A社区事务受理服务中心", 4, 1, 1, 1, 1, 0),
        SessionCount(streets.center_b.pk, "街道B社区事务受理服务中心", 1, 0, 1, 0, 0, 0),
    ]


def test_the_period_is_days_in_shanghai(streets: Streets) -> None:
    fill(streets)
    only_the_18th = session_counts(dt.date(2026, 11, 18), dt.date(2026, 11, 18), by=Side.CENTER)
    assert [(c.name, c.total) for c in only_the_18th] == [("街道B社区事务受理服务中心", 1)]
    assert session_counts(dt.date(2026, 11, 17), dt.date(2026, 11, 17), by=Side.CENTER) == []


def test_the_cases_made_are_counted(streets: Streets) -> None:
    session = streets.session(outcome="failed", outcome_note=WHY)
    check_register_failed_session(streets.point_staff_a1, session.pk)
    [count] = session_counts(dt.date(2026, 11, 20), dt.date(2026, 11, 20), by=Side.POINT)
    assert (count.failed, count.cases) == (1, 1)


def test_a_scope_counts_what_the_person_sees(streets: Streets) -> None:
    fill(streets)
    start, end = dt.date(2026, 11, 18), dt.date(2026, 11, 20)
    scope = scope_for(streets.center_staff_b)
    counts = session_counts(start, end, by=Side.POINT, scope=scope)
    assert [(c.name, c.total) for c in counts] == [("乙一居委会服务站", 1)]
