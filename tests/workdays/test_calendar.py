"""Working-day arithmetic: counting across holidays and make-up days, unknown years, properties.

Expected dates are worked out by hand from the State Council schedules
(/work/shared/reference/statutory-schedules.md).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from banchengshi.workdays.calendar import DayKind, UnknownYearError, WorkingCalendar
from banchengshi.workdays.schedule import HolidayRange, YearSchedule, builtin_schedule

D = dt.date
CAL = WorkingCalendar({year: builtin_schedule(year) for year in (2024, 2025, 2026)})

# Hypothesis stays far enough from the end of 2026 that 120 working days still fit in it.
FIRST, LAST = D(2024, 1, 1), D(2026, 3, 31)
dates = st.dates(min_value=FIRST, max_value=LAST)
counts = st.integers(min_value=1, max_value=60)


# --- nth_workday_after ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        # Spring Festival 2026: 02-15..02-23 off, Sat 02-14 and Sat 02-28 worked.
        (D(2026, 2, 12), 1, D(2026, 2, 13)),
        (D(2026, 2, 12), 2, D(2026, 2, 14)),  # the make-up Saturday counts
        (D(2026, 2, 12), 3, D(2026, 2, 24)),  # then nine days off
        (D(2026, 2, 13), 7, D(2026, 3, 2)),  # 02-14, 24, 25, 26, 27, 28 (Sat), 03-02
        (D(2026, 2, 15), 1, D(2026, 2, 24)),  # from inside the holiday
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # from the make-up Saturday itself
        # Spring Festival 2025: 01-28..02-04 off, Sun 01-26 and Sat 02-08 worked.
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        (D(2025, 1, 24), 5, D(2025, 2, 7)),  # 01-26, 01-27, 02-05, 02-06, 02-07
        (D(2025, 2, 7), 1, D(2025, 2, 8)),
        (D(2025, 2, 7), 2, D(2025, 2, 10)),
        # National Day 2025: 10-01..10-08 off, Sun 09-28 and Sat 10-11 worked.
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),
        (D(2025, 9, 30), 5, D(2025, 10, 14)),
        (D(2025, 10, 3), 10, D(2025, 10, 21)),
        # National Day 2024: 10-01..10-07 off, Sun 09-29 and Sat 10-12 worked; Mid-Autumn
        # 09-15..09-17 off with Sat 09-14 worked.
        (D(2024, 9, 13), 1, D(2024, 9, 14)),
        (D(2024, 9, 13), 2, D(2024, 9, 18)),
        (D(2024, 9, 27), 1, D(2024, 9, 29)),
        (D(2024, 9, 27), 3, D(2024, 10, 8)),
        (D(2024, 9, 27), 7, D(2024, 10, 12)),
        # New Year 2026 (01-01..01-03 off, Sun 01-04 worked) from the old year.
        (D(2025, 12, 31), 1, D(2026, 1, 4)),
        (D(2025, 12, 31), 2, D(2026, 1, 5)),
        # An ordinary week: Friday + 1 is Monday.
        (D(2025, 3, 7), 1, D(2025, 3, 10)),
        (D(2025, 3, 8), 1, D(2025, 3, 10)),
    ],
)
def test_nth_workday_after(day: dt.date, n: int, expected: dt.date) -> None:
    assert CAL.nth_workday_after(day, n) == expected


@pytest.mark.parametrize("n", [0, -1])
def test_nth_workday_after_needs_a_positive_count(n: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CAL.nth_workday_after(D(2025, 3, 3), n)


# --- workday_on_or_after, workdays_between, workdays_in ------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 3, 5), D(2025, 3, 5)),  # a Wednesday
        (D(2025, 3, 8), D(2025, 3, 10)),  # a Saturday
        (D(2025, 10, 1), D(2025, 10, 9)),  # National Day
        (D(2025, 10, 11), D(2025, 10, 11)),  # make-up Saturday
        (D(2024, 9, 29), D(2024, 9, 29)),  # make-up Sunday
        (D(2026, 2, 15), D(2026, 2, 24)),
        (D(2026, 1, 1), D(2026, 1, 4)),  # the make-up Sunday ends New Year 2026
    ],
)
def test_workday_on_or_after(day: dt.date, expected: dt.date) -> None:
    assert CAL.workday_on_or_after(day) == expected


@pytest.mark.parametrize(
    ("after", "through", "expected"),
    [
        (D(2025, 9, 30), D(2025, 10, 14), 5),
        (D(2025, 9, 30), D(2025, 10, 8), 0),
        (D(2025, 9, 30), D(2025, 9, 30), 0),
        (D(2026, 2, 13), D(2026, 3, 2), 7),
        (D(2026, 2, 14), D(2026, 2, 23), 0),
        (D(2025, 10, 14), D(2025, 9, 30), -5),
        (D(2024, 1, 1), D(2024, 12, 31), 251),  # 01-01 is New Year: nothing lost
        (D(2024, 1, 2), D(2024, 12, 31), 250),  # the day `after` itself is never counted
        (D(2024, 12, 31), D(2025, 12, 31), 248),
        (D(2025, 12, 31), D(2026, 12, 31), 248),
    ],
)
def test_workdays_between(after: dt.date, through: dt.date, expected: int) -> None:
    assert CAL.workdays_between(after, through) == expected


def test_workdays_in_lists_the_working_days() -> None:
    assert CAL.workdays_in(D(2025, 9, 27), D(2025, 10, 13)) == [
        D(2025, 9, 28),
        D(2025, 9, 29),
        D(2025, 9, 30),
        D(2025, 10, 9),
        D(2025, 10, 10),
        D(2025, 10, 11),
        D(2025, 10, 13),
    ]


def test_days_gives_every_day_with_its_kind() -> None:
    days = CAL.days(D(2026, 2, 13), D(2026, 2, 24))
    assert [d.date for d in days] == [D(2026, 2, 13) + dt.timedelta(days=i) for i in range(12)]
    assert [d.kind for d in days] == [
        DayKind.WORKDAY,
        DayKind.MAKEUP_WORKDAY,
        *[DayKind.HOLIDAY] * 9,
        DayKind.WORKDAY,
    ]
    assert days[1].reason == "make-up workday (春节)"
    assert {d.reason for d in days[2:11]} == {"春节"}


# --- unknown years ---------------------------------------------------------------------------


def test_crossing_into_an_unknown_year_names_it() -> None:
    with pytest.raises(UnknownYearError, match="2027") as caught:
        CAL.nth_workday_after(D(2026, 12, 30), 5)
    assert caught.value.year == 2027
    assert "banchengshi calendar load" in str(caught.value)


def test_last_known_days_still_count() -> None:
    # 2026-12-30 is a Wednesday: day 1 is Thursday 12-31, the last known day.
    assert CAL.nth_workday_after(D(2026, 12, 30), 1) == D(2026, 12, 31)
    with pytest.raises(UnknownYearError) as caught:
        CAL.nth_workday_after(D(2026, 12, 30), 2)
    assert caught.value.year == 2027


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.day_info(D(2027, 1, 4)),
        lambda: CAL.is_workday(D(2027, 1, 4)),
        lambda: CAL.nth_workday_after(D(2027, 1, 4), 1),
        lambda: CAL.workday_on_or_after(D(2027, 1, 4)),
        lambda: CAL.workdays_between(D(2026, 12, 1), D(2027, 1, 4)),
        lambda: CAL.days(D(2026, 12, 30), D(2027, 1, 2)),
        lambda: CAL.workdays_in(D(2026, 12, 30), D(2027, 1, 2)),
        lambda: CAL.workday_on_or_after(D(2026, 12, 31) + dt.timedelta(days=1)),
    ],
)
def test_every_question_about_2027_raises(call: object) -> None:
    assert callable(call)
    with pytest.raises(UnknownYearError) as caught:
        call()
    assert caught.value.year == 2027


def test_a_year_before_the_known_ones_is_named() -> None:
    cal = WorkingCalendar({2026: builtin_schedule(2026)})
    with pytest.raises(UnknownYearError) as caught:
        cal.nth_workday_after(D(2025, 12, 31), 1)
    assert caught.value.year == 2025


def _year_2028() -> YearSchedule:
    # A made-up schedule: New Year on Sat 2028-01-01 with Mon 01-03 off too.
    return YearSchedule(
        2028,
        (HolidayRange("元旦", D(2028, 1, 1), D(2028, 1, 3)),),
        (),
        "test",
    )


def test_a_gap_between_known_years_is_never_skipped() -> None:
    cal = WorkingCalendar({2026: builtin_schedule(2026), 2028: _year_2028()})
    assert cal.years == [2026, 2028]
    with pytest.raises(UnknownYearError) as caught:
        cal.nth_workday_after(D(2026, 12, 30), 5)
    assert caught.value.year == 2027
    with pytest.raises(UnknownYearError) as caught:
        cal.workdays_between(D(2026, 12, 30), D(2028, 1, 10))
    assert caught.value.year == 2027
    with pytest.raises(UnknownYearError) as caught:
        cal.days(D(2026, 12, 30), D(2028, 1, 10))
    assert caught.value.year == 2027
    with pytest.raises(UnknownYearError) as caught:
        cal.day_info(D(2027, 7, 1))
    assert caught.value.year == 2027
    # Within each known year the calendar still answers.
    assert cal.nth_workday_after(D(2026, 12, 30), 1) == D(2026, 12, 31)
    assert cal.nth_workday_after(D(2027, 12, 31) + dt.timedelta(days=1), 1) == D(2028, 1, 4)
    assert cal.workdays_between(D(2028, 1, 1), D(2028, 1, 7)) == 4


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(day=dates, n=counts)
def test_day_n_is_a_working_day_after_the_receipt(day: dt.date, n: int) -> None:
    due = CAL.nth_workday_after(day, n)
    assert due > day
    assert CAL.is_workday(due)
    counted = CAL.workdays_in(day + dt.timedelta(days=1), due)
    assert len(counted) == n
    assert counted[-1] == due
    assert all(CAL.is_workday(d) for d in counted)
    # Every day in (day, due] that is not counted is a non-working day.
    span = CAL.days(day + dt.timedelta(days=1), due)
    assert [info.date for info in span if info.is_workday] == counted


@settings(max_examples=300, deadline=None)
@given(day=dates, n=counts, m=counts)
def test_adding_n_then_m_is_adding_n_plus_m(day: dt.date, n: int, m: int) -> None:
    # Holds for any day, working or not: day n is always a working day, and counting from a
    # working day starts with the next one.
    assert CAL.nth_workday_after(CAL.nth_workday_after(day, n), m) == CAL.nth_workday_after(
        day, n + m
    )


@settings(max_examples=300, deadline=None)
@given(day=dates, n=counts)
def test_workdays_between_inverts_nth_workday_after(day: dt.date, n: int) -> None:
    assert CAL.workdays_between(day, CAL.nth_workday_after(day, n)) == n
    assert CAL.workdays_between(CAL.nth_workday_after(day, n), day) == -n


@settings(max_examples=300, deadline=None)
@given(day=dates, n=st.integers(min_value=2, max_value=60))
def test_from_a_non_working_day_the_first_working_day_is_day_1(day: dt.date, n: int) -> None:
    first = CAL.workday_on_or_after(day)
    assert CAL.is_workday(first)
    assert first >= day
    if CAL.is_workday(day):
        assert first == day
    else:
        assert CAL.nth_workday_after(day, 1) == first
        assert CAL.nth_workday_after(day, n) == CAL.nth_workday_after(first, n - 1)
        assert CAL.workdays_between(day, first) == 1
