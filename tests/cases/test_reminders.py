"""Deadline reminders (R-SLA-6): each level once at its instant, to the right people, under
each policy; re-armed by a new deadline; silent while suspended; a sweep whose queries do not
depend on the cases kept. Instants are counted by hand on the 2026 schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from banchengshi.cases.models import Case, Clock, ClockKind
from banchengshi.cases.reminders import Step, step, sweep
from banchengshi.notify.models import Notification, ReminderSent
from banchengshi.policy.reminders import Reminder, ReminderLevel
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, end_of, sh

Switch = Callable[[str], None]
POLICIES = ("putuo", "chongming", "liuzhou")
MINUTES_5 = dt.timedelta(minutes=5)


def midnight(year: int, month: int, day: int) -> dt.datetime:
    return sh(year, month, day, 0)


def notices(case: Case, kind: str = ClockKind.REPLY) -> list[tuple[str, list[str]]]:
    """(level, recipients' user names) of each reminder sent about one clock kind of a case."""
    groups: dict[tuple[str, str], list[str]] = {}
    rows = Notification.objects.filter(case=case).select_related("user").order_by("id")
    for row in rows:
        if row.params.get("clock") == kind:
            key = (row.params["due"], row.params["level"])
            groups.setdefault(key, []).append(row.user.username)
    return [(level, sorted(users)) for (_, level), users in groups.items()]


class Sweeper:
    """Runs the sweep at instants and tells what each run added for one case and clock."""

    def __init__(self, frozen_time: FrozenTime, case: Case, kind: str = ClockKind.REPLY) -> None:
        self.frozen_time, self.case, self.kind = frozen_time, case, kind
        self.seen = 0

    def at(self, instant: dt.datetime) -> list[tuple[str, list[str]]]:
        self.frozen_time.set(instant)
        sweep(instant)
        everything = notices(self.case, self.kind)
        new, self.seen = everything[self.seen :], len(everything)
        return new


HANDLER = ["handlerA"]
LEADER = ["leaderA"]
HUB_AND_OFFICE = ["dispatcher", "officeadmin"]


# A reply clock of 3 working days (putuo and chongming "general", liuzhou's petitioner side
# before the cause is known) received at 10:00 on `received`: its deadline and the instants of
# its three levels.
SCHEDULES = {
    # Due Tue 12-01; 48 hours before is Sunday night: the handlers hear on Monday morning.
    "weekend": (sh(2026, 11, 26), end_of(2026, 12, 1), sh(2026, 11, 30, 9), midnight(2026, 12, 1)),
    # Received Thu 09-17: Fri 18, Sun 20 (调休, a make-up workday), Mon 21. 48 hours before
    # is Saturday night; the next working hours are the make-up Sunday's morning.
    "makeup_workday": (
        sh(2026, 9, 17),
        end_of(2026, 9, 21),
        sh(2026, 9, 20, 9),
        midnight(2026, 9, 21),
    ),
}


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("schedule", SCHEDULES)
def test_each_level_once_at_its_instant(
    org: Org,
    cases: CaseBuilder,
    frozen_time: FrozenTime,
    use_policy: Switch,
    policy: str,
    schedule: str,
) -> None:
    received, due, before_yellow, yellow = SCHEDULES[schedule]
    red = due + dt.timedelta(microseconds=1)
    use_policy(policy)
    frozen_time.set(received)
    case = cases.in_progress(complexity="general")
    clock = Clock.objects.get(case=case, kind=ClockKind.REPLY)
    assert clock.due == due
    assert (clock.remind_at, clock.remind_level) == (before_yellow, "before_yellow")

    run = Sweeper(frozen_time, case)
    assert run.at(before_yellow - MINUTES_5) == []
    assert run.at(before_yellow) == [("before_yellow", HANDLER)]
    assert run.at(before_yellow + MINUTES_5) == []
    assert run.at(yellow - MINUTES_5) == []
    assert run.at(yellow) == [("yellow", LEADER)]
    assert run.at(yellow) == []  # the same slot again
    assert run.at(red - MINUTES_5) == []
    assert run.at(red) == [("red", HUB_AND_OFFICE)]
    assert run.at(red + dt.timedelta(days=3)) == []
    assert Clock.objects.get(pk=clock.pk).remind_at is None
    assert ReminderSent.objects.filter(clock=clock).count() == 3


def test_before_yellow_is_left_out_when_the_next_working_hours_are_yellow(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    # Received Wed 11-25: due Mon 11-30. 48 hours before is Saturday night, and Monday 09:00
    # is already yellow: the handlers are told nothing before the leader.
    frozen_time.set(sh(2026, 11, 25))
    case = cases.in_progress(complexity="general")
    assert Clock.objects.get(case=case, kind=ClockKind.REPLY).remind_at == midnight(2026, 11, 30)
    run = Sweeper(frozen_time, case)
    assert run.at(sh(2026, 11, 29, 23, 55)) == []
    assert run.at(midnight(2026, 11, 30)) == [("yellow", LEADER)]


def test_a_clock_armed_inside_yellow_sends_only_yellow(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    # Putuo's cause analysis is due the same day: yellow at once, not before-yellow as well.
    case = cases.in_progress()
    run = Sweeper(frozen_time, case, ClockKind.CAUSE_ANALYSIS)
    assert run.at(sh(2026, 11, 20, 10, 5)) == [("yellow", LEADER)]
    assert run.at(midnight(2026, 11, 21)) == [("red", HUB_AND_OFFICE)]


def test_before_yellow_missed_in_working_hours_is_not_sent_at_night(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime
) -> None:
    frozen_time.set(sh(2026, 11, 23, 10))  # Monday: 3 WD, due Thu 11-26
    case = cases.in_progress(complexity="general")
    clock = Clock.objects.get(case=case, kind=ClockKind.REPLY)
    assert clock.remind_at == sh(2026, 11, 25, 9)
    run = Sweeper(frozen_time, case)
    # No sweep ran on Wednesday (the scheduler was down); the next runs at 18:00. Thursday's
    # working hours are yellow already, so the leader's reminder is the next one.
    assert run.at(sh(2026, 11, 25, 18)) == []
    clock.refresh_from_db()
    assert (clock.remind_at, clock.remind_level) == (midnight(2026, 11, 26), "yellow")
    assert run.at(midnight(2026, 11, 26)) == [("yellow", LEADER)]


BY = Reminder(ReminderLevel.BEFORE_YELLOW, sh(2026, 11, 25, 16, 30))
YELLOW = Reminder(ReminderLevel.YELLOW, midnight(2026, 11, 27))
RED = Reminder(ReminderLevel.RED, midnight(2026, 11, 28))
MORNING = sh(2026, 11, 26, 9)


@pytest.mark.parametrize(
    ("now", "in_hours", "expected"),
    [
        (sh(2026, 11, 25, 16, 35), True, Step(BY, YELLOW)),
        # 17:25 is after hours but less than an hour late: a sweep that ran late still sends.
        (sh(2026, 11, 25, 17, 25), False, Step(BY, YELLOW)),
        # 18:00 is more than an hour late: kept for the next morning.
        (
            sh(2026, 11, 25, 18),
            False,
            Step(None, Reminder(ReminderLevel.BEFORE_YELLOW, MORNING)),
        ),
        (sh(2026, 11, 27, 3), False, Step(YELLOW, RED)),
        (sh(2026, 11, 28, 3), False, Step(RED, None)),
        (sh(2026, 11, 25, 16), True, Step(None, BY)),
    ],
)
def test_step(now: dt.datetime, in_hours: bool, expected: Step) -> None:
    assert step([BY, YELLOW, RED], now, in_hours, MORNING) == expected


def test_a_deferred_before_yellow_gives_way_to_yellow() -> None:
    late = sh(2026, 11, 27, 9)
    assert step([BY, YELLOW, RED], sh(2026, 11, 25, 18), False, late) == Step(None, YELLOW)
