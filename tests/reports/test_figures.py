"""Every figure of the JSON report of a small district whose cases are counted by hand
(tests/reports/conftest.py), for a month and a quarter; an empty period is all zeros."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction

from banchengshi.cases.models import Satisfaction
from banchengshi.errors import InvalidInput
from banchengshi.evaluation.actions.common import NewEvaluation, write_evaluation
from banchengshi.evaluation.models import EvaluationChannel, SubjectKind
from banchengshi.reports.build import build_report
from banchengshi.reports.metrics import COUNTS
from banchengshi.reports.scopes import ReportScope
from tests.cases.conftest import sh
from tests.reports.conftest import District

NOVEMBER = {
    "received": 8,
    "accepted": 7,
    "not_admissible": 1,
    "on_the_spot": 1,
    "replied": 6,
    "replied_on_time": 5,
    "replied_late": 1,
    "overdue": 3,
    "overdue_open": 2,
    "contact_due": 0,
    "contacted_in_time": 0,
    "return_visits": 3,
    "rated": 3,
    "satisfied": 2,
    "solved": 3,
    "solved_asked": 3,
    "supervised": 1,
    "returned": 0,
    "extensions": 0,
    "suspensions": 0,
    "closed": 1,
    "rectification_opened": 0,
    "rectification_done": 0,
    "rectification_verified": 0,
    "rectification_overdue": 0,
    "knowledge_entries_added": 0,
    "fast_channel": 0,
    "evaluations": 0,
    "bad_reviews": 0,
    "bad_reviews_closed": 0,
    "remote_sessions": 0,
    "door_to_door_requests": 0,
    "door_to_door_done": 0,
    "on_time_rate": 0.8333,
    "on_the_spot_rate": 0.1429,
    "response_rate": None,
    "resolution_rate": 1.0,
    "satisfaction_rate": 0.6667,
    "return_visit_coverage": 0.5,
    # Five replies on the day received, one after the 20 working days 11-03 … 11-30.
    "avg_handling_workdays": 3.33,
}


def report(kind: str, period: str, scope: ReportScope | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(build_report(kind, period, scope or ReportScope()).content)
    return data


def test_it_counts_every_figure_of_a_month(district: District) -> None:
    data = report("monthly", "2026-11")
    assert {key: data[key] for key in NOVEMBER} == NOVEMBER
    assert (data["period"], data["first_day"], data["last_day"]) == (
        "2026-11",
        "2026-11-01",
        "2026-11-30",
    )
    assert data["satisfaction_levels"] == {"5": 1, "4": 1, "3": 0, "2": 1, "1": 0}
    assert data["received_by_channel"]["window"] == 8
    assert sum(data["received_by_channel"].values()) == 8
    assert data["received_by_category"] == {
        "consultation": 0,
        "handling": 8,
        "complaint": 0,
        "suggestion": 0,
    }
    assert data["external"] == {"hotline_12345": 0, "review_platform": 0, "own_channels": 8}
    assert data["top_matters"] == [
        {"matter_id": district.org.matter_a.pk, "name": "营业执照变更登记", "count": 6}
    ]
    assert data["top_causes"] == [
        {"code": "materials", "label": "申请人材料不齐全或有误", "side": "petitioner", "count": 5}
    ]
    assert data["causes_by_side"] == {"petitioner": 5, "department": 0}


def test_it_counts_a_quarter_with_the_october_case(district: District) -> None:
    data = report("quarterly", "2026-Q4")
    assert (data["first_day"], data["last_day"]) == ("2026-10-01", "2026-12-31")
    expected = dict(NOVEMBER)
    expected.update(
        received=9,
        accepted=8,
        replied=7,
        replied_on_time=6,
        on_the_spot_rate=0.125,
        on_time_rate=0.8571,
        return_visit_coverage=0.4286,
        avg_handling_workdays=2.86,
    )
    assert {key: data[key] for key in expected} == expected


def test_it_reports_a_unit_with_the_units_below(district: District) -> None:
    org = district.org
    data = report("monthly", "2026-11", ReportScope(unit=org.dept_a))
    # The six cases dispatched to department A; of the window's own two, the one resolved on
    # the spot is the hall's, the one refused at screening no unit's.
    assert (data["received"], data["replied"], data["unit"], data["units_below"]) == (
        6,
        5,
        org.dept_a.pk,
        True,
    )
    hall = report("monthly", "2026-11", ReportScope(unit=org.hall, below=False))
    assert (hall["received"], hall["on_the_spot"]) == (1, 1)


@pytest.mark.django_db
def test_it_reports_an_empty_period_as_zeros() -> None:
    data = report("annual", "2019")
    assert all(data[key] == 0 for key in COUNTS)
    assert data["satisfaction_rate"] is None
    assert data["avg_handling_workdays"] is None
    assert data["top_matters"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "period", "message"),
    [
        ("monthly", "2026-13", "“2026-13”不是本报告的统计期，请写成 2026-11 的形式。"),
        ("monthly", "2026-1\x00", "“2026-1”不是本报告的统计期，请写成 2026-11 的形式。"),
        ("quarterly", "2026-Q5", "“2026-Q5”不是本报告的统计期，请写成 2026-Q4 的形式。"),
        ("annual", "１９９９", "“１９９９”不是本报告的统计期，请写成 2026 的形式。"),
        ("weekly", "2026", "没有“weekly”报告，请选择月报、季报或年报。"),
    ],
)
def test_it_refuses_a_period_in_words(kind: str, period: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        build_report(kind, period, ReportScope())
    assert str(refused.value.message) == message


def test_it_counts_the_evaluations_of_the_period(district: District) -> None:
    org = district.org
    for level, day in ((Satisfaction.DISSATISFIED, 5), (Satisfaction.SATISFIED, 6)):
        with transaction.atomic():
            write_evaluation(
                NewEvaluation(
                    level=level,
                    subject_kind=SubjectKind.WINDOW_TRANSACTION,
                    channel=EvaluationChannel.PAPER,
                    unit_id=org.dept_a.pk,
                    evaluated_at=sh(2026, 11, day),
                ),
                actor=org.officeadmin,
                now=sh(2026, 11, day),
            )
    data = report("monthly", "2026-11")
    assert (data["evaluations"], data["bad_reviews"], data["bad_reviews_closed"]) == (2, 1, 0)
    unit = report("monthly", "2026-11", ReportScope(unit=org.dept_b))
    assert unit["evaluations"] == 0
