"""A policy's [reminders] table (optional: stored versions without it get the defaults) and
the instants of the three reminder levels it yields (policy.reminders)."""

from __future__ import annotations

import datetime as dt

import pytest

from banchengshi.policy.reminders import Reminder, ReminderLevel, reminders_for
from banchengshi.policy.rules import POLICY_DIR, ReminderTimes, load_policy, parse_policy
from banchengshi.workdays.registry import current_calendar
from tests.cases.conftest import end_of, sh
from tests.policy.test_policies import VALID, error_of

DEFAULTS = ReminderTimes(dt.timedelta(hours=48), dt.time(9), dt.time(17))


@pytest.mark.parametrize("name", ["putuo", "chongming", "liuzhou"])
def test_the_shipped_policies_state_the_defaults(name: str) -> None:
    assert load_policy(name).reminders == DEFAULTS


def test_a_stored_version_without_the_table_gets_the_defaults() -> None:
    # What putuo 2023.2 (stored with the cases accepted under it) looked like.
    old = (POLICY_DIR / "putuo.toml").read_text("utf-8")
    start, end = old.index("[reminders]"), old.index("[limits.")
    old = old[:start] + old[end:]
    assert "[reminders]" not in old
    assert parse_policy(old, "putuo@2023.2").reminders == DEFAULTS


def test_a_table_of_its_own() -> None:
    text = VALID + "\n[reminders]\nbefore_yellow_hours = 0\nwork_starts = 08:30:00\n"
    times = parse_policy(text, "test.toml").reminders
    assert times == ReminderTimes(dt.timedelta(0), dt.time(8, 30), dt.time(17))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            "before_yellow_hours = -1",
            "test.toml: [reminders]: 'before_yellow_hours' must be a whole number from 0 to 720",
        ),
        (
            'work_starts = "09:00"',
            "test.toml: [reminders]: 'work_starts' must be a local time such as 09:00:00",
        ),
        (
            "work_starts = 18:00:00",
            "test.toml: [reminders]: 'work_starts' must be before 'work_ends'",
        ),
        ("lead = 3", "test.toml: [reminders]: unknown keys lead"),
    ],
)
def test_invalid_tables(table: str, message: str) -> None:
    assert error_of(VALID + f"\n[reminders]\n{table}\n") == message


def levels(due: dt.datetime, times: ReminderTimes = DEFAULTS) -> list[tuple[str, dt.datetime]]:
    found = reminders_for(
        due, yellow_window=dt.timedelta(hours=24), times=times, calendar=current_calendar()
    )
    return [(reminder.level.value, reminder.at) for reminder in found]


def test_levels_around_national_day(db: None) -> None:
    # Due Fri 10-09 2026: 48 hours before is in the holiday (10-01 … 10-07); Thursday 09:00.
    assert levels(end_of(2026, 10, 9)) == [
        ("before_yellow", sh(2026, 10, 8, 9)),
        ("yellow", sh(2026, 10, 9, 0)),
        ("red", sh(2026, 10, 10, 0)),
    ]


def test_no_before_yellow_when_switched_off(db: None) -> None:
    off = ReminderTimes(dt.timedelta(0), dt.time(9), dt.time(17))
    assert [level for level, _ in levels(end_of(2026, 12, 1), off)] == ["yellow", "red"]


def test_a_lead_inside_working_hours_is_kept(db: None) -> None:
    # 60 hours before Wed 11-25 23:59:59.999999 is Mon 11-23 11:59:59.999999: a working hour.
    times = ReminderTimes(dt.timedelta(hours=60), dt.time(9), dt.time(17))
    first = reminders_for(
        end_of(2026, 11, 25),
        yellow_window=dt.timedelta(hours=24),
        times=times,
        calendar=current_calendar(),
    )[0]
    assert first == Reminder(
        ReminderLevel.BEFORE_YELLOW, end_of(2026, 11, 23) - dt.timedelta(hours=12)
    )


def test_a_year_nobody_loaded_counts_monday_to_friday(db: None) -> None:
    # 2027 is not known: Tue 2027-01-05 minus 48 hours is Sunday night; Monday 09:00.
    assert levels(end_of(2027, 1, 5))[0] == ("before_yellow", sh(2027, 1, 4, 9))
