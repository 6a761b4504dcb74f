"""What every action refuses in the wrong state, stale versions, and deadlines past the
known calendar: the frame every action shares (cases/actions/common.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.actions.answer import (
    check_rate_case,
    check_reply_case,
    check_return_visit,
    check_supervise_case,
    do_close_case,
)
from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_extension,
    check_request_suspension,
    do_resume_case,
)
from banchengshi.cases.actions.cohandling import check_answer_cohandling, check_request_cohandling
from banchengshi.cases.actions.dispatch import (
    check_dispatch_case,
    check_resolve_on_spot,
    check_return_case,
    check_screen_case,
    do_dispatch_down,
    do_receive_case,
)
from banchengshi.cases.actions.handling import check_record_cause, check_record_contact
from banchengshi.cases.actions.tablet import do_hand_tablet
from banchengshi.cases.models import (
    Case,
    CoHandlingTask,
    ContactRecord,
    State,
)
from banchengshi.cases.states import ALLOWED_STATES, Act
from banchengshi.errors import ActionRefused, Conflict
from banchengshi.knowledge.actions import check_draft_from_case
from banchengshi.org.actions import do_grant_role
from banchengshi.org.models import Role
from tests.cases.actions.helpers import (
    fresh,
    refused,
)
from tests.cases.conftest import (
    CaseBuilder,
    Org,
)

# --- refused transitions ----------------------------------------------------------------------

S = State
EXPECTED_ALLOWED_STATES = {
    Act.SCREEN: {S.REGISTERED},
    Act.RESOLVE_ON_SPOT: {S.REGISTERED},
    Act.DISPATCH: {S.AWAITING_DISPATCH},
    Act.RECEIVE: {S.DISPATCHED},
    Act.RETURN: {S.DISPATCHED, S.IN_PROGRESS},
    Act.DISPATCH_DOWN: {S.IN_PROGRESS},
    Act.REQUEST_COHANDLING: {S.IN_PROGRESS},
    Act.ANSWER_COHANDLING: {S.IN_PROGRESS},
    Act.RECORD_CONTACT: {S.DISPATCHED, S.IN_PROGRESS},
    Act.RECORD_CAUSE: {S.IN_PROGRESS},
    Act.REQUEST_EXTENSION: {S.IN_PROGRESS},
    Act.REQUEST_SUSPENSION: {S.IN_PROGRESS},
    Act.DECIDE_REQUEST: {S.IN_PROGRESS},
    Act.RESUME: {S.IN_PROGRESS},
    Act.REPLY: {S.IN_PROGRESS, S.NOT_ADMISSIBLE},
    Act.RETURN_VISIT: {S.REPLIED},
    Act.SUPERVISE: {S.REPLIED, S.CLOSED},
    Act.CLOSE: {S.REPLIED},
    Act.RATE: {S.REPLIED, S.CLOSED},
    Act.WINDOW_RATING: {S.REPLIED, S.CLOSED},
    Act.ADD_TO_LIBRARY: {S.CLOSED},
}


def test_the_state_table() -> None:
    assert {act: set(states) for act, states in ALLOWED_STATES.items()} == EXPECTED_ALLOWED_STATES


def _task_id(case: Case) -> int:
    task = CoHandlingTask.objects.filter(case=case).first()
    return task.pk if task else 0


ATTEMPTS: dict[Act, Callable[[User, Case, Org], Any]] = {
    Act.SCREEN: lambda u, c, o: check_screen_case(u, c.pk, admissible=True),
    Act.RESOLVE_ON_SPOT: lambda u, c, o: check_resolve_on_spot(u, c.pk, reply="当场办结了"),
    Act.DISPATCH: lambda u, c, o: check_dispatch_case(u, c.pk, unit_id=o.dept_a.pk),
    Act.RECEIVE: lambda u, c, o: do_receive_case(u, c.pk),
    Act.RETURN: lambda u, c, o: check_return_case(u, c.pk, reason="不属于本单位职责"),
    Act.DISPATCH_DOWN: lambda u, c, o: do_dispatch_down(u, c.pk, unit_id=o.center_a1.pk),
    Act.REQUEST_COHANDLING: lambda u, c, o: check_request_cohandling(
        u, c.pk, unit_id=o.hall.pk, request="请协助核实情况", days=2
    ),
    Act.ANSWER_COHANDLING: lambda u, c, o: check_answer_cohandling(
        u, c.pk, task_id=_task_id(c), answer="已核实情况属实"
    ),
    Act.RECORD_CONTACT: lambda u, c, o: check_record_contact(
        u, c.pk, method="phone", outcome="已联系"
    ),
    # The petitioner's, on a public page: no person acts.
    Act.RATE: lambda u, c, o: check_rate_case(
        c.pk, satisfaction=4, solved=True, comment="", channel="portal", proof="sms_link"
    ),
    Act.RECORD_CAUSE: lambda u, c, o: check_record_cause(
        u, c.pk, code="materials", note="申请材料不齐全"
    ),
    Act.REQUEST_EXTENSION: lambda u, c, o: check_request_extension(
        u, c.pk, days=1, reason="需要更多时间核实"
    ),
    Act.REQUEST_SUSPENSION: lambda u, c, o: check_request_suspension(
        u, c.pk, reason="等待补交材料"
    ),
    Act.DECIDE_REQUEST: lambda u, c, o: check_decide_request(u, c.pk, request_id=1, approve=True),
    Act.RESUME: lambda u, c, o: do_resume_case(u, c.pk),
    Act.REPLY: lambda u, c, o: check_reply_case(u, c.pk, text="已答复申请人结果"),
    Act.RETURN_VISIT: lambda u, c, o: check_return_visit(u, c.pk, satisfaction=5, solved=True),
    Act.SUPERVISE: lambda u, c, o: check_supervise_case(u, c.pk, reason="群众不满意需督办", days=3),
    Act.CLOSE: lambda u, c, o: do_close_case(u, c.pk),
    Act.WINDOW_RATING: lambda u, c, o: do_hand_tablet(u, c.pk),
    Act.ADD_TO_LIBRARY: lambda u, c, o: check_draft_from_case(u, c.pk),
}


def _case_in(state: State, org: Org, cases: CaseBuilder) -> Case:
    """A case in `state`; from in_progress on, department B has co-handled it."""
    if state == S.REGISTERED:
        return cases.register()
    if state == S.NOT_ADMISSIBLE:
        return cases.not_admissible()
    if state == S.AWAITING_DISPATCH:
        return cases.awaiting()
    if state == S.DISPATCHED:
        return cases.dispatched()
    case = cases.analysed()
    task = check_request_cohandling(
        org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实记录", days=2
    )
    if state == S.IN_PROGRESS:
        return case
    check_answer_cohandling(org.handler_b, case.pk, task_id=task.pk, answer="已核实记录无误")
    check_reply_case(org.handler_a, case.pk, text="已答复申请人结果")
    if state == S.REPLIED:
        return case
    check_return_visit(org.dispatcher, case.pk, satisfaction=5, solved=True)
    return do_close_case(org.dispatcher, case.pk)


# Without a responsible unit, acts reserved to it are refused for access before state.
NO_UNIT_STATES = {S.REGISTERED, S.NOT_ADMISSIBLE, S.AWAITING_DISPATCH}
UNIT_ACTS = {
    Act.RECEIVE,
    Act.RETURN,
    Act.REQUEST_COHANDLING,
    Act.REQUEST_EXTENSION,
    Act.REQUEST_SUSPENSION,
}


def _expected_refusal(act: Act, state: State) -> str:
    if act in UNIT_ACTS and state in NO_UNIT_STATES:
        return "forbidden"
    if act in (Act.DISPATCH_DOWN, Act.ANSWER_COHANDLING) and state in {
        *NO_UNIT_STATES,
        S.DISPATCHED,  # no owner until receipt; no co-handling yet
    }:
        return "forbidden"
    if act is Act.WINDOW_RATING and state in {S.DISPATCHED, S.IN_PROGRESS}:
        return "forbidden"  # everyone of the handling unit, as the omni-person is
    return "invalid_state"


@pytest.mark.parametrize("state", list(State))
def test_every_refused_transition(org: Org, cases: CaseBuilder, state: State) -> None:
    """A person holding every role tries every act not allowed in `state`."""
    omni = User.objects.create_user("omni")
    for unit, role in [
        (org.hall, Role.WINDOW_CLERK),
        (org.dept_a, Role.UNIT_HANDLER),
        (org.dept_b, Role.UNIT_HANDLER),
        (org.hub, Role.DISPATCHER),
    ]:
        do_grant_role(omni, unit, role)
    case = fresh(_case_in(state, org, cases))
    assert case.state == state
    event_count = AuditEvent.objects.count()
    got: dict[Act, str] = {}
    expected: dict[Act, str] = {}
    for act, allowed in EXPECTED_ALLOWED_STATES.items():
        if state in allowed:
            continue
        expected[act] = _expected_refusal(act, state)
        try:
            ATTEMPTS[act](omni, case, org)
        except ActionRefused as error:
            got[act] = f"{type(error).__name__}:{error.code}"
        else:
            got[act] = "done"
    names = {"forbidden": "Forbidden:forbidden", "invalid_state": "InvalidState:invalid_state"}
    assert got == {act: names[code] for act, code in expected.items()}
    after = fresh(case)
    assert (after.state, after.version) == (case.state, case.version)
    assert AuditEvent.objects.count() == event_count


# --- version conflicts (R-Q-4) ----------------------------------------------------------------


def test_stale_version_is_a_conflict(org: Org, cases: CaseBuilder) -> None:
    case = fresh(cases.in_progress())
    assert case.version == 3  # register, screen (auto-dispatch), receive
    seen = case.version
    check_record_contact(
        org.handler_a, case.pk, method="phone", outcome="已联系申请人", version=seen
    )
    assert fresh(case).version == seen + 1
    error = refused(
        lambda: check_record_cause(
            org.handler_a, case.pk, code="materials", note="缺少原件材料", version=seen
        )
    )
    assert isinstance(error, Conflict)
    assert error.code == "conflict"
    assert fresh(case).cause_code == ""
    assert fresh(case).version == seen + 1
    assert ContactRecord.objects.filter(case=case).count() == 1
    check_record_cause(
        org.handler_a, case.pk, code="materials", note="缺少原件材料", version=seen + 1
    )
    assert fresh(case).version == seen + 2


def test_stale_version_after_a_return_is_a_conflict(org: Org, cases: CaseBuilder) -> None:
    case = fresh(cases.dispatched())
    seen = case.version
    check_return_case(org.leader_a, case.pk, reason="不属于本单位职责", version=seen)
    error = refused(lambda: do_receive_case(org.handler_a, case.pk, version=seen))
    assert isinstance(error, Conflict)
