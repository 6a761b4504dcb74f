"""Who each reminder level reaches, by the clock's unit (reminders.toml): the handling unit,
the unit asked to co-handle, the window that refused, the hub; a unit without a leader passes
the yellow reminder to the nearest leader above it, else to its own handlers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from banchengshi.cases.actions.cohandling import check_answer_cohandling, check_request_cohandling
from banchengshi.cases.actions.dispatch import do_dispatch_down
from banchengshi.cases.models import Case, ClockKind, CoHandlingTask
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh
from tests.cases.test_reminders import HUB_AND_OFFICE, Sweeper, midnight

# Everything below is started on Fri 2026-11-20 10:00 with 3 working days: due Wed 11-25.
BEFORE_YELLOW, YELLOW, RED = sh(2026, 11, 24, 9), midnight(2026, 11, 25), midnight(2026, 11, 26)


def cohandled(cases: CaseBuilder) -> Case:
    case = cases.in_progress(complexity="general")
    check_request_cohandling(
        cases.org.handler_a,
        case.pk,
        unit_id=cases.org.dept_b.pk,
        request="请核实社保缴费记录",
        days=3,
    )
    return case


def passed_down(cases: CaseBuilder) -> Case:
    case = cases.in_progress(complexity="general")
    return do_dispatch_down(cases.org.handler_a, case.pk, unit_id=cases.org.center_a1.pk)


SCENARIOS: dict[str, tuple[Callable[[CaseBuilder], Case], str, list[list[str]]]] = {
    "handling unit": (
        lambda cases: cases.in_progress(complexity="general"),
        ClockKind.REPLY,
        [["handlerA"], ["leaderA"], HUB_AND_OFFICE],
    ),
    # Center A1 has a handler but no leader: its department's leader hears at yellow.
    "passed down to a center": (
        passed_down,
        ClockKind.REPLY,
        [["handlerA1"], ["leaderA"], HUB_AND_OFFICE],
    ),
    # Department B has no leader at all, nor a unit above: its handler hears at yellow.
    "co-handling task": (
        cohandled,
        ClockKind.COHANDLING,
        [["handlerB"], ["handlerB"], HUB_AND_OFFICE],
    ),
    "refused at the window": (
        lambda cases: cases.not_admissible(),
        ClockKind.NOT_ADMISSIBLE_REPLY,
        [["clerk"], ["windowhead"], HUB_AND_OFFICE],
    ),
    "waiting at the hub": (
        lambda cases: cases.awaiting(complexity="general"),
        ClockKind.REPLY,
        [["dispatcher"], ["dispatcher"], HUB_AND_OFFICE],
    ),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_recipients(org: Org, cases: CaseBuilder, frozen_time: FrozenTime, scenario: str) -> None:
    build, kind, (first, second, third) = SCENARIOS[scenario]
    case = build(cases)
    run = Sweeper(frozen_time, case, kind)
    assert run.at(BEFORE_YELLOW) == [("before_yellow", first)]
    assert run.at(YELLOW) == [("yellow", second)]
    assert run.at(RED) == [("red", third)]


def test_return_visit_reminds_the_hub(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    frozen_time.set(sh(2026, 11, 18))  # replied on Wed 11-18: 3 WD, due Mon 11-23
    case = cases.replied(complexity="general")
    frozen_time.set(sh(2026, 11, 20))
    run = Sweeper(frozen_time, case, ClockKind.RETURN_VISIT)
    # 48 hours before is Saturday night; Monday morning is already yellow.
    assert run.at(sh(2026, 11, 21, 9)) == []
    assert run.at(midnight(2026, 11, 23)) == [("yellow", ["dispatcher"])]
    assert run.at(midnight(2026, 11, 24)) == [("red", HUB_AND_OFFICE)]


def test_an_answered_task_is_not_reminded(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    case = cohandled(cases)
    run = Sweeper(frozen_time, case, ClockKind.COHANDLING)
    assert run.at(BEFORE_YELLOW) == [("before_yellow", ["handlerB"])]
    task = CoHandlingTask.objects.get(case=case)
    check_answer_cohandling(org.handler_b, case.pk, task_id=task.pk, answer="已核实，缴费记录完整")
    assert run.at(YELLOW) == []
    assert run.at(RED + dt.timedelta(days=1)) == []


def test_inactive_people_are_not_reminded(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    case = cases.in_progress(complexity="general")
    org.leader_a.is_active = False
    org.leader_a.save()
    run = Sweeper(frozen_time, case)
    assert run.at(BEFORE_YELLOW) == [("before_yellow", ["handlerA"])]
    # Nobody active leads department A: its handler hears of yellow instead.
    assert run.at(YELLOW) == [("yellow", ["handlerA"])]
