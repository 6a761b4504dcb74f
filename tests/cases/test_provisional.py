"""The turn of the year (R-SLA-1): a deadline reaching 2027, whose schedule nobody has loaded
(chinesecalendar stops at 2026), goes ahead counted Monday to Friday and flagged; loading 2027
recomputes it exactly, in one transaction, with one audit event per changed case and a notice
to the people whose deadline moved.

The 2027 schedule below is made up for the test: New Year's Day Fri 01-01 to Sun 01-03 off
(one working day fewer than assumed) and Saturday 01-09 a make-up workday (one more), so a
deadline before 01-09 moves a day later and one after it stays where it was.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent
from banchengshi.cases.actions.answer import check_return_visit, check_supervise_case
from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_suspension,
    do_resume_case,
)
from banchengshi.cases.actions.cohandling import check_request_cohandling
from banchengshi.cases.actions.common import deadline_error
from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.cases.clocks import provisional_note
from banchengshi.cases.events import CaseEvent
from banchengshi.cases.models import Case, Clock, CoHandlingTask, Supervision, WorkItem
from banchengshi.cases.provisional import SYSTEM_LABEL
from banchengshi.notify.models import Notification, NotificationKind
from banchengshi.workdays.actions import Loaded, check_load_calendar_year, do_load_calendar_year
from banchengshi.workdays.calendar import UnknownYearError
from banchengshi.workdays.registry import forget_calendar

from .conftest import CaseBuilder, FrozenTime, Org, end_of, sh

SCHEDULE_2027 = b"""\
year = 2027
workdays = [2027-01-09]

[[holidays]]
name = "\xe5\x85\x83\xe6\x97\xa6"
start = 2027-01-01
end = 2027-01-03
"""
CHRISTMAS_EVE = sh(2026, 12, 24)  # Thursday


def load_2027() -> Loaded:
    loaded = do_load_calendar_year(
        check_load_calendar_year(SCHEDULE_2027, "2027.toml"), SCHEDULE_2027, "2027.toml"
    )
    # The load drops the cached calendar on commit, which a test's transaction never reaches.
    forget_calendar()
    return loaded


def reply(case: Case, round_: int = 1) -> Clock:
    return Clock.objects.get(case=case, kind="reply", round=round_)


def work(case: Case) -> dict[str, tuple[dt.datetime, bool]]:
    return {item.kind: (item.due, item.provisional) for item in WorkItem.objects.filter(case=case)}


@pytest.fixture
def eve(frozen_time: FrozenTime) -> FrozenTime:
    frozen_time.set(CHRISTMAS_EVE)
    return frozen_time


# --- going ahead ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "received", "complexity", "due", "provisional"),
    [
        # 7 WD: Fri 12-25, Mon 12-28 … Thu 12-31 (5), Fri 01-01 and Mon 01-04 assumed.
        ("putuo", CHRISTMAS_EVE, "complex", end_of(2027, 1, 4), True),
        # 5 WD end Thu 12-31: wholly in 2026, final.
        ("chongming", CHRISTMAS_EVE, "complex", end_of(2026, 12, 31), False),
        # Received Mon 12-28: 29, 30, 31, then 01-01 and 01-04 assumed.
        ("chongming", sh(2026, 12, 28), "complex", end_of(2027, 1, 4), True),
        # The petitioner side's 3 WD until the cause is known: Tue 12-29.
        ("liuzhou", CHRISTMAS_EVE, "complex", end_of(2026, 12, 29), False),
    ],
)
def test_a_complex_case_accepted_at_the_year_end(
    org: Org,
    cases: CaseBuilder,
    eve: FrozenTime,
    use_policy: object,
    policy: str,
    received: dt.datetime,
    complexity: str,
    due: dt.datetime,
    provisional: bool,
) -> None:
    use_policy(policy)  # type: ignore[operator]
    eve.set(max(received, CHRISTMAS_EVE))
    case = cases.dispatched(complexity=complexity, received_at=received)
    clock = reply(case)
    assert (clock.due, clock.provisional) == (due, provisional)
    assert work(case)["receive"] == (due, provisional)


def test_the_provisional_deadline_says_what_it_assumed(
    org: Org, cases: CaseBuilder, eve: FrozenTime
) -> None:
    clock = reply(cases.dispatched(complexity="complex"))
    with translation.override("zh-hans"):
        assert provisional_note(clock) == (
            "暂定：2027年的法定节假日安排尚未载入，按周一至周五计为工作日"
            "（2027-01-01至2027-01-04）。载入后将重新计算。"
        )
    with translation.override("en"):
        assert provisional_note(clock) == (
            "Provisional: the holiday schedule of 2027 is not loaded yet, so Monday to Friday "
            "were counted as working days (2027-01-01 to 2027-01-04). It will be recomputed "
            "when the schedule is loaded."
        )


def test_a_deadline_wholly_inside_known_years_is_never_provisional(
    org: Org, cases: CaseBuilder, eve: FrozenTime
) -> None:
    case = cases.analysed(complexity="general")  # 3 WD: Tue 12-29
    assert {c.kind: (c.due, c.provisional) for c in Clock.objects.filter(case=case)} == {
        "reply": (end_of(2026, 12, 29), False),
        "cause_analysis": (end_of(2026, 12, 24), False),
    }
    assert not Clock.objects.filter(provisional=True).exists()
    assert provisional_note(reply(case)) == ""


def test_refusal_beyond_the_years_that_may_be_assumed_names_no_command() -> None:
    for language, words in (
        ("zh-hans", "2029年的节假日安排尚未载入，无法计算该年内的期限，请联系系统管理员。"),
        (
            "en",
            "The holiday schedule of 2029 has not been loaded yet, so deadlines in that year "
            "cannot be computed. Please tell the system administrator.",
        ),
    ):
        with translation.override(language):
            assert deadline_error(UnknownYearError(2029)).errors == {"deadline": [words]}


# --- loading the year -------------------------------------------------------------------------


def test_loading_2027_recomputes_moves_and_tells(
    org: Org, cases: CaseBuilder, eve: FrozenTime
) -> None:
    moving = cases.dispatched(complexity="complex")
    staying = cases.in_progress(complexity="general")
    # 12 WD set by hand: 12-25 … 12-31 (5), 01-01, 01-04 … 01-08 (11), Mon 01-11, assumed;
    # with the schedule 01-01 is off and Sat 01-09 is worked: still Mon 01-11.
    task = check_request_cohandling(
        org.handler_a, staying.pk, unit_id=org.dept_b.pk, request="请协助核实营业执照", days=12
    )
    assert (task.due, Clock.objects.get(task=task).provisional) == (end_of(2027, 1, 11), True)
    assert work(staying)["cohandle"] == (end_of(2027, 1, 11), True)
    eve.set(sh(2026, 12, 28, 9))

    loaded = load_2027()

    assert (loaded.recomputed.cases_changed, loaded.recomputed.clocks_changed) == (1, 1)
    assert (loaded.recomputed.clocks_confirmed, loaded.recomputed.still_provisional) == (1, 0)
    clock = reply(moving)
    assert (clock.due, clock.provisional) == (end_of(2027, 1, 5), False)
    assert work(moving)["receive"] == (end_of(2027, 1, 5), False)
    assert (CoHandlingTask.objects.get(pk=task.pk).due, work(staying)["cohandle"]) == (
        end_of(2027, 1, 11),
        (end_of(2027, 1, 11), False),
    )
    assert not Clock.objects.filter(provisional=True).exists()
    assert not WorkItem.objects.filter(provisional=True).exists()

    events = AuditEvent.objects.filter(action=CaseEvent.RECOMPUTE_DEADLINES)
    assert [(e.case_id, e.actor_id, e.actor_label) for e in events] == [
        (moving.pk, None, SYSTEM_LABEL)
    ]
    assert events[0].at == sh(2026, 12, 28, 9)
    assert events[0].payload == {
        "year": 2027,
        "deadlines": [
            {
                "kind": "reply",
                "round": 1,
                "before": "2027-01-04T23:59:59.999999+08:00",
                "after": "2027-01-05T23:59:59.999999+08:00",
            }
        ],
    }
    assert Case.objects.get(pk=moving.pk).version == moving.version + 1
    assert Case.objects.get(pk=staying.pk).version == Case.objects.get(pk=staying.pk).version
    check = verify_chain()
    assert check.ok, check.problem

    notices = Notification.objects.filter(kind=NotificationKind.DEADLINE_MOVED)
    assert sorted((n.user.username, n.case_id) for n in notices) == [
        ("handlerA", moving.pk),
        ("leaderA", moving.pk),
    ]
    assert notices[0].params["year"] == 2027
    assert notices[0].params["tracking_no"] == moving.tracking_no


def test_hub_review_and_supervision_dues_follow(
    org: Org, cases: CaseBuilder, eve: FrozenTime
) -> None:
    """Tue 12-29 late: supervision for 5 WD (30, 31, 01-01, 01-04, 01-05 assumed) and, on an
    unhappy return visit on Thu 12-31, the hub's 1 WD review (01-01 assumed)."""
    case = cases.replied(complexity="general")
    eve.set(sh(2026, 12, 31, 16))
    check_return_visit(org.dispatcher, case.pk, satisfaction=1, solved=False)
    assert work(case)["supervise"] == (end_of(2027, 1, 1), True)
    check_supervise_case(org.dispatcher, case.pk, reason="群众不满意需督办", days=5)
    round_two = reply(case, 2)
    # 01-01, 01-04 … 01-07 assumed.
    assert (round_two.due, round_two.provisional, round_two.workdays) == (
        end_of(2027, 1, 7),
        True,
        5,
    )
    assert work(case)["handle"] == (end_of(2027, 1, 7), True)

    load_2027()

    assert reply(case, 2).due == end_of(2027, 1, 8)  # 04 … 08
    assert work(case)["handle"] == (end_of(2027, 1, 8), False)
    assert Supervision.objects.get(case=case).due == end_of(2027, 1, 8)
    event = AuditEvent.objects.get(action=CaseEvent.RECOMPUTE_DEADLINES)
    assert [d["kind"] for d in event.payload["deadlines"]] == ["reply"]
    assert sorted(
        Notification.objects.filter(kind=NotificationKind.DEADLINE_MOVED).values_list(
            "user__username", flat=True
        )
    ) == ["handlerA", "leaderA"]


def test_a_pending_hub_review_is_recomputed_from_its_creation(
    org: Org, cases: CaseBuilder, eve: FrozenTime
) -> None:
    case = cases.replied(complexity="general")
    eve.set(sh(2026, 12, 31, 16))
    check_return_visit(org.dispatcher, case.pk, satisfaction=1, solved=False)
    load_2027()
    assert work(case)["supervise"] == (end_of(2027, 1, 4), False)
    event = AuditEvent.objects.get(action=CaseEvent.RECOMPUTE_DEADLINES)
    assert event.payload["deadlines"] == [
        {
            "kind": "supervise",
            "round": 1,
            "before": "2027-01-01T23:59:59.999999+08:00",
            "after": "2027-01-04T23:59:59.999999+08:00",
        }
    ]
    told = Notification.objects.filter(kind=NotificationKind.DEADLINE_MOVED)
    assert sorted(told.values_list("user__username", flat=True)) == ["dispatcher", "officeadmin"]


def test_a_suspension_counted_across_the_unknown_year_is_counted_again(
    org: Org, cases: CaseBuilder, eve: FrozenTime
) -> None:
    """Reply due Tue 12-29; suspended Mon 12-28, resumed Tue 01-05 with 2027 unknown: 29, 30,
    31, 01-01, 01-04, 01-05 = 6 assumed, due 12-29 + 6 = Wed 01-06. With the schedule the pause
    lasted 5 working days (01-01 off): 12-29 + 5 = 30, 31, 04, 05, 06 — still Wed 01-06."""
    case = cases.in_progress(complexity="general")
    eve.set(sh(2026, 12, 28, 10))
    request = check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)
    eve.set(sh(2027, 1, 5, 10))
    do_resume_case(org.handler_a, case.pk)
    clock = reply(case)
    assert (clock.due, clock.provisional, clock.extra_workdays) == (end_of(2027, 1, 6), True, 6)
    assert clock.pauses == [["2026-12-28", "2027-01-05", 6]]

    loaded = load_2027()

    clock = reply(case)
    assert (clock.due, clock.provisional, clock.extra_workdays, clock.pauses) == (
        end_of(2027, 1, 6),
        False,
        5,
        [],
    )
    # The cause analysis, due the day of receipt (12-24), paused too: 12-24 + 6 assumed was
    # Fri 01-01; + 5 is Thu 12-31. It moved; the reply did not.
    cause = Clock.objects.get(case=case, kind="cause_analysis")
    assert (cause.due, cause.provisional) == (end_of(2026, 12, 31), False)
    assert (loaded.recomputed.clocks_changed, loaded.recomputed.clocks_confirmed) == (1, 1)
    event = AuditEvent.objects.get(action=CaseEvent.RECOMPUTE_DEADLINES)
    assert [(d["kind"], d["after"]) for d in event.payload["deadlines"]] == [
        ("cause_analysis", "2026-12-31T23:59:59.999999+08:00")
    ]


def test_liuzhou_department_side_is_recomputed_under_its_limit(
    org: Org, cases: CaseBuilder, eve: FrozenTime, use_policy: object
) -> None:
    use_policy("liuzhou")  # type: ignore[operator]
    case = cases.in_progress(complexity="complex")
    check_record_cause(
        org.handler_a, case.pk, code="process", note="部门内部流程重复审批", side="department"
    )
    clock = reply(case)  # 10 WD: 12-25 … 12-31 (5), 01-01, 01-04 … 01-07 assumed
    assert (clock.limit_name, clock.due, clock.provisional) == (
        "reply.department_side",
        end_of(2027, 1, 7),
        True,
    )
    load_2027()
    assert (reply(case).due, reply(case).provisional) == (end_of(2027, 1, 8), False)
