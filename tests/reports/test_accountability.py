"""The accountability list (R-REP-2): units listed by the thresholds, an interview recorded
from it and a rectification ordered, tracked with the unit's other items."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from banchengshi.audit.models import AuditEvent
from banchengshi.errors import Conflict, Forbidden
from banchengshi.knowledge.models import ORDERED_CAUSE, RectificationItem
from banchengshi.reports import accountability
from banchengshi.reports.accountability import Thresholds, accountability_list, load_thresholds
from banchengshi.reports.build import build_report
from banchengshi.reports.interviews import check_record_interview
from banchengshi.reports.models import Interview
from banchengshi.reports.periods import PeriodKind, parse_period
from banchengshi.reports.scopes import ReportScope
from tests.reports.conftest import District

NOVEMBER = parse_period(PeriodKind.MONTH, "2026-11")
STRICT = Thresholds(
    satisfaction_below=0.9,
    min_rated=3,
    on_time_below=0.9,
    min_replied=5,
    department_causes_at_least=1,
)


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Thresholds that list department A; the reasons in Chinese, whatever a test before left
    active."""
    monkeypatch.setattr(accountability, "thresholds", lambda: STRICT)
    with translation.override("zh-hans"):
        yield


def test_it_lists_no_unit_under_the_districts_thresholds(district: District) -> None:
    # Department A: 3 ratings (fewer than 5 count), 80.0% on time (not below 80%).
    assert accountability_list(NOVEMBER) == []


def test_it_lists_a_unit_with_its_reasons(district: District, strict: None) -> None:
    listed = accountability_list(NOVEMBER)
    assert [(item.unit_name, item.reasons) for item in listed] == [
        ("区市场监管局", ["满意率 66.7%，低于 90.0%", "按时答复率 80.0%，低于 90.0%"])
    ]


def test_an_interview_orders_a_rectification(district: District, strict: None) -> None:
    org = district.org
    interview = check_record_interview(
        org.officeadmin,
        unit_id=org.dept_a.pk,
        period=NOVEMBER,
        held_on=dt.date(2026, 11, 27),
        attendees="局分管领导、窗口负责人",
        notes="逐件分析超时原因，限期整改答复流程",
        order="process",
    )
    item = interview.rectification
    assert item is not None
    assert (item.unit_id, item.cause_code, item.target, item.status) == (
        org.dept_a.pk,
        ORDERED_CAUSE,
        "process",
        "open",
    )
    assert interview.reasons == "满意率 66.7%，低于 90.0%；按时答复率 80.0%，低于 90.0%"
    event = AuditEvent.objects.get(action="accountability.interview")
    assert event.payload["rectification"] == item.pk
    with pytest.raises(Conflict) as refused:
        check_record_interview(
            org.officeadmin,
            unit_id=org.dept_a.pk,
            period=NOVEMBER,
            held_on=dt.date(2026, 11, 28),
            attendees="局主要领导",
            notes="第二次约谈，督促整改进度",
            order="conduct",
        )
    assert str(refused.value.message) == (
        f"该单位已有一项未完成的责令整改（编号 {item.pk}），请跟进该项整改。"
    )
    assert Interview.objects.count() == 1


def test_only_the_office_records_interviews(district: District, strict: None) -> None:
    with pytest.raises(Forbidden):
        check_record_interview(
            district.org.dispatcher,
            unit_id=district.org.dept_a.pk,
            period=NOVEMBER,
            held_on=dt.date(2026, 11, 27),
            attendees="某某",
            notes="约谈记录内容",
        )


def test_the_page_lists_records_and_refuses_bad_input(district: District, strict: None) -> None:
    org = district.org
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(org.officeadmin)
    page = client.get("/staff/reports/accountability/?period=2026-11").content.decode()
    assert "按时答复率 80.0%，低于 90.0%" in page
    bad = client.post(
        "/staff/reports/accountability/",
        {
            "period": "2026-11",
            "unit": org.dept_a.pk,
            "held_on": "2026-12-31",
            "attendees": "局\x00领导",
            "notes": "约谈记录内容",
        },
    )
    assert bad.status_code == 422
    assert "请删除文字中的不可见控制字符（如空字符 NUL）。" in bad.content.decode()
    assert not Interview.objects.exists()
    done = client.post(
        "/staff/reports/accountability/",
        {
            "period": "2026-11",
            "unit": org.dept_a.pk,
            "held_on": "2026-11-27",
            "attendees": "局分管领导",
            "notes": "逐件分析超时原因",
            "order": "process",
        },
    )
    assert done.status_code == 302
    item = RectificationItem.objects.get(cause_code=ORDERED_CAUSE)
    listed = client.get("/staff/reports/accountability/?period=2026-11").content.decode()
    assert f'href="/staff/rectifications/{item.pk}/"' in listed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("satisfaction_below = 1.5", "satisfaction_below must be a share between 0 and 1"),
        ("satisfaction_below = 0.8\nmin_rated = 0", "min_rated must be a whole number of 1"),
    ],
)
def test_the_thresholds_file_is_checked(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_thresholds(text)


def test_the_districts_report_carries_the_list_and_its_interviews(
    district: District, strict: None
) -> None:
    org = district.org
    check_record_interview(
        org.officeadmin,
        unit_id=org.dept_a.pk,
        period=NOVEMBER,
        held_on=dt.date(2026, 11, 27),
        attendees="局分管领导",
        notes="逐件分析超时原因",
    )
    data = json.loads(build_report("monthly", "2026-11", ReportScope()).content)
    assert data["accountability"] == [
        {
            "unit_id": org.dept_a.pk,
            "unit_name": "区市场监管局",
            "reasons": ["满意率 66.7%，低于 90.0%", "按时答复率 80.0%，低于 90.0%"],
        }
    ]
    assert data["interviews"] == 1
    unit = json.loads(build_report("monthly", "2026-11", ReportScope(unit=org.dept_a)).content)
    assert (unit["accountability"], unit["interviews"]) == ([], 0)
