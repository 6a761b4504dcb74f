"""The sweep against the case actions: a new deadline re-arms every level, a suspended clock
is silent, a clock changed under a sweep keeps its new reminder, and the sweep's queries are
the same however many other cases there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banchengshi.cases.actions.clock_requests import (
    check_decide_request,
    check_request_extension,
    check_request_suspension,
    do_resume_case,
)
from banchengshi.cases.models import Case, Clock, ClockKind, ClockRequest
from banchengshi.cases.reminders import sweep
from banchengshi.notify.models import Notification, ReminderSent
from banchengshi.workdays.calendar import WorkingCalendar
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, end_of, sh
from tests.cases.test_reminders import (
    HANDLER,
    HUB_AND_OFFICE,
    LEADER,
    Sweeper,
    Switch,
    midnight,
)


def approve_latest(org: Org, case: Case) -> None:
    request = ClockRequest.objects.filter(case=case).latest("id")
    check_decide_request(org.dispatcher, case.pk, request_id=request.pk, approve=True)


def reminders_of(case: Case) -> int:
    return Notification.objects.filter(case=case, kind__startswith="reminder.").count()


def test_an_extension_re_arms_every_level(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    case = cases.in_progress(complexity="general")  # due Wed 11-25
    run = Sweeper(frozen_time, case)
    assert run.at(sh(2026, 11, 24, 9)) == [("before_yellow", HANDLER)]
    assert run.at(midnight(2026, 11, 25)) == [("yellow", LEADER)]

    frozen_time.set(sh(2026, 11, 25, 10))
    check_request_extension(org.handler_a, case.pk, days=2, reason="需要调取档案核实")
    approve_latest(org, case)
    clock = Clock.objects.get(case=case, kind=ClockKind.REPLY)
    assert clock.due == end_of(2026, 11, 27)
    # 48 hours before Friday night is Wednesday night: Thursday morning.
    assert (clock.remind_at, clock.remind_level) == (sh(2026, 11, 26, 9), "before_yellow")

    assert run.at(sh(2026, 11, 25, 10, 5)) == []
    assert run.at(sh(2026, 11, 26, 9)) == [("before_yellow", HANDLER)]
    assert run.at(midnight(2026, 11, 27)) == [("yellow", LEADER)]
    assert run.at(midnight(2026, 11, 28)) == [("red", HUB_AND_OFFICE)]
    assert ReminderSent.objects.filter(clock=clock).count() == 5


def test_a_suspended_case_is_silent_and_resuming_re_arms(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    case = cases.in_progress(complexity="general")  # due Wed 11-25
    check_request_suspension(org.handler_a, case.pk, reason="等待申请人补交材料")
    approve_latest(org, case)
    assert list(Clock.objects.filter(case=case).values_list("remind_at", flat=True)) == [
        None,
        None,
    ]
    day = sh(2026, 11, 20, 10, 5)
    while day < sh(2026, 11, 30, 10):
        frozen_time.set(day)
        sweep(day)
        day += dt.timedelta(hours=6)
    assert reminders_of(case) == 0

    frozen_time.set(sh(2026, 11, 30, 10))  # suspended since Fri 11-20: 6 WD (11-23 … 11-30)
    do_resume_case(org.handler_a, case.pk)
    clock = Clock.objects.get(case=case, kind=ClockKind.REPLY)
    assert clock.due == end_of(2026, 12, 3)
    run = Sweeper(frozen_time, case)
    assert run.at(sh(2026, 11, 30, 10, 5)) == []
    assert run.at(sh(2026, 12, 2, 9)) == [("before_yellow", HANDLER)]


def test_running_twice_sends_nothing_new(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, use_policy: Switch
) -> None:
    use_policy("liuzhou")  # the reply clock only
    cases.in_progress(complexity="general")
    cases.in_progress(complexity="general")
    at = sh(2026, 11, 24, 9)
    first = sweep(at)
    assert (first.clocks, first.sent, first.notices) == (2, {"before_yellow": 2}, 2)
    again = sweep(at)
    assert (again.clocks, again.sent, again.notices) == (0, {}, 0)
    # Re-arming without a new deadline (what any writer may do) sends nothing twice either.
    Clock.objects.filter(kind=ClockKind.REPLY).update(remind_at=sh(2026, 11, 24, 9))
    third = sweep(at)
    assert (third.clocks, third.sent, third.notices) == (2, {}, 0)


def test_a_clock_moved_under_the_sweep_keeps_its_new_reminder(
    org: Org,
    cases: CaseBuilder,
    frozen_time: FrozenTime,
    use_policy: Switch,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_policy("liuzhou")  # the reply clock only
    case = cases.in_progress(complexity="general")
    clock = Clock.objects.get(case=case, kind=ClockKind.REPLY)
    moved = sh(2026, 11, 30, 9)
    from banchengshi.cases import reminders

    plan = reminders._plan

    def meanwhile(read: Clock, now: dt.datetime, calendar: WorkingCalendar) -> reminders.Step:
        # An action re-arms the clock after the sweep read it (a new deadline).
        Clock.objects.filter(pk=read.pk).update(due=end_of(2026, 12, 2), remind_at=moved)
        return plan(read, now, calendar)

    monkeypatch.setattr(reminders, "_plan", meanwhile)
    result = sweep(sh(2026, 11, 24, 9))
    assert (result.clocks, result.sent) == (1, {})
    assert Clock.objects.get(pk=clock.pk).remind_at == moved
    assert reminders_of(case) == 0


@pytest.mark.parametrize("others", [0, 12])
def test_sweep_queries_do_not_depend_on_other_cases(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, use_policy: Switch, others: int
) -> None:
    use_policy("liuzhou")  # the reply clock only
    due = [cases.in_progress(complexity="general") for _ in range(3)]
    cases.awaiting(complexity="general")  # the hub's: a fourth reminder, other recipients
    # Other cases: closed ones (stopped clocks) and open ones received later (not yet due).
    frozen_time.set(sh(2026, 11, 16))
    for _ in range(others // 2):
        cases.closed()
    frozen_time.set(sh(2026, 12, 7))
    for _ in range(others // 2):
        cases.in_progress(complexity="complex")
    at = sh(2026, 11, 24, 9)
    frozen_time.set(at)
    with CaptureQueriesContext(connection) as queries:
        result = sweep(at)
    assert (result.clocks, result.sent, result.notices) == (4, {"before_yellow": 4}, 4)
    assert all(reminders_of(case) == 1 for case in due)
    # The hub once; per batch: the clocks, the units' paths, the memberships, what was sent;
    # per reminder: the claim, the record, the notices and the people's choices of copies
    # (and, inside the test's transaction, a savepoint and its release).
    assert len(queries) == 1 + 4 + 6 * 4
