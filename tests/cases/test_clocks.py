"""The clocks each shipped policy runs on a case (R-SLA-2, R-SLA-3), counted by hand.

Every expected date below was counted on the State Council schedule for 2026
(/work/shared/reference/statutory-schedules.md), not computed by the code under test:

    2026-09-20 Sun   make-up workday (国庆)
    2026-09-25..27   中秋 Mid-Autumn off (Fri-Sun)
    2026-10-01..07   国庆 National Day off (Thu-Wed)
    2026-10-10 Sat   make-up workday (国庆)
    November and early December: no holiday; working days are Monday to Friday
    (Nov 16-20, Nov 23-27, Nov 30, Dec 1-4, Dec 7-11, Dec 14-18, Dec 21-25).

The day of receipt is not counted; "N working days" ends at the end of day N
(23:59:59.999999 Asia/Shanghai); "same day" is the receipt day, or the next working day when
received on a non-working day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_extension,
    check_request_suspension,
    do_resume_case,
)
from banchengshi.cases.actions.dispatch import (
    check_dispatch_case,
    check_return_case,
    check_screen_case,
    do_receive_case,
)
from banchengshi.cases.actions.handling import check_record_cause, check_record_contact
from banchengshi.cases.models import Case, Clock, PolicyVersion, WorkItem
from banchengshi.errors import InvalidInput
from banchengshi.policy.rules import POLICY_DIR

from .conftest import NOW, CaseBuilder, FrozenTime, Org, end_of, sh

Switch = Callable[[str], None]


def running(case: Case) -> dict[str, Clock]:
    return {c.kind: c for c in Clock.objects.filter(case=case, stopped_at__isnull=True, task=None)}


def all_clocks(case: Case, kind: str) -> list[Clock]:
    return list(Clock.objects.filter(case=case, kind=kind).order_by("id"))


def handle_due(case: Case) -> dt.datetime:
    return WorkItem.objects.get(case=case, kind="handle").due


# --- putuo (000 §4(4)) ------------------------------------------------------------------------

PUTUO_NOVEMBER = [
    # received Fri 11-20 10:00
    (NOW, "simple", "reply.simple", end_of(2026, 11, 20)),
    (NOW, "general", "reply.general", end_of(2026, 11, 25)),  # 23, 24, 25
    (NOW, "complex", "reply.complex", end_of(2026, 12, 1)),  # 23..27, 30, 1
    (NOW, "special", "reply.complex", end_of(2026, 12, 1)),
    # received Sat 11-14 15:00: same day moves to Mon 11-16, which is also day 1
    (sh(2026, 11, 14, 15), "simple", "reply.simple", end_of(2026, 11, 16)),
    (sh(2026, 11, 14, 15), "general", "reply.general", end_of(2026, 11, 18)),
    (sh(2026, 11, 14, 15), "complex", "reply.complex", end_of(2026, 11, 24)),
]


@pytest.mark.parametrize(("received", "complexity", "limit", "due"), PUTUO_NOVEMBER)
def test_putuo_reply_by_complexity(
    org: Org,
    cases: CaseBuilder,
    received: dt.datetime,
    complexity: str,
    limit: str,
    due: dt.datetime,
) -> None:
    case = cases.dispatched(received_at=received, complexity=complexity)
    reply = running(case)["reply"]
    assert (reply.limit_name, reply.started_at, reply.due) == (limit, received, due)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (NOW, end_of(2026, 11, 20)),
        (sh(2026, 11, 14, 15), end_of(2026, 11, 16)),  # Saturday -> Monday
        (sh(2026, 11, 20, 23, 50), end_of(2026, 11, 20)),
    ],
)
def test_putuo_cause_analysis_same_day(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, received: dt.datetime, due: dt.datetime
) -> None:
    frozen_time.set(sh(2026, 11, 21, 9))
    case = cases.dispatched(received_at=received)
    cause = running(case)["cause_analysis"]
    assert (cause.limit_name, cause.due) == ("cause_analysis", due)
    assert set(running(case)) == {"reply", "cause_analysis"}  # putuo runs no contact clock


AUTUMN = [
    # Wed 09-30: day 1 Thu 10-08, day 2 Fri 10-09, day 3 the make-up Saturday 10-10.
    (sh(2026, 9, 30, 16), "general", end_of(2026, 10, 10)),
    (sh(2026, 9, 30, 16), "complex", end_of(2026, 10, 15)),  # 8, 9, 10, 12, 13, 14, 15
    (sh(2026, 9, 30, 16), "simple", end_of(2026, 9, 30)),
    # Sun 10-04, a holiday: same day is the next working day 10-08.
    (sh(2026, 10, 4, 11), "simple", end_of(2026, 10, 8)),
    (sh(2026, 10, 4, 11), "general", end_of(2026, 10, 10)),
    # 2026-09-30 17:30 UTC is 10-01 01:30 in Shanghai: a holiday.
    (dt.datetime(2026, 9, 30, 17, 30, tzinfo=dt.UTC), "simple", end_of(2026, 10, 8)),
    # Thu 09-24: Mid-Autumn Fri-Sun off; 28, 29, 30 | 28, 29, 30, 8, 9, 10, 12.
    (sh(2026, 9, 24, 10), "general", end_of(2026, 9, 30)),
    (sh(2026, 9, 24, 10), "complex", end_of(2026, 10, 12)),
    # Fri 09-18: day 1 is the make-up Sunday 09-20.
    (sh(2026, 9, 18, 10), "general", end_of(2026, 9, 22)),
]


@pytest.mark.parametrize(("received", "complexity", "due"), AUTUMN)
def test_putuo_across_national_day(
    org: Org,
    cases: CaseBuilder,
    frozen_time: FrozenTime,
    received: dt.datetime,
    complexity: str,
    due: dt.datetime,
) -> None:
    frozen_time.set(sh(2026, 10, 12, 10))
    case = cases.dispatched(received_at=received, complexity=complexity)
    assert running(case)["reply"].due == due


def test_putuo_not_admissible_across_national_day(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    frozen_time.set(sh(2026, 10, 12, 10))
    case = cases.not_admissible(received_at=sh(2026, 9, 30, 16))
    clock = running(case)["not_admissible_reply"]
    assert (clock.limit_name, clock.due) == ("not_admissible", end_of(2026, 10, 10))


# --- chongming (001 §四(三), "1、3、5") -----------------------------------------------------


@pytest.mark.parametrize(
    ("complexity", "limit", "due"),
    [
        ("simple", "reply.simple", end_of(2026, 11, 20)),
        ("general", "reply.general", end_of(2026, 11, 25)),
        ("complex", "reply.complex", end_of(2026, 11, 27)),  # 5 WD: 23..27
        ("special", "reply.complex", end_of(2026, 11, 27)),
    ],
)
def test_chongming_reply_limits(
    org: Org, cases: CaseBuilder, use_policy: Switch, complexity: str, limit: str, due: dt.datetime
) -> None:
    use_policy("chongming")
    case = cases.dispatched(complexity=complexity)
    assert case.policy.key == "chongming@2023.3"
    clocks = running(case)
    assert set(clocks) == {"reply", "contact"}  # no cause-analysis clock under chongming
    assert (clocks["reply"].limit_name, clocks["reply"].due) == (limit, due)


def test_chongming_contact_clock_starts_at_dispatch(
    org: Org, cases: CaseBuilder, use_policy: Switch, frozen_time: FrozenTime
) -> None:
    """Received Wed 11-18, dispatched by hand Mon 11-23: contact due Tue 11-24, while the
    reply still counts from receipt (19, 20, 23 -> Mon 11-23)."""
    use_policy("chongming")
    case = cases.awaiting(received_at=sh(2026, 11, 18, 9))
    assert set(running(case)) == {"reply"}  # no contact clock before dispatch
    frozen_time.set(sh(2026, 11, 23, 10))
    check_dispatch_case(org.dispatcher, case.pk, unit_id=org.dept_a.pk)
    contact = running(case)["contact"]
    assert (contact.limit_name, contact.started_at, contact.due) == (
        "contact",
        sh(2026, 11, 23, 10),
        end_of(2026, 11, 24),
    )
    assert running(case)["reply"].due == end_of(2026, 11, 23)


def test_chongming_first_contact_stops_the_contact_clock(
    org: Org, cases: CaseBuilder, use_policy: Switch, frozen_time: FrozenTime
) -> None:
    use_policy("chongming")
    case = cases.in_progress()
    assert running(case)["contact"].due == end_of(2026, 11, 23)
    assert handle_due(case) == end_of(2026, 11, 23)  # the nearest running deadline
    frozen_time.set(sh(2026, 11, 20, 16))
    check_record_contact(org.handler_a, case.pk, method="phone", outcome="已电话联系申请人")
    [contact] = all_clocks(case, "contact")
    assert contact.stopped_at == sh(2026, 11, 20, 16)
    assert handle_due(case) == end_of(2026, 11, 25)  # now the reply
    frozen_time.set(sh(2026, 11, 23, 9))
    check_record_contact(org.handler_a, case.pk, method="visit", outcome="上门核实情况")
    [contact] = all_clocks(case, "contact")
    assert contact.stopped_at == sh(2026, 11, 20, 16)  # the first contact counts


def test_chongming_contact_by_the_window(org: Org, cases: CaseBuilder, use_policy: Switch) -> None:
    use_policy("chongming")
    case = cases.dispatched()
    check_record_contact(
        org.clerk,
        case.pk,
        method="phone",
        outcome="窗口已电话联系",
        contacted_at=sh(2026, 11, 20, 10, 3),
    )
    assert all_clocks(case, "contact")[0].stopped_at == sh(2026, 11, 20, 10, 3)


def test_chongming_return_restarts_the_contact_clock(
    org: Org, cases: CaseBuilder, use_policy: Switch, frozen_time: FrozenTime
) -> None:
    use_policy("chongming")
    case = cases.dispatched()
    frozen_time.set(sh(2026, 11, 23, 10))
    check_return_case(org.handler_a, case.pk, reason="不属于本单位职责范围")
    assert "contact" not in running(case)
    check_dispatch_case(org.dispatcher, case.pk, unit_id=org.dept_b.pk)
    first, second = all_clocks(case, "contact")
    assert (first.due, first.stopped_at) == (end_of(2026, 11, 23), sh(2026, 11, 23, 10))
    assert (second.started_at, second.due, second.stopped_at) == (
        sh(2026, 11, 23, 10),
        end_of(2026, 11, 24),
        None,
    )


def test_chongming_extension_has_no_cap(org: Org, cases: CaseBuilder, use_policy: Switch) -> None:
    """Reply due Wed 11-25; 20 WD later: Nov 26, 27, 30, Dec 1-4, 7-11, 14-18, 21-23."""
    use_policy("chongming")
    case = cases.in_progress()
    request = check_request_extension(org.handler_a, case.pk, days=20, reason="需要多部门会商研究")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    assert running(case)["reply"].due == end_of(2026, 12, 23)


# --- liuzhou (002 §三(三)) --------------------------------------------------------------------


@pytest.mark.parametrize("complexity", ["simple", "general", "complex"])
def test_liuzhou_starts_under_the_petitioner_side_limit(
    org: Org, cases: CaseBuilder, use_policy: Switch, complexity: str
) -> None:
    use_policy("liuzhou")
    case = cases.in_progress(complexity=complexity)
    clocks = running(case)
    assert set(clocks) == {"reply"}
    assert (clocks["reply"].limit_name, clocks["reply"].due) == (
        "reply.petitioner_side",
        end_of(2026, 11, 25),
    )


@pytest.mark.parametrize(
    ("code", "side", "limit", "due"),
    [
        ("process", "", "reply.department_side", end_of(2026, 12, 4)),
        ("system_fault", "", "reply.department_side", end_of(2026, 12, 4)),
        ("other", "department", "reply.department_side", end_of(2026, 12, 4)),
        ("materials", "", "reply.petitioner_side", end_of(2026, 11, 25)),
        ("other", "petitioner", "reply.petitioner_side", end_of(2026, 11, 25)),
    ],
)
def test_liuzhou_cause_side_sets_the_reply_limit_from_receipt(
    org: Org,
    cases: CaseBuilder,
    use_policy: Switch,
    frozen_time: FrozenTime,
    code: str,
    side: str,
    limit: str,
    due: dt.datetime,
) -> None:
    """Received Fri 11-20, cause recorded Tue 11-24: 10 WD counted from receipt ends Fri 12-04
    (23..27, 30, 1..4), not from the day the cause was recorded."""
    use_policy("liuzhou")
    case = cases.in_progress()
    frozen_time.set(sh(2026, 11, 24, 10))
    check_record_cause(org.handler_a, case.pk, code=code, note="原因分析说明", side=side)
    reply = running(case)["reply"]
    assert (reply.limit_name, reply.started_at, reply.due) == (limit, NOW, due)
    assert handle_due(case) == due


def test_liuzhou_cause_can_be_corrected(org: Org, cases: CaseBuilder, use_policy: Switch) -> None:
    use_policy("liuzhou")
    case = cases.in_progress()
    check_record_cause(org.handler_a, case.pk, code="process", note="审批流程环节过多")
    assert running(case)["reply"].due == end_of(2026, 12, 4)
    check_record_cause(org.handler_a, case.pk, code="materials", note="经复核为材料问题")
    reply = running(case)["reply"]
    assert (reply.limit_name, reply.due) == ("reply.petitioner_side", end_of(2026, 11, 25))


def test_liuzhou_department_cause_after_a_suspension(
    org: Org, cases: CaseBuilder, use_policy: Switch, frozen_time: FrozenTime
) -> None:
    """Suspended Fri 11-20, resumed Tue 11-24 (2 WD lost): 3 WD 11-25 -> 11-27. A department
    cause then gives 10 WD from receipt (12-04) plus the 2 WD lost: Tue 12-08."""
    use_policy("liuzhou")
    case = cases.in_progress()
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    frozen_time.set(sh(2026, 11, 24, 10))
    do_resume_case(org.handler_a, case.pk)
    assert running(case)["reply"].due == end_of(2026, 11, 27)
    check_record_cause(org.handler_a, case.pk, code="process", note="审批流程环节过多")
    assert running(case)["reply"].due == end_of(2026, 12, 8)


# --- a case keeps its policy version (R-SLA-3) -----------------------------------------------


def test_case_keeps_its_policy_after_the_deployment_switches(
    org: Org, cases: CaseBuilder, use_policy: Switch
) -> None:
    old = cases.register(matter_id=org.matter_a.pk, complexity="complex")  # under putuo
    use_policy("chongming")
    new = cases.register(matter_id=org.matter_a.pk, complexity="complex")
    check_screen_case(org.clerk, old.pk, admissible=True)
    check_screen_case(org.clerk, new.pk, admissible=True)

    old_clocks = running(old)
    assert Case.objects.get(pk=old.pk).policy.key == "putuo@2023.3"
    assert set(old_clocks) == {"reply", "cause_analysis"}
    assert old_clocks["reply"].due == end_of(2026, 12, 1)  # putuo complex: 7 WD

    new_clocks = running(new)
    assert Case.objects.get(pk=new.pk).policy.key == "chongming@2023.3"
    assert set(new_clocks) == {"reply", "contact"}
    assert new_clocks["reply"].due == end_of(2026, 11, 27)  # chongming complex: 5 WD

    # The extension cap is putuo's for the old case only.
    do_receive_case(org.handler_a, old.pk)
    do_receive_case(org.handler_a, new.pk)
    error_days = 4  # 12-01 + 4 WD = 12-07, past putuo's cap 12-04
    with pytest.raises(InvalidInput):
        check_request_extension(org.handler_a, old.pk, days=error_days, reason="需要调取档案")
    check_request_extension(org.handler_a, new.pk, days=error_days, reason="需要调取档案")


def test_liuzhou_case_keeps_its_rule_under_putuo(
    org: Org, cases: CaseBuilder, use_policy: Switch
) -> None:
    use_policy("liuzhou")
    case = cases.in_progress()
    use_policy("putuo")
    check_record_cause(org.handler_a, case.pk, code="process", note="审批流程环节过多")
    assert running(case)["reply"].due == end_of(2026, 12, 4)


def test_policy_versions_store_the_policy_text(
    org: Org, cases: CaseBuilder, use_policy: Switch
) -> None:
    cases.register()
    cases.register()
    use_policy("liuzhou")
    cases.register()
    rows = {row.key: row for row in PolicyVersion.objects.all()}
    assert set(rows) == {"putuo@2023.3", "liuzhou@2021.3"}
    assert rows["liuzhou@2021.3"].content == (POLICY_DIR / "liuzhou.toml").read_text("utf-8")
    assert (rows["putuo@2023.3"].name, rows["putuo@2023.3"].version) == ("putuo", "2023.3")
