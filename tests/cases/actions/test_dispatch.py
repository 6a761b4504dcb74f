"""Screening, dispatch, receipt, return and passing down (cases/actions/dispatch.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from banchengshi.cases.actions.answer import (
    check_reply_case,
)
from banchengshi.cases.actions.dispatch import (
    check_dispatch_case,
    check_resolve_on_spot,
    check_return_case,
    check_screen_case,
    do_dispatch_down,
    do_receive_case,
)
from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.cases.models import (
    NO_DUE,
    State,
)
from banchengshi.catalog.models import Matter
from banchengshi.errors import InvalidInput, InvalidState
from banchengshi.notify.models import ShortLink
from tests.cases.actions.helpers import (
    NOW_JSON,
    clocks,
    events,
    fresh,
    last_event,
    links,
    notices,
    outbox,
    refused,
    work,
)
from tests.cases.conftest import (
    NOW,
    PHONE,
    CaseBuilder,
    Org,
    end_of,
)

# --- screening and automatic dispatch (R-IN-4, R-DIS-1) ---------------------------------------

# The people of each unit a case can be dispatched to (tests/cases/conftest.py).
PEOPLE = {
    "dept_a": ["handlerA", "leaderA"],
    "dept_b": ["handlerB"],
    "center_a1": ["handlerA1"],
    "hall": ["clerk", "windowhead"],
}


def test_accept_starts_the_putuo_clocks(org: Org, cases: CaseBuilder) -> None:
    case = cases.dispatched()
    by_kind = clocks(case)
    assert set(by_kind) == {("reply", 1), ("cause_analysis", 1)}
    reply = by_kind["reply", 1]
    assert (reply.limit_name, reply.started_at, reply.due) == (
        "reply.general",
        NOW,
        end_of(2026, 11, 25),
    )
    cause = by_kind["cause_analysis", 1]
    assert (cause.limit_name, cause.due) == ("cause_analysis", end_of(2026, 11, 20))
    assert reply.stopped_at is None
    assert cause.stopped_at is None


@pytest.mark.parametrize(
    ("form", "target"),
    [
        pytest.param({"matter": "matter_a"}, "dept_a", id="owning-department"),
        pytest.param({"department": "dept_b"}, "dept_b", id="department-on-the-form"),
        pytest.param({"failed_at": "center_a1"}, "center_a1", id="failed-at-unit"),
        pytest.param({"matter": "matter_h"}, "hall", id="matter-handled-at-one-center"),
        pytest.param(
            {"matter": "matter_a", "department": "dept_b"}, "dept_a", id="owner-before-form"
        ),
        pytest.param(
            {"department": "dept_b", "failed_at": "center_a1"}, "dept_b", id="form-before-place"
        ),
        pytest.param({"matter": "matter_two_centers"}, None, id="matter-at-two-centers"),
        pytest.param({}, None, id="nothing-known"),
    ],
)
def test_automatic_dispatch(
    org: Org, cases: CaseBuilder, form: dict[str, str], target: str | None
) -> None:
    two = Matter.objects.create(code="M-2", name="两处办理的事项")
    two.handling_centers.add(org.hall, org.center_a1)
    matters = {"matter_a": org.matter_a, "matter_h": org.matter_h, "matter_two_centers": two}
    fields: dict[str, Any] = {}
    if "matter" in form:
        fields["matter_id"] = matters[form["matter"]].pk
    if "department" in form:
        fields["department_id"] = getattr(org, form["department"]).pk
    if "failed_at" in form:
        fields["failed_at_unit_id"] = getattr(org, form["failed_at"]).pk
    case = fresh(cases.awaiting(**fields))
    reply_due = end_of(2026, 11, 25)
    event = last_event(case)
    assert event.action == "screen_accept"
    if target is None:
        assert case.state == State.AWAITING_DISPATCH
        assert case.handling_unit_id is None
        assert work(case) == [("dispatch", org.hub.pk, reply_due)]
        assert event.after == {"state": "awaiting_dispatch"}
        assert event.payload == {"category": "handling", "complexity": "general"}
    else:
        unit = getattr(org, target)
        assert case.state == State.DISPATCHED
        assert (case.handling_unit_id, case.owner_unit_id) == (unit.pk, None)
        assert work(case) == [("receive", unit.pk, reply_due)]
        assert (unit.pk, "handling") in links(case)
        assert event.before == {"state": "registered", "handling_unit_id": None}
        assert event.after == {"state": "dispatched", "handling_unit_id": unit.pk}
        assert event.payload == {
            "category": "handling",
            "complexity": "general",
            "unit": unit.code,
            "automatic": True,
        }
        # Everyone of the unit is told, in their inbox.
        params = {"unit": unit.name}
        assert notices(case) == [(name, "case.dispatched", params) for name in PEOPLE[target]]
    if target is None:
        assert notices(case) == []


def test_screening_confirms_category_and_complexity(org: Org, cases: CaseBuilder) -> None:
    case = cases.register(matter_id=org.matter_a.pk)
    case = check_screen_case(
        org.dispatcher, case.pk, admissible=True, category="complaint", complexity="complex"
    )
    case = fresh(case)
    assert (case.category, case.complexity) == ("complaint", "complex")
    assert clocks(case)["reply", 1].due == end_of(2026, 12, 1)
    assert last_event(case).before == {
        "state": "registered",
        "handling_unit_id": None,
        "category": "handling",
        "complexity": "general",
    }


def test_screening_input_errors(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    screen = partial(check_screen_case, org.clerk, case.pk)
    for kwargs, field in [
        ({"admissible": True, "category": "gossip"}, "category"),
        ({"admissible": True, "complexity": "huge"}, "complexity"),
        ({"admissible": False}, "reason"),
        ({"admissible": False, "reason": "不予受理"}, "reason"),  # 4 characters
        ({"admissible": False, "reason": "理" * 5001}, "reason"),
    ]:
        error = refused(partial(screen, **kwargs))
        assert isinstance(error, InvalidInput)
        assert error.field == field
    resolve = partial(check_resolve_on_spot, org.clerk, case.pk)
    error = refused(partial(resolve, reply="已办结"))
    assert isinstance(error, InvalidInput)
    assert error.field == "reply"
    assert fresh(case).state == State.REGISTERED
    assert [e.action for e in events(case)] == ["register"]


def test_not_admissible_under_putuo_then_reply_closes(org: Org, cases: CaseBuilder) -> None:
    case = fresh(cases.not_admissible())
    assert case.state == State.NOT_ADMISSIBLE
    assert case.not_admissible_reason == "属于司法程序，依法不予受理"
    clock = clocks(case)["not_admissible_reply", 1]
    assert (clock.limit_name, clock.started_at, clock.due) == (
        "not_admissible",
        NOW,
        end_of(2026, 11, 25),
    )
    assert set(clocks(case)) == {("not_admissible_reply", 1)}
    assert work(case) == [("reply_reasons", org.hall.pk, end_of(2026, 11, 25))]
    event = last_event(case)
    assert event.action == "screen_not_admissible"
    assert (event.before, event.after) == ({"state": "registered"}, {"state": "not_admissible"})
    assert event.payload == {"reason": "属于司法程序，依法不予受理"}

    check_reply_case(org.clerk, case.pk, text="依据相关规定不予受理，理由已书面说明")
    case = fresh(case)
    assert (case.state, case.closed_at, case.replied_at) == (State.CLOSED, NOW, NOW)
    assert clocks(case)["not_admissible_reply", 1].stopped_at == NOW
    assert work(case) == []
    link = ShortLink.objects.get(case=case).code
    assert outbox(case) == [
        (
            "sms",
            PHONE,
            "reply",
            {"tracking_no": case.tracking_no, "channel": "sms", "round": 1, "link": link},
        )
    ]
    event = last_event(case)
    assert event.action == "reply"
    assert event.before == {"state": "not_admissible", "closed_at": None}
    assert event.after == {"state": "closed", "closed_at": NOW_JSON}


def test_not_admissible_under_chongming_has_no_clock(
    org: Org, cases: CaseBuilder, use_policy: Callable[[str], None]
) -> None:
    use_policy("chongming")
    case = cases.not_admissible()
    assert case.policy.key == "chongming@2023.3"
    assert clocks(case) == {}
    assert work(case) == [("reply_reasons", org.hall.pk, NO_DUE)]
    check_reply_case(org.windowhead, case.pk, text="依据相关规定不予受理，理由已书面说明")
    assert fresh(case).state == State.CLOSED


def test_resolve_on_the_spot(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    case = check_resolve_on_spot(
        org.clerk, case.pk, reply="窗口当场协调办结", category="consultation"
    )
    case = fresh(case)
    assert case.state == State.CLOSED
    assert case.on_the_spot is True
    assert case.category == "consultation"
    assert (case.owner_unit_id, case.handling_unit_id) == (org.hall.pk, org.hall.pk)
    assert (case.reply_text, case.replied_at, case.closed_at) == ("窗口当场协调办结", NOW, NOW)
    assert work(case) == []
    assert clocks(case) == {}
    event = last_event(case)
    assert event.action == "resolve_on_spot"
    assert event.before == {
        "state": "registered",
        "owner_unit_id": None,
        "handling_unit_id": None,
        "category": "handling",
        "closed_at": None,
        "on_the_spot": False,
    }
    assert event.after == {
        "state": "closed",
        "owner_unit_id": org.hall.pk,
        "handling_unit_id": org.hall.pk,
        "category": "consultation",
        "closed_at": NOW_JSON,
        "on_the_spot": True,
    }
    assert len(events(case)) == 2  # register, resolve_on_spot: one step


def test_resolve_on_the_spot_links_the_center_as_owner(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    check_resolve_on_spot(org.clerk, case.pk, reply="窗口当场协调办结")
    assert links(case) == {
        (org.hall.pk, "registered"),
        (org.hall.pk, "owner"),
        (org.hall.pk, "handling"),
    }


# --- dispatch, receive, return, downward dispatch (R-DIS-2..4) --------------------------------


def test_manual_dispatch_from_the_hub_queue(org: Org, cases: CaseBuilder) -> None:
    case = cases.awaiting()
    case = check_dispatch_case(org.dispatcher, case.pk, unit_id=org.dept_b.pk)
    case = fresh(case)
    assert (case.state, case.handling_unit_id, case.owner_unit_id) == (
        State.DISPATCHED,
        org.dept_b.pk,
        None,
    )
    assert work(case) == [("receive", org.dept_b.pk, end_of(2026, 11, 25))]
    assert links(case) == {(org.hall.pk, "registered"), (org.dept_b.pk, "handling")}
    event = last_event(case)
    assert event.action == "dispatch"
    assert event.before == {"state": "awaiting_dispatch", "handling_unit_id": None}
    assert event.after == {"state": "dispatched", "handling_unit_id": org.dept_b.pk}
    assert event.payload == {"unit": "DEPT-B", "automatic": False}
    assert notices(case) == [("handlerB", "case.dispatched", {"unit": "区人社局"})]


@pytest.mark.parametrize("unit", ["hub", "office", "inspectorate"])
def test_dispatch_only_to_departments_and_centers(org: Org, cases: CaseBuilder, unit: str) -> None:
    case = cases.awaiting()
    error = refused(
        lambda: check_dispatch_case(org.dispatcher, case.pk, unit_id=getattr(org, unit).pk)
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "unit_id"
    error = refused(lambda: check_dispatch_case(org.dispatcher, case.pk, unit_id=999_999))
    assert isinstance(error, InvalidInput)
    assert error.field == "unit_id"


def test_receive_makes_the_first_receiver_the_owner(org: Org, cases: CaseBuilder) -> None:
    case = cases.dispatched()
    case = do_receive_case(org.leader_a, case.pk)
    case = fresh(case)
    assert (case.state, case.owner_unit_id, case.handling_unit_id) == (
        State.IN_PROGRESS,
        org.dept_a.pk,
        org.dept_a.pk,
    )
    assert links(case) == {
        (org.hall.pk, "registered"),
        (org.dept_a.pk, "handling"),
        (org.dept_a.pk, "owner"),
    }
    # The handler's item sorts by the nearest running deadline: same-day cause analysis.
    assert work(case) == [("handle", org.dept_a.pk, end_of(2026, 11, 20))]
    event = last_event(case)
    assert event.action == "receive"
    assert event.before == {"state": "dispatched", "owner_unit_id": None}
    assert event.after == {"state": "in_progress", "owner_unit_id": org.dept_a.pk}


@pytest.mark.parametrize("stage", ["dispatched", "in_progress"])
def test_return_goes_back_to_the_hub_queue(org: Org, cases: CaseBuilder, stage: str) -> None:
    case = getattr(cases, stage)()
    case = check_return_case(org.handler_a, case.pk, reason="本事项不属于本单位职责")
    case = fresh(case)
    assert case.state == State.AWAITING_DISPATCH
    assert case.returns_count == 1
    assert (case.owner_unit_id, case.handling_unit_id) == (None, None)
    assert work(case) == [("dispatch", org.hub.pk, end_of(2026, 11, 25))]
    event = last_event(case)
    assert event.action == "return"
    assert event.payload == {"reason": "本事项不属于本单位职责", "returned_by": org.dept_a.pk}
    assert event.after["state"] == "awaiting_dispatch"
    assert event.after["returns_count"] == 1

    # Re-dispatched by the hub to the right unit, which becomes the owner on receipt.
    check_dispatch_case(org.dispatcher, case.pk, unit_id=org.dept_b.pk)
    do_receive_case(org.handler_b, case.pk)
    case = fresh(case)
    assert (case.owner_unit_id, case.handling_unit_id) == (org.dept_b.pk, org.dept_b.pk)
    assert case.returns_count == 1
    check_return_case(org.handler_b, case.pk, reason="本事项也不属于本单位职责")
    assert fresh(case).returns_count == 2


def test_return_needs_a_reason(org: Org, cases: CaseBuilder) -> None:
    case = cases.dispatched()
    for reason in ("", "   ", "不归本所"):  # 4 characters; at least 5 are needed
        error = refused(partial(check_return_case, org.handler_a, case.pk, reason=reason))
        assert isinstance(error, InvalidInput)
        assert error.field == "reason"
    assert fresh(case).state == State.DISPATCHED


def test_dispatch_down_keeps_the_owner(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    case = do_dispatch_down(org.handler_a, case.pk, unit_id=org.center_a1.pk)
    case = fresh(case)
    assert (case.state, case.owner_unit_id, case.handling_unit_id) == (
        State.IN_PROGRESS,
        org.dept_a.pk,
        org.center_a1.pk,
    )
    assert (org.center_a1.pk, "handling") in links(case)
    assert (org.dept_a.pk, "owner") in links(case)
    assert work(case) == [("handle", org.center_a1.pk, end_of(2026, 11, 20))]
    event = last_event(case)
    assert event.action == "dispatch_down"
    assert event.before == {"handling_unit_id": org.dept_a.pk}
    assert event.after == {"handling_unit_id": org.center_a1.pk}
    assert event.payload == {"unit": "CTR-A1"}
    assert notices(case)[-1:] == [("handlerA1", "case.dispatched", {"unit": "市场监管所"})]
    # The sub-center handles; it may not return a case its owner passed down.
    check_record_cause(org.handler_a1, case.pk, code="materials", note="缺少股东会决议原件")
    error = refused(lambda: check_return_case(org.handler_a1, case.pk, reason="不属于本所职责"))
    assert isinstance(error, InvalidState)
    check_reply_case(org.handler_a1, case.pk, text="已告知补交材料后当场办结")
    assert fresh(case).state == State.REPLIED


@pytest.mark.parametrize("unit", ["dept_a", "dept_b", "hall"])
def test_dispatch_down_only_below_the_owner(org: Org, cases: CaseBuilder, unit: str) -> None:
    case = cases.in_progress()
    error = refused(lambda: do_dispatch_down(org.handler_a, case.pk, unit_id=getattr(org, unit).pk))
    assert isinstance(error, InvalidInput)
    assert error.field == "unit_id"
    assert fresh(case).handling_unit_id == org.dept_a.pk
