"""Extension and suspension (cases/actions/clock_requests.py)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.utils import translation

from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_extension,
    check_request_suspension,
    do_resume_case,
)
from banchengshi.cases.actions.cohandling import check_request_cohandling
from banchengshi.cases.models import (
    NO_DUE,
    Clock,
    ClockRequest,
    CoHandlingTask,
    WorkItem,
)
from banchengshi.errors import InvalidInput, InvalidState
from tests.cases.actions.helpers import (
    NOW_JSON,
    clocks,
    fresh,
    last_event,
    notices,
    outbox,
    refused,
    work,
)
from tests.cases.conftest import (
    NOW,
    PHONE,
    CaseBuilder,
    FrozenTime,
    Org,
    end_of,
    sh,
)

# --- extension and suspension (R-SLA-5) -----------------------------------------------------


def test_extension_within_the_putuo_cap(org: Org, cases: CaseBuilder) -> None:
    """General: due Wed 11-25. Cap: 10 WD from receipt = Fri 12-04. 7 WD more = 12-04."""
    case = cases.in_progress()
    request = check_request_extension(org.handler_a, case.pk, days=7, reason="需要跨部门调取档案")
    assert (request.kind, request.decision, request.days) == ("extension", "pending", 7)
    assert ("approve", org.hub.pk, end_of(2026, 11, 23)) in work(case)  # the hub's review
    event = last_event(case)
    assert event.action == "request_extension"
    assert event.payload == {"request": request.pk, "days": 7, "reason": "需要跨部门调取档案"}

    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    request.refresh_from_db()
    assert (request.decision, request.decided_by, request.decided_at) == (
        "approved",
        org.dispatcher,
        NOW,
    )
    assert clocks(case)["reply", 1].due == end_of(2026, 12, 4)
    assert [kind for kind, _, _ in work(case)] == ["handle"]
    assert outbox(case) == [
        ("sms", PHONE, "extension", {"tracking_no": case.tracking_no, "due": "2026-12-04"}),
    ]
    assert notices(case)[-2:] == [
        ("clerk", "extension.granted", {"due": "2026-12-04"}),
        ("windowhead", "extension.granted", {"due": "2026-12-04"}),
    ]
    event = last_event(case)
    assert event.action == "approve_extension"
    assert event.payload == {
        "request": request.pk,
        "note": "",
        "due": "2026-12-04T23:59:59.999999+08:00",
    }


def test_extension_beyond_the_putuo_cap(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    error = refused(
        lambda: check_request_extension(org.handler_a, case.pk, days=8, reason="需要跨部门调取档案")
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "days"
    assert "2026-12-04" in str(error.message)
    assert not ClockRequest.objects.filter(case=case).exists()


def test_extensions_add_up_under_the_cap(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    first = check_request_extension(org.handler_a, case.pk, days=3, reason="需要跨部门调取档案")
    check_decide_request(
        org.officeadmin, case.pk, request_id=first.pk, approve=True, note="同意延期"
    )
    assert clocks(case)["reply", 1].due == end_of(2026, 11, 30)
    error = refused(
        lambda: check_request_extension(org.handler_a, case.pk, days=5, reason="还需要再核实")
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "days"
    second = check_request_extension(org.handler_a, case.pk, days=4, reason="还需要再核实")
    check_decide_request(org.dispatcher, case.pk, request_id=second.pk, approve=True)
    assert clocks(case)["reply", 1].due == end_of(2026, 12, 4)


def test_complex_case_extension_cap(org: Org, cases: CaseBuilder) -> None:
    """Complex: 7 WD = Tue 12-01; the cap stays 10 WD from receipt (12-04): 3 more at most."""
    case = cases.in_progress(complexity="complex")
    assert clocks(case)["reply", 1].due == end_of(2026, 12, 1)
    error = refused(
        lambda: check_request_extension(org.handler_a, case.pk, days=4, reason="需要调取档案")
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "days"
    check_request_extension(org.handler_a, case.pk, days=3, reason="需要调取档案")


def test_refused_extension(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    request = check_request_extension(org.handler_a, case.pk, days=2, reason="需要跨部门调取档案")
    error = refused(
        lambda: check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=False)
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "note"
    check_decide_request(
        org.dispatcher, case.pk, request_id=request.pk, approve=False, note="理由不充分"
    )
    request.refresh_from_db()
    assert (request.decision, request.decision_note) == ("refused", "理由不充分")
    assert clocks(case)["reply", 1].due == end_of(2026, 11, 25)
    assert outbox(case) == []
    assert last_event(case).action == "refuse_extension"
    error = refused(
        lambda: check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    )
    assert error.code == "invalid_state"
    with translation.override("zh-hans"):
        assert str(error.message) == "没有等待审批的延期或中止申请。"


def test_one_request_at_a_time(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    check_request_extension(org.handler_a, case.pk, days=2, reason="需要跨部门调取档案")
    error = refused(lambda: check_request_suspension(org.handler_a, case.pk, reason="等待补交材料"))
    assert isinstance(error, InvalidState)


def test_extension_and_suspension_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    extend = partial(check_request_extension, org.handler_a, case.pk)
    suspend = partial(check_request_suspension, org.handler_a, case.pk)
    for call, field in [
        (partial(extend, days=0, reason="需要跨部门调取档案"), "days"),
        (partial(extend, days=31, reason="需要跨部门调取档案"), "days"),
        (partial(extend, days="3", reason="需要跨部门调取档案"), "days"),
        (partial(extend, days=3, reason="需要"), "reason"),
        (partial(suspend, reason=""), "reason"),
    ]:
        error = refused(call)
        assert isinstance(error, InvalidInput)
        assert error.field == field


def test_suspension_pauses_and_resume_shifts_by_the_working_days_lost(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    """Suspended Fri 11-20, resumed Tue 11-24: Mon 23 and Tue 24 lost (2 WD).
    Reply Wed 11-25 -> Fri 11-27; cause analysis Fri 11-20 -> Tue 11-24."""
    case = cases.in_progress()
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    assert last_event(case).action == "request_suspension"
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    case = fresh(case)
    assert case.suspended_at == NOW
    assert {c.paused_at for c in clocks(case).values()} == {NOW}
    assert work(case) == [("handle", org.dept_a.pk, NO_DUE)]
    event = last_event(case)
    assert event.action == "approve_suspension"
    assert (event.before, event.after) == ({"suspended_at": None}, {"suspended_at": NOW_JSON})
    error = refused(lambda: check_request_suspension(org.handler_a, case.pk, reason="再次申请挂起"))
    assert isinstance(error, InvalidState)

    frozen_time.set(sh(2026, 11, 24, 10))
    do_resume_case(org.handler_a, case.pk)
    case = fresh(case)
    assert case.suspended_at is None
    assert clocks(case)["reply", 1].due == end_of(2026, 11, 27)
    assert clocks(case)["cause_analysis", 1].due == end_of(2026, 11, 24)
    assert {c.paused_at for c in clocks(case).values()} == {None}
    assert work(case) == [("handle", org.dept_a.pk, end_of(2026, 11, 24))]
    request.refresh_from_db()
    assert request.decision == "ended"
    event = last_event(case)
    assert event.action == "resume"
    assert event.payload == {"workdays_suspended": 2}
    assert event.before == {"suspended_at": NOW_JSON}
    assert event.after == {"suspended_at": None}


@pytest.mark.parametrize(
    ("resumed", "lost", "reply_due"),
    [
        (sh(2026, 11, 20, 17), 0, end_of(2026, 11, 25)),  # same day
        (sh(2026, 11, 22, 17), 0, end_of(2026, 11, 25)),  # Sunday: only the weekend passed
        (sh(2026, 11, 23, 9), 1, end_of(2026, 11, 26)),  # Monday
        (sh(2026, 11, 30, 9), 6, end_of(2026, 12, 3)),  # a week and a day
    ],
)
def test_working_days_lost_while_suspended(
    org: Org,
    cases: CaseBuilder,
    frozen_time: FrozenTime,
    resumed: dt.datetime,
    lost: int,
    reply_due: dt.datetime,
) -> None:
    case = cases.analysed()
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    frozen_time.set(resumed)
    do_resume_case(org.dispatcher, case.pk)
    assert last_event(case).payload == {"workdays_suspended": lost}
    assert clocks(case)["reply", 1].due == reply_due
    assert work(case) == [("handle", org.dept_a.pk, reply_due)]


def test_resume_when_not_suspended(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    error = refused(lambda: do_resume_case(org.handler_a, case.pk))
    assert error.code == "invalid_state"


def test_suspension_pauses_cohandling_too(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    case = cases.in_progress()
    task = check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实记录", days=2
    )
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    assert WorkItem.objects.get(task=task).due == NO_DUE
    frozen_time.set(sh(2026, 11, 24, 10))
    do_resume_case(org.handler_a, case.pk)
    assert Clock.objects.get(task=task).due == end_of(2026, 11, 26)
    assert WorkItem.objects.get(task=task).due == end_of(2026, 11, 26)


def test_resume_shifts_the_cohandling_task_due(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    case = cases.in_progress()
    task = check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实记录", days=2
    )
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    frozen_time.set(sh(2026, 11, 24, 10))
    do_resume_case(org.handler_a, case.pk)
    assert CoHandlingTask.objects.get(pk=task.pk).due == end_of(2026, 11, 26)


def test_resume_leaves_a_pending_approval_item_alone(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    case = cases.analysed()
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    frozen_time.set(sh(2026, 11, 23, 10))
    check_request_extension(org.handler_a, case.pk, days=2, reason="还需要调取档案")
    frozen_time.set(sh(2026, 11, 24, 10))
    do_resume_case(org.handler_a, case.pk)
    assert ("approve", org.hub.pk, end_of(2026, 11, 24)) in work(case)


def test_extension_informs_the_window(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    request = check_request_extension(org.handler_a, case.pk, days=2, reason="需要跨部门调取档案")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    assert [(c, r) for c, r, _, _ in outbox(case)] == [("sms", PHONE)]
    assert [(who, kind) for who, kind, _ in notices(case)][-2:] == [
        ("clerk", "extension.granted"),
        ("windowhead", "extension.granted"),
    ]
