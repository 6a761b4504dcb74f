"""Reads: the worklist (R-SLA-4), the case detail, and their cost (DESIGN.md "Scale path")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banchengshi.cases.actions.answer import check_return_visit
from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_extension,
    check_request_suspension,
)
from banchengshi.cases.actions.cohandling import check_request_cohandling
from banchengshi.cases.actions.dispatch import check_dispatch_case, do_receive_case
from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.cases.models import NO_DUE, Case, WorkItem
from banchengshi.cases.selectors import case_detail, work_colour, worklist
from banchengshi.cases.states import Act
from banchengshi.org.scope import Scope, scope_for
from banchengshi.policy.deadlines import Colour
from banchengshi.workdays.registry import current_calendar

from .conftest import NOW, CaseBuilder, FrozenTime, Org, end_of, sh

WORKLIST_QUERIES = 5  # four bounded counts (red, yellow, green, none), one indexed page
# the case, its units, its unit links, its clocks, its events, whether a request is pending
CASE_DETAIL_QUERIES = 6


def rows(scope: Scope, **kw: int) -> list[tuple[int, str, int, dt.datetime]]:
    return [(i.case_id, i.kind, i.unit_id, i.due) for i in worklist(scope, **kw).items]


# --- the worklist -----------------------------------------------------------------------------


@pytest.fixture
def hub_work(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> dict[str, Case]:
    """Work at the hub, at Fri 2026-11-20 10:00:

    c1 DISPATCH     received Thu 11-12, general: due Tue 11-17         red
    c6 SUPERVISE    dissatisfied return visit Thu 11-19 15:00: the hub
                    reviews within 1 working day, due Fri 11-20 23:59  yellow
    c2 DISPATCH     received Tue 11-17, general: due Fri 11-20 23:59   yellow
    c5 APPROVE      extension asked now: decided by Mon 11-23 23:59    green
    c4 RETURN_VISIT replied now: visited within 3 working days, Wed 11-25  green
    c3 DISPATCH     received Thu 11-19, complex: due Mon 11-30         green
    """
    frozen_time.set(sh(2026, 11, 19, 9))
    c6 = cases.replied()
    frozen_time.set(sh(2026, 11, 19, 15))
    check_return_visit(org.dispatcher, c6.pk, satisfaction=2, solved=False, comment="仍未办成")
    frozen_time.set(NOW)
    c1 = cases.awaiting(received_at=sh(2026, 11, 12, 10))
    c2 = cases.awaiting(received_at=sh(2026, 11, 17, 10))
    c3 = cases.awaiting(received_at=sh(2026, 11, 19, 10), complexity="complex")
    c4 = cases.replied()
    c5 = cases.in_progress()
    check_request_extension(org.handler_a, c5.pk, days=2, reason="需要跨部门调取档案")
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5, "c6": c6}


def test_dispatcher_worklist_most_urgent_first(org: Org, hub_work: dict[str, Case]) -> None:
    c = hub_work
    hub = org.hub.pk
    page = worklist(scope_for(org.dispatcher))
    assert [(i.case_id, i.kind, i.unit_id, i.due) for i in page.items] == [
        (c["c1"].pk, "dispatch", hub, end_of(2026, 11, 17)),
        (c["c6"].pk, "supervise", hub, end_of(2026, 11, 20)),
        (c["c2"].pk, "dispatch", hub, end_of(2026, 11, 20)),
        (c["c5"].pk, "approve", hub, end_of(2026, 11, 23)),
        (c["c4"].pk, "return_visit", hub, end_of(2026, 11, 25)),
        (c["c3"].pk, "dispatch", hub, end_of(2026, 11, 30)),
    ]
    assert (page.total, page.red, page.yellow, page.green) == (6, 1, 2, 3)
    colours = [work_colour(item) for item in page.items]
    assert colours == [
        Colour.RED,
        Colour.YELLOW,
        Colour.YELLOW,
        Colour.GREEN,
        Colour.GREEN,
        Colour.GREEN,
    ]
    # Nothing the hub does waits without a deadline any more.
    assert all(item.has_due for item in page.items)


def test_worklist_pages(org: Org, hub_work: dict[str, Case]) -> None:
    page = worklist(scope_for(org.dispatcher), page=2, per_page=2)
    assert [(i.case_id, i.kind) for i in page.items] == [
        (hub_work["c2"].pk, "dispatch"),
        (hub_work["c5"].pk, "approve"),
    ]
    assert (page.total, page.page, page.per_page, page.has_next) == (6, 2, 2, True)
    assert not worklist(scope_for(org.dispatcher), page=3, per_page=2).has_next
    assert worklist(scope_for(org.dispatcher), page=4, per_page=2).items == []
    assert worklist(scope_for(org.dispatcher), per_page=1000).per_page == 100


def test_colours_move_with_time(
    org: Org, hub_work: dict[str, Case], frozen_time: FrozenTime
) -> None:
    frozen_time.set(sh(2026, 11, 29, 23, 59, 59))  # c3 is due at the end of Mon 11-30
    page = worklist(scope_for(org.dispatcher))
    assert (page.red, page.yellow) == (5, 0)  # c3 has 24 h and a second left: still green
    frozen_time.set(sh(2026, 11, 30, 0, 0, 1))
    page = worklist(scope_for(org.dispatcher))
    assert (page.red, page.yellow) == (5, 1)
    frozen_time.set(sh(2026, 12, 1, 0, 0, 1))
    page = worklist(scope_for(org.dispatcher))
    assert (page.total, page.red, page.yellow, page.green) == (6, 6, 0, 0)


def test_office_admin_sees_approvals_and_supervision(org: Org, hub_work: dict[str, Case]) -> None:
    page = worklist(scope_for(org.officeadmin))
    assert [(i.case_id, i.kind) for i in page.items] == [
        (hub_work["c6"].pk, "supervise"),
        (hub_work["c5"].pk, "approve"),
    ]


def test_handler_worklist(org: Org, cases: CaseBuilder) -> None:
    """d2 HANDLE (same-day cause analysis: 11-20), d1 RECEIVE (reply 11-25), d3 COHANDLE (4 WD
    from 11-20: 11-26)."""
    d1 = cases.dispatched()
    d2 = cases.in_progress()
    d3 = cases.awaiting()
    check_dispatch_case(org.dispatcher, d3.pk, unit_id=org.dept_b.pk)
    do_receive_case(org.handler_b, d3.pk)
    check_request_cohandling(
        org.handler_b, d3.pk, unit_id=org.dept_a.pk, request="请协助核实登记信息", days=4
    )
    cases.register()  # the hall's screening work: not a handler's
    a = org.dept_a.pk
    expected = [
        (d2.pk, "handle", a, end_of(2026, 11, 20)),
        (d1.pk, "receive", a, end_of(2026, 11, 25)),
        (d3.pk, "cohandle", a, end_of(2026, 11, 26)),
    ]
    assert rows(scope_for(org.handler_a)) == expected
    assert rows(scope_for(org.leader_a)) == expected
    page = worklist(scope_for(org.handler_a))
    assert (page.total, page.red, page.yellow, page.green) == (3, 0, 1, 2)
    assert rows(scope_for(org.handler_b)) == [
        (d3.pk, "handle", org.dept_b.pk, end_of(2026, 11, 20))
    ]
    assert rows(scope_for(org.handler_a1)) == []


def test_window_worklist(org: Org, cases: CaseBuilder) -> None:
    e1 = cases.register()
    e2 = cases.not_admissible()
    cases.dispatched()
    expected = [
        (e2.pk, "reply_reasons", org.hall.pk, end_of(2026, 11, 25)),
        (e1.pk, "screen", org.hall.pk, NO_DUE),
    ]
    assert rows(scope_for(org.clerk)) == expected
    assert rows(scope_for(org.windowhead)) == expected


def test_kinds_by_role(org: Org, hub_work: dict[str, Case], cases: CaseBuilder) -> None:
    cases.register()
    cases.not_admissible()
    cases.dispatched()

    def kinds(name: str) -> set[tuple[str, str]]:
        page = worklist(scope_for(org.user(name)), per_page=100)
        return {(item.unit.code, item.kind) for item in page.items}

    assert kinds("dispatcher") == {
        ("HUB", "dispatch"),
        ("HUB", "approve"),
        ("HUB", "return_visit"),
        ("HUB", "supervise"),
    }
    assert kinds("handler_a") == {("DEPT-A", "receive"), ("DEPT-A", "handle")}
    assert kinds("clerk") == {("HALL", "screen"), ("HALL", "reply_reasons")}
    assert kinds("inspector") == set()
    assert kinds("sysadmin") == set()


def test_not_admissible_at_the_hub_shows_in_the_dispatchers_worklist(
    org: Org, cases: CaseBuilder
) -> None:
    case = cases.not_admissible(actor=org.dispatcher)
    assert WorkItem.objects.get(case=case).unit_id == org.hub.pk
    assert rows(scope_for(org.dispatcher)) == [
        (case.pk, "reply_reasons", org.hub.pk, end_of(2026, 11, 25))
    ]


# --- the case detail --------------------------------------------------------------------------


def test_case_detail_clock_explanation(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    """Received Wed 09-30, general: counted 10-08, 10-09 and the make-up Saturday 10-10; skipped
    the seven days of National Day. Seen on Mon 10-12: red."""
    frozen_time.set(sh(2026, 10, 12, 10))
    case = cases.in_progress(received_at=sh(2026, 9, 30, 16))
    detail = case_detail(scope_for(org.handler_a), case.pk)
    views = {view.clock.kind: view for view in detail.clocks}
    reply = views["reply"]
    assert reply.clock.due == end_of(2026, 10, 10)
    assert reply.colour == Colour.RED
    assert reply.counted == [dt.date(2026, 10, 8), dt.date(2026, 10, 9), dt.date(2026, 10, 10)]
    assert reply.skipped == [(dt.date(2026, 10, d), "国庆节") for d in range(1, 8)]
    assert [view.clock.kind for view in detail.clocks] == ["cause_analysis", "reply"]


def test_case_detail_skips_weekends(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    views = {v.clock.kind: v for v in case_detail(scope_for(org.handler_a), case.pk).clocks}
    reply = views["reply"]
    assert reply.colour == Colour.GREEN
    assert reply.counted == [dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25)]
    assert reply.skipped == [(dt.date(2026, 11, 21), "weekend"), (dt.date(2026, 11, 22), "weekend")]
    assert views["cause_analysis"].colour == Colour.YELLOW  # ends tonight


def test_stopped_and_paused_clocks_have_no_colour(org: Org, cases: CaseBuilder) -> None:
    case = cases.analysed()
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    views = {v.clock.kind: v for v in case_detail(scope_for(org.handler_a), case.pk).clocks}
    assert views["cause_analysis"].clock.stopped_at == NOW
    assert views["cause_analysis"].colour is None
    assert views["reply"].clock.paused_at == NOW
    assert views["reply"].colour is None


def test_same_day_clock_explains_its_day(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    views = {v.clock.kind: v for v in case_detail(scope_for(org.handler_a), case.pk).clocks}
    assert views["cause_analysis"].counted == [dt.date(2026, 11, 20)]


def test_case_detail_timeline(org: Org, cases: CaseBuilder) -> None:
    case = cases.closed()
    detail = case_detail(scope_for(org.inspector), case.pk)
    assert [e.action for e in detail.events] == [
        "register",
        "screen_accept",
        "receive",
        "record_cause",
        "reply",
        "return_visit",
        "close",
    ]
    assert [e.seq for e in detail.events] == sorted(e.seq for e in detail.events)
    assert detail.actions == []  # the inspector only reads


@pytest.mark.parametrize(
    ("stage", "who", "expected"),
    [
        ("register", "clerk", [Act.SCREEN, Act.RESOLVE_ON_SPOT]),
        ("register", "dispatcher", [Act.SCREEN, Act.RESOLVE_ON_SPOT]),
        ("register", "inspector", []),
        ("awaiting", "dispatcher", [Act.DISPATCH]),
        ("awaiting", "clerk", []),
        ("dispatched", "handler_a", [Act.RECEIVE, Act.RETURN, Act.RECORD_CONTACT]),
        ("dispatched", "clerk", [Act.RECORD_CONTACT]),
        ("not_admissible", "clerk", [Act.REPLY]),
        ("visited", "dispatcher", [Act.RETURN_VISIT, Act.SUPERVISE, Act.CLOSE]),
        ("visited", "handler_a", [Act.RETURN_VISIT]),
        # The petitioner has not rated yet: the registering center's window may hand the tablet.
        ("visited", "clerk", [Act.WINDOW_RATING]),
        ("closed", "clerk", [Act.WINDOW_RATING, Act.ADD_TO_LIBRARY]),
        ("closed", "dispatcher", [Act.SUPERVISE, Act.ADD_TO_LIBRARY]),
        ("closed", "officeadmin", [Act.SUPERVISE, Act.ADD_TO_LIBRARY]),
        ("closed", "handler_a", [Act.ADD_TO_LIBRARY]),
    ],
)
def test_case_detail_actions(
    org: Org, cases: CaseBuilder, stage: str, who: str, expected: list[Act]
) -> None:
    case = getattr(cases, stage)()
    assert case_detail(scope_for(org.user(who)), case.pk).actions == expected


def test_case_detail_actions_in_progress(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    handler = case_detail(scope_for(org.handler_a), case.pk).actions
    for act in (
        Act.RETURN,
        Act.DISPATCH_DOWN,
        Act.REQUEST_COHANDLING,
        Act.RECORD_CONTACT,
        Act.RECORD_CAUSE,
        Act.REQUEST_EXTENSION,
        Act.REQUEST_SUSPENSION,
    ):
        assert act in handler
    # No reply before the cause analysis: the action would refuse it, so it is not offered.
    for act in (Act.SCREEN, Act.DISPATCH, Act.RECEIVE, Act.DECIDE_REQUEST, Act.CLOSE, Act.REPLY):
        assert act not in handler
    assert case_detail(scope_for(org.inspector), case.pk).actions == []
    assert case_detail(scope_for(org.clerk), case.pk).actions == [
        Act.RECORD_CONTACT,
        Act.RECORD_CAUSE,
    ]


def test_case_detail_offers_no_act_that_can_only_fail(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    assert case_detail(scope_for(org.handler_a), case.pk).actions == [
        Act.RETURN,
        Act.DISPATCH_DOWN,
        Act.REQUEST_COHANDLING,
        Act.RECORD_CONTACT,
        Act.RECORD_CAUSE,
        Act.REQUEST_EXTENSION,
        Act.REQUEST_SUSPENSION,
    ]
    assert case_detail(scope_for(org.dispatcher), case.pk).actions == [Act.RECORD_CONTACT]
    check_record_cause(org.handler_a, case.pk, code="materials", note="缺少社保缴费证明")
    assert Act.REPLY in case_detail(scope_for(org.handler_a), case.pk).actions
    check_request_extension(org.handler_a, case.pk, days=2, reason="需要进一步核实情况")
    offered = case_detail(scope_for(org.handler_a), case.pk).actions
    assert (Act.REPLY in offered, Act.REQUEST_EXTENSION in offered) == (False, False)


# --- cost: the number of queries does not grow with the data ---------------------------------


def _count(call: object) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()  # type: ignore[operator]
    return len(ctx.captured_queries)


def _render_worklist(scope: Scope) -> list[str]:
    """What a page shows per row: nothing here may query."""
    page = worklist(scope, per_page=100)
    return [
        f"{i.case.tracking_no} {i.case.matter} {i.unit.name} {i.kind} {work_colour(i)}"
        for i in page.items
    ]


def _render_detail(scope: Scope, case_id: int) -> list[str]:
    detail = case_detail(scope, case_id)
    c = detail.case
    parts = [
        str(x)
        for x in (
            c.registered_unit,
            c.owner_unit,
            c.handling_unit,
            c.matter,
            c.department,
            c.failed_at_unit,
            c.policy,
        )
    ]
    parts += [f"{v.clock.kind} {v.colour} {len(v.counted)}" for v in detail.clocks]
    parts += [f"{e.seq} {e.action} {e.actor_label}" for e in detail.events]
    return parts


def test_query_counts_do_not_grow(org: Org, cases: CaseBuilder, capsys: object) -> None:
    dispatcher = scope_for(org.dispatcher)
    handler = scope_for(org.handler_a)
    current_calendar()  # the calendar is built once per process, not per request
    target = cases.closed(matter_id=org.matter_a.pk)
    for _ in range(5):
        cases.awaiting()
        cases.in_progress()
    assert Case.objects.count() == 11

    small = {
        "worklist(dispatcher)": _count(lambda: _render_worklist(dispatcher)),
        "worklist(handler)": _count(lambda: _render_worklist(handler)),
        "case_detail": _count(lambda: _render_detail(handler, target.pk)),
    }
    for _ in range(25):
        cases.awaiting()
        cases.in_progress()
    assert Case.objects.count() == 61
    assert len(worklist(dispatcher, per_page=100).items) == 30
    large = {
        "worklist(dispatcher)": _count(lambda: _render_worklist(dispatcher)),
        "worklist(handler)": _count(lambda: _render_worklist(handler)),
        "case_detail": _count(lambda: _render_detail(handler, target.pk)),
    }
    with capsys.disabled():  # type: ignore[attr-defined]
        print(f"\nqueries with 11 cases: {small}; with 61 cases: {large}")
    assert (
        small
        == large
        == {
            "worklist(dispatcher)": WORKLIST_QUERIES,
            "worklist(handler)": WORKLIST_QUERIES,
            "case_detail": CASE_DETAIL_QUERIES,
        }
    )
