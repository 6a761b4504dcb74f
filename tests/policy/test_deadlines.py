"""Deadlines under the shipped policies (R-SLA-2) and their colours (R-SLA-4).

Every expected date was counted by hand on the State Council schedules
(/work/shared/reference/statutory-schedules.md): the day of receipt is not counted, day 1 is
the first working day after it, and the deadline is the end of day N in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from banchengshi.policy.deadlines import (
    Colour,
    Deadline,
    compute_deadline,
    deadline_colour,
    end_of_day,
    local_date,
)
from banchengshi.policy.rules import Limit, LimitRule, load_policy
from banchengshi.workdays.calendar import WorkingCalendar
from banchengshi.workdays.schedule import builtin_schedule

D = dt.date
CST = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai has had no DST since 1991
UTC = dt.UTC
CAL = WorkingCalendar({year: builtin_schedule(year) for year in (2024, 2025, 2026)})


def at(text: str) -> dt.datetime:
    instant = dt.datetime.fromisoformat(text)
    assert instant.tzinfo is not None
    return instant


def deadline(policy: str, limit: str, received: str) -> Deadline:
    return compute_deadline(CAL, load_policy(policy).limit(limit), at(received))


def days(*spec: str) -> list[dt.date]:
    """`days("2025-10-09", "2025-10-10")` and ranges `"2025-10-01..2025-10-08"`."""
    result: list[dt.date] = []
    for item in spec:
        first, _, last = item.partition("..")
        day, end = D.fromisoformat(first), D.fromisoformat(last or first)
        while day <= end:
            result.append(day)
            day += dt.timedelta(days=1)
    return result


# (policy, limit, received, due date, counted days, skipped days)
CASES = [
    # --- National Day 2025: 10-01..10-08 off; Sun 09-28 and Sat 10-11 worked ---
    (
        "chongming",
        "reply.complex",
        "2025-09-30T10:00:00+08:00",
        "2025-10-14",
        days("2025-10-09..2025-10-11", "2025-10-13", "2025-10-14"),
        days("2025-10-01..2025-10-08", "2025-10-12"),
    ),
    (
        # Received on the make-up Sunday.
        "putuo",
        "reply.general",
        "2025-09-28T15:00:00+08:00",
        "2025-10-09",
        days("2025-09-29", "2025-09-30", "2025-10-09"),
        days("2025-10-01..2025-10-08"),
    ),
    (
        "putuo",
        "reply.complex",
        "2025-09-26T09:00:00+08:00",
        "2025-10-13",
        days("2025-09-28..2025-09-30", "2025-10-09..2025-10-11", "2025-10-13"),
        days("2025-09-27", "2025-10-01..2025-10-08", "2025-10-12"),
    ),
    (
        # Received on a holiday.
        "liuzhou",
        "reply.department_side",
        "2025-10-03T11:00:00+08:00",
        "2025-10-21",
        days("2025-10-09..2025-10-11", "2025-10-13..2025-10-17", "2025-10-20", "2025-10-21"),
        days("2025-10-04..2025-10-08", "2025-10-12", "2025-10-18", "2025-10-19"),
    ),
    # --- National Day 2024: 10-01..10-07 off; Sun 09-29 and Sat 10-12 worked ---
    (
        # The adjusted Sunday is day 1.
        "chongming",
        "contact",
        "2024-09-28T09:00:00+08:00",
        "2024-09-29",
        days("2024-09-29"),
        [],
    ),
    (
        "putuo",
        "reply.complex",
        "2024-09-27T16:00:00+08:00",
        "2024-10-12",
        days("2024-09-29", "2024-09-30", "2024-10-08..2024-10-12"),
        days("2024-09-28", "2024-10-01..2024-10-07"),
    ),
    (
        # Late in the evening, Shanghai time.
        "liuzhou",
        "reply.petitioner_side",
        "2024-09-30T23:30:00+08:00",
        "2024-10-10",
        days("2024-10-08..2024-10-10"),
        days("2024-10-01..2024-10-07"),
    ),
    (
        # Mid-Autumn 2024: 09-15..09-17 off, Sat 09-14 worked.
        "putuo",
        "not_admissible",
        "2024-09-13T10:00:00+08:00",
        "2024-09-19",
        days("2024-09-14", "2024-09-18", "2024-09-19"),
        days("2024-09-15..2024-09-17"),
    ),
    (
        # 20:00 UTC on 10-07 (a holiday) is 04:00 on Tuesday 10-08 in Shanghai: day 1 is 10-09.
        "chongming",
        "contact",
        "2024-10-07T20:00:00+00:00",
        "2024-10-09",
        days("2024-10-09"),
        [],
    ),
    # --- Spring Festival 2026: 02-15..02-23 off; Sat 02-14 and Sat 02-28 worked ---
    (
        "chongming",
        "reply.general",
        "2026-02-12T10:00:00+08:00",
        "2026-02-24",
        days("2026-02-13", "2026-02-14", "2026-02-24"),
        days("2026-02-15..2026-02-23"),
    ),
    (
        "putuo",
        "reply.complex",
        "2026-02-13T10:00:00+08:00",
        "2026-03-02",
        days("2026-02-14", "2026-02-24..2026-02-28", "2026-03-02"),
        days("2026-02-15..2026-02-23", "2026-03-01"),
    ),
    (
        # Received on the make-up Saturday 02-14.
        "liuzhou",
        "reply.department_side",
        "2026-02-14T10:00:00+08:00",
        "2026-03-06",
        days("2026-02-24..2026-02-28", "2026-03-02..2026-03-06"),
        days("2026-02-15..2026-02-23", "2026-03-01"),
    ),
    (
        # Received on the make-up Saturday 02-28.
        "chongming",
        "reply.general",
        "2026-02-28T09:00:00+08:00",
        "2026-03-04",
        days("2026-03-02..2026-03-04"),
        days("2026-03-01"),
    ),
    # --- Spring Festival 2025: 01-28..02-04 off; Sun 01-26 and Sat 02-08 worked ---
    (
        "chongming",
        "reply.complex",
        "2025-01-24T10:00:00+08:00",
        "2025-02-07",
        days("2025-01-26", "2025-01-27", "2025-02-05..2025-02-07"),
        days("2025-01-25", "2025-01-28..2025-02-04"),
    ),
    (
        # 23:30 in Shanghai on Monday 01-27.
        "putuo",
        "reply.general",
        "2025-01-27T23:30:00+08:00",
        "2025-02-07",
        days("2025-02-05..2025-02-07"),
        days("2025-01-28..2025-02-04"),
    ),
    (
        # 16:30 UTC on Sunday 01-26 is 00:30 on Monday 01-27 in Shanghai. Counting from the
        # UTC date would give 01-27, 02-05, 02-06.
        "putuo",
        "reply.general",
        "2025-01-26T16:30:00Z",
        "2025-02-07",
        days("2025-02-05..2025-02-07"),
        days("2025-01-28..2025-02-04"),
    ),
    (
        "putuo",
        "extension.max_total",
        "2025-02-07T10:00:00+08:00",
        "2025-02-20",
        days("2025-02-08", "2025-02-10..2025-02-14", "2025-02-17..2025-02-20"),
        days("2025-02-09", "2025-02-15", "2025-02-16"),
    ),
]


@pytest.mark.parametrize(
    ("policy", "limit", "received", "due_date", "counted", "skipped"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES],
)
def test_deadline(
    policy: str,
    limit: str,
    received: str,
    due_date: str,
    counted: list[dt.date],
    skipped: list[dt.date],
) -> None:
    result = deadline(policy, limit, received)
    assert result.due_date == D.fromisoformat(due_date)
    assert result.due == dt.datetime.fromisoformat(f"{due_date}T23:59:59.999999+08:00")
    assert result.received == at(received)
    explanation = result.explain(CAL)
    assert explanation.counted == counted
    assert [info.date for info in explanation.skipped] == skipped
    assert len(counted) == load_policy(policy).limit(limit).days


def test_the_chongming_example_explains_its_skipped_days() -> None:
    explanation = deadline("chongming", "reply.complex", "2025-09-30T10:00:00+08:00").explain(CAL)
    reasons = {info.date: info.reason for info in explanation.skipped}
    assert reasons[D(2025, 10, 1)] == "国庆节"
    assert reasons[D(2025, 10, 8)] == "国庆节"
    assert reasons[D(2025, 10, 12)] == "weekend"
    assert set(reasons.values()) <= {"国庆节", "中秋", "weekend"}
    assert all(not info.is_workday for info in explanation.skipped)


def test_the_due_instant_is_the_end_of_the_day_in_shanghai() -> None:
    due = deadline("chongming", "reply.complex", "2025-09-30T10:00:00+08:00").due
    assert due.isoformat() == "2025-10-14T23:59:59.999999+08:00"
    assert due.astimezone(UTC) == dt.datetime(2025, 10, 14, 15, 59, 59, 999999, tzinfo=UTC)
    assert end_of_day(D(2025, 10, 14)) == due


@pytest.mark.parametrize(
    ("received", "day"),
    [
        ("2025-01-26T16:30:00+00:00", D(2025, 1, 27)),
        ("2025-01-26T15:59:59.999999+00:00", D(2025, 1, 26)),
        ("2025-01-27T00:00:00+08:00", D(2025, 1, 27)),
        ("2025-01-27T08:00:00-08:00", D(2025, 1, 28)),
    ],
)
def test_local_date_is_the_shanghai_date(received: str, day: dt.date) -> None:
    assert local_date(at(received)) == day


def test_a_naive_instant_is_refused() -> None:
    naive = dt.datetime(2025, 3, 3, 10, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="time zone"):
        compute_deadline(CAL, load_policy("putuo").limit("reply.general"), naive)


# --- same day --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "limit", "received", "due_date", "skipped"),
    [
        # On a working day: the end of that day, even received a minute before midnight.
        ("putuo", "cause_analysis", "2025-09-30T10:00:00+08:00", "2025-09-30", []),
        ("putuo", "reply.simple", "2025-09-30T23:59:00+08:00", "2025-09-30", []),
        ("chongming", "reply.simple", "2024-09-29T08:00:00+08:00", "2024-09-29", []),  # make-up
        ("putuo", "reply.simple", "2026-02-14T17:00:00+08:00", "2026-02-14", []),  # make-up
        # On a non-working day: the end of the next working day.
        (
            "putuo",
            "cause_analysis",
            "2025-10-01T09:00:00+08:00",
            "2025-10-09",
            days("2025-10-01..2025-10-08"),
        ),
        (
            "chongming",
            "reply.simple",
            "2026-02-15T09:00:00+08:00",
            "2026-02-24",
            days("2026-02-15..2026-02-23"),
        ),
        (
            "chongming",
            "reply.simple",
            "2025-10-12T09:00:00+08:00",
            "2025-10-13",
            days("2025-10-12"),
        ),
        ("putuo", "reply.simple", "2026-03-01T12:00:00+08:00", "2026-03-02", days("2026-03-01")),
        # 17:00 UTC on Friday is 01:00 on Saturday in Shanghai: the next Monday.
        (
            "putuo",
            "reply.simple",
            "2025-03-07T17:00:00+00:00",
            "2025-03-10",
            days("2025-03-08..2025-03-09"),
        ),
        # 10:00 UTC on Friday is still Friday in Shanghai.
        ("putuo", "reply.simple", "2025-03-07T10:00:00+00:00", "2025-03-07", []),
    ],
)
def test_same_day(
    policy: str, limit: str, received: str, due_date: str, skipped: list[dt.date]
) -> None:
    result = deadline(policy, limit, received)
    assert result.due_date == D.fromisoformat(due_date)
    assert result.due.isoformat() == f"{due_date}T23:59:59.999999+08:00"
    explanation = result.explain(CAL)
    assert explanation.counted == [D.fromisoformat(due_date)]
    assert [info.date for info in explanation.skipped] == skipped


def test_same_day_on_a_holiday_explains_the_holiday() -> None:
    explanation = deadline("putuo", "cause_analysis", "2026-10-03T09:00:00+08:00").explain(CAL)
    assert explanation.counted == [D(2026, 10, 8)]
    assert [(i.date, i.reason) for i in explanation.skipped] == [
        (D(2026, 10, day), "国庆节") for day in range(3, 8)
    ]


# --- colours ---------------------------------------------------------------------------------

DUE = dt.datetime(2025, 10, 14, 23, 59, 59, 999999, tzinfo=CST)
US = dt.timedelta(microseconds=1)
DAY = dt.timedelta(hours=24)


@pytest.mark.parametrize(
    ("instant", "colour"),
    [
        (DUE - dt.timedelta(days=5), Colour.GREEN),
        (DUE - DAY - US, Colour.GREEN),
        (DUE - DAY, Colour.GREEN),  # exactly 24 h left: not yet less than 24 h
        (DUE - DAY + US, Colour.YELLOW),
        (DUE - dt.timedelta(hours=1), Colour.YELLOW),
        (DUE, Colour.YELLOW),  # at the deadline it is not yet overdue
        (DUE + US, Colour.RED),
        (DUE + dt.timedelta(days=3), Colour.RED),
        # The same instants written in UTC.
        (dt.datetime(2025, 10, 13, 15, 59, 59, 999999, tzinfo=UTC), Colour.GREEN),
        (dt.datetime(2025, 10, 13, 16, 0, tzinfo=UTC), Colour.YELLOW),
        (dt.datetime(2025, 10, 14, 16, 0, tzinfo=UTC), Colour.RED),
        (dt.datetime(2025, 10, 15, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai")), Colour.RED),
    ],
)
def test_deadline_colour(instant: dt.datetime, colour: Colour) -> None:
    assert deadline_colour(DUE, instant) is colour
    assert deadline_colour(DUE, instant, load_policy("chongming").yellow_window) is colour


def test_colour_of_a_computed_deadline() -> None:
    due = deadline("chongming", "reply.complex", "2025-09-30T10:00:00+08:00").due
    assert deadline_colour(due, at("2025-10-13T23:59:59.999999+08:00")) is Colour.GREEN
    assert deadline_colour(due, at("2025-10-14T00:00:00+08:00")) is Colour.YELLOW
    assert deadline_colour(due, at("2025-10-14T23:59:59.999999+08:00")) is Colour.YELLOW
    assert deadline_colour(due, at("2025-10-15T00:00:00+08:00")) is Colour.RED


def test_a_wider_yellow_window() -> None:
    window = dt.timedelta(hours=48)
    assert deadline_colour(DUE, DUE - window, window) is Colour.GREEN
    assert deadline_colour(DUE, DUE - window + US, window) is Colour.YELLOW
    assert deadline_colour(DUE, DUE - DAY - US, window) is Colour.YELLOW


# --- properties ------------------------------------------------------------------------------

ZONES = [
    UTC,
    ZoneInfo("Asia/Shanghai"),
    ZoneInfo("America/Los_Angeles"),
    ZoneInfo("Pacific/Kiritimati"),
]
LIMITS = [
    Limit("same", LimitRule.SAME_DAY, 0, ""),
    *(Limit(f"days.{n}", LimitRule.WORKING_DAYS, n, "") for n in (1, 2, 3, 5, 7, 10, 30, 60)),
]


@settings(max_examples=400, deadline=None)
@given(
    received=st.datetimes(
        # Hypothesis takes naive bounds and attaches the zones itself.
        min_value=dt.datetime(2024, 1, 2),  # noqa: DTZ001
        max_value=dt.datetime(2026, 9, 1),  # noqa: DTZ001
        timezones=st.sampled_from(ZONES),
    ),
    limit=st.sampled_from(LIMITS),
)
def test_due_is_never_before_receipt_and_counts_only_working_days(
    received: dt.datetime, limit: Limit
) -> None:
    result = compute_deadline(CAL, limit, received)
    assert result.due >= received
    shanghai_day = received.astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert result.due_date >= shanghai_day
    assert CAL.is_workday(result.due_date)
    explanation = result.explain(CAL)
    assert all(CAL.is_workday(day) for day in explanation.counted)
    assert all(not info.is_workday for info in explanation.skipped)
    if limit.rule is LimitRule.SAME_DAY:
        assert explanation.counted == [result.due_date]
        # Either the receipt day itself, or the first working day after a run of days off.
        assert (result.due_date == shanghai_day) == CAL.is_workday(shanghai_day)
    else:
        assert result.due_date > shanghai_day
        assert len(explanation.counted) == limit.days
        assert explanation.counted[-1] == result.due_date
        # Counted and skipped days cover (receipt, due] exactly, each day once.
        covered = sorted([*explanation.counted, *(i.date for i in explanation.skipped)])
        assert covered == [
            shanghai_day + dt.timedelta(days=i)
            for i in range(1, (result.due_date - shanghai_day).days + 1)
        ]
