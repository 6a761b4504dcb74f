"""`evaluation_counts`: ratings per level and group, appeals upheld left out."""

from __future__ import annotations

import datetime as dt

import pytest

from banchengshi.evaluation.actions.appeals import check_appeal, check_decide
from banchengshi.evaluation.selectors import CountBy, evaluation_counts, month_bounds
from tests.cases.conftest import sh

pytestmark = pytest.mark.django_db


def test_it_counts_per_unit_and_month(org, rate):
    rate(5, evaluated_at=sh(2026, 10, 31, 23))
    rate(5)
    rate(4)
    rate(1)
    rate(3, actor=org.officeadmin, unit_id=org.dept_a.pk)
    start, end = month_bounds(2026, 10)[0], month_bounds(2026, 11)[1]
    rows = evaluation_counts(start, end, by=[CountBy.UNIT, CountBy.MONTH])
    summary = [(r.key["unit__name"], r.key["month"], r.levels, r.total, r.satisfied) for r in rows]
    assert sorted(summary, key=lambda row: (row[0], row[1])) == [
        ("区市场监管局", dt.date(2026, 11, 1), {3: 1}, 1, 1),
        ("区政务服务中心大厅", dt.date(2026, 10, 1), {5: 1}, 1, 1),
        ("区政务服务中心大厅", dt.date(2026, 11, 1), {1: 1, 4: 1, 5: 1}, 3, 2),
    ]


def test_an_upheld_appeal_is_not_counted(org, rate):
    rate(5)
    bad = rate(1)
    appeal = check_appeal(
        org.windowhead, bad.pk, reason="malicious", explanation="恶意刷差评的记录，同一号码一日十次"
    )
    start, end = month_bounds(2026, 11)
    (before,) = evaluation_counts(start, end, by=[])
    assert (before.total, before.rate) == (2, 0.5)
    check_decide(org.officeadmin, appeal.pk, upheld=True, decision="查实为恶意评价")
    (after,) = evaluation_counts(start, end, by=[])
    assert (after.total, after.rate) == (1, 1.0)


def test_a_month_without_ratings_has_no_rows(org):
    assert evaluation_counts(*month_bounds(2026, 1), by=[CountBy.UNIT]) == []
