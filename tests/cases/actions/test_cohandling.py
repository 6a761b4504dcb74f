"""Co-handling (cases/actions/cohandling.py)."""

from __future__ import annotations

from functools import partial

from banchengshi.cases.actions.answer import (
    check_reply_case,
)
from banchengshi.cases.actions.cohandling import check_answer_cohandling, check_request_cohandling
from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.cases.models import (
    Clock,
    State,
    WorkItem,
)
from banchengshi.errors import Forbidden, InvalidInput, InvalidState
from tests.cases.actions.helpers import (
    fresh,
    last_event,
    links,
    notices,
    refused,
    work,
)
from tests.cases.conftest import (
    NOW,
    CaseBuilder,
    Org,
    end_of,
)

# --- co-handling (R-DIS-3) ------------------------------------------------------------------


def test_cohandling_has_its_own_task_clock_and_answer(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    task = check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实社保缴费记录", days=2
    )
    assert (task.state, task.unit_id, task.requested_by, task.due) == (
        "open",
        org.dept_b.pk,
        org.handler_a,
        end_of(2026, 11, 24),
    )
    clock = Clock.objects.get(task=task)
    assert (clock.kind, clock.started_at, clock.due, clock.stopped_at) == (
        "cohandling",
        NOW,
        end_of(2026, 11, 24),
        None,
    )
    assert (org.dept_b.pk, "cohandling") in links(case)
    assert WorkItem.objects.get(task=task).unit_id == org.dept_b.pk
    assert ("cohandle", org.dept_b.pk, end_of(2026, 11, 24)) in work(case)
    event = last_event(case)
    assert event.action == "request_cohandling"
    assert (event.before, event.after) == ({}, {})
    assert event.payload == {"task": task.pk, "unit": "DEPT-B", "days": 2}
    assert notices(case)[-1:] == [
        (
            "handlerB",
            "cohandling.requested",
            {"unit": "区人社局", "due": "2026-11-24T23:59:59.999999+08:00"},
        )
    ]

    check_record_cause(org.handler_a, case.pk, code="materials", note="缺少社保缴费证明")
    error = refused(lambda: check_reply_case(org.handler_a, case.pk, text="已答复申请人结果"))
    assert isinstance(error, InvalidState)

    error = refused(
        lambda: check_answer_cohandling(
            org.handler_a, case.pk, task_id=task.pk, answer="已核实无误情况"
        )
    )
    assert isinstance(error, Forbidden)  # only the unit asked answers

    answered = check_answer_cohandling(
        org.handler_b, case.pk, task_id=task.pk, answer="缴费记录完整，可以办理"
    )
    answered.refresh_from_db()
    assert (answered.state, answered.answer, answered.answered_by, answered.answered_at) == (
        "answered",
        "缴费记录完整，可以办理",
        org.handler_b,
        NOW,
    )
    assert Clock.objects.get(task=task).stopped_at == NOW
    assert not WorkItem.objects.filter(task=task).exists()
    assert last_event(case).action == "answer_cohandling"
    assert last_event(case).payload == {"task": task.pk}
    check_reply_case(org.handler_a, case.pk, text="已答复申请人结果，材料齐全即可办理")
    assert fresh(case).state == State.REPLIED


def test_cohandling_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    ask = partial(check_request_cohandling, org.handler_a, case.pk)
    b = org.dept_b.pk
    for args, field in [
        ((b, "请核", 2), "request"),
        ((b, "请核实记录", 0), "days"),
        ((b, "请核实记录", 31), "days"),
        ((org.office.pk, "请核实记录", 2), "unit_id"),
        ((org.inspectorate.pk, "请核实记录", 2), "unit_id"),
        ((999_999, "请核实记录", 2), "unit_id"),
        ((org.dept_a.pk, "请核实记录", 2), "unit_id"),  # the case is already with A
    ]:
        error = refused(
            partial(ask, **dict(zip(("unit_id", "request", "days"), args, strict=False)))
        )
        assert isinstance(error, InvalidInput), field
        assert error.field == field
    task = ask(unit_id=b, request="请核实记录", days=2)
    error = refused(
        lambda: check_answer_cohandling(org.handler_b, case.pk, task_id=task.pk, answer="好")
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "answer"
    error = refused(
        lambda: check_answer_cohandling(
            org.handler_b, case.pk, task_id=task.pk + 1, answer="已核实无误"
        )
    )
    assert error.code == "not_found"
