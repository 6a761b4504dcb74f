"""Every day of 2024–2026 against an independent copy of the State Council's notices.

The table below is copied by hand from /work/shared/reference/statutory-schedules.md; it must
not be derived from `chinesecalendar` or from the code under test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from banchengshi.workdays.calendar import DayKind, WorkingCalendar
from banchengshi.workdays.registry import build_calendar
from banchengshi.workdays.schedule import builtin_schedule

D = dt.date

# year -> [(name prefix(es) accepted for the day's reason, first day off, last day off)]
HOLIDAYS: dict[int, list[tuple[tuple[str, ...], dt.date, dt.date]]] = {
    2024: [
        (("元旦",), D(2024, 1, 1), D(2024, 1, 1)),
        (("春节",), D(2024, 2, 10), D(2024, 2, 17)),
        (("清明",), D(2024, 4, 4), D(2024, 4, 6)),
        (("劳动",), D(2024, 5, 1), D(2024, 5, 5)),
        (("端午",), D(2024, 6, 10), D(2024, 6, 10)),
        (("中秋",), D(2024, 9, 15), D(2024, 9, 17)),
        (("国庆",), D(2024, 10, 1), D(2024, 10, 7)),
    ],
    2025: [
        (("元旦",), D(2025, 1, 1), D(2025, 1, 1)),
        (("春节",), D(2025, 1, 28), D(2025, 2, 4)),
        (("清明",), D(2025, 4, 4), D(2025, 4, 6)),
        (("劳动",), D(2025, 5, 1), D(2025, 5, 5)),
        (("端午",), D(2025, 5, 31), D(2025, 6, 2)),
        # 国庆、中秋 together: a day may carry either name.
        (("国庆", "中秋"), D(2025, 10, 1), D(2025, 10, 8)),
    ],
    2026: [
        (("元旦",), D(2026, 1, 1), D(2026, 1, 3)),
        (("春节",), D(2026, 2, 15), D(2026, 2, 23)),
        (("清明",), D(2026, 4, 4), D(2026, 4, 6)),
        (("劳动",), D(2026, 5, 1), D(2026, 5, 5)),
        (("端午",), D(2026, 6, 19), D(2026, 6, 21)),
        (("中秋",), D(2026, 9, 25), D(2026, 9, 27)),
        (("国庆",), D(2026, 10, 1), D(2026, 10, 7)),
    ],
}

# Weekend days that are working days (调休上班).
MAKEUP_WORKDAYS: dict[int, set[dt.date]] = {
    2024: {
        D(2024, 2, 4),
        D(2024, 2, 18),
        D(2024, 4, 7),
        D(2024, 4, 28),
        D(2024, 5, 11),
        D(2024, 9, 14),
        D(2024, 9, 29),
        D(2024, 10, 12),
    },
    2025: {
        D(2025, 1, 26),
        D(2025, 2, 8),
        D(2025, 4, 27),
        D(2025, 9, 28),
        D(2025, 10, 11),
    },
    2026: {
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    },
}

WORKING_DAY_TOTALS = {2024: 251, 2025: 248, 2026: 248}
YEARS = (2024, 2025, 2026)

# The "registry" calendar reads the CalendarYear table (empty here: only built-in years).
pytestmark = pytest.mark.django_db


def reference_holiday(day: dt.date) -> tuple[str, ...] | None:
    """The accepted holiday names of `day` per the reference table, None when not a holiday."""
    for names, first, last in HOLIDAYS[day.year]:
        if first <= day <= last:
            return names
    return None


def reference_is_workday(day: dt.date) -> bool:
    if reference_holiday(day) is not None:
        return False
    if day in MAKEUP_WORKDAYS[day.year]:
        return True
    return day.weekday() < 5


def every_day(year: int) -> Iterator[dt.date]:
    day = D(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


@pytest.fixture(params=["builtin", "registry"])
def calendar(request: pytest.FixtureRequest) -> WorkingCalendar:
    """The calendar from the shipped schedules, and as the registry builds it from the DB."""
    if request.param == "builtin":
        return WorkingCalendar({year: builtin_schedule(year) for year in YEARS})
    return build_calendar()


def test_reference_table_is_self_consistent() -> None:
    """The hand copy itself: make-up days are weekend days and the totals match the notes."""
    for year in YEARS:
        for day in MAKEUP_WORKDAYS[year]:
            assert day.weekday() >= 5, day
            assert reference_holiday(day) is None, day
        assert (
            sum(reference_is_workday(day) for day in every_day(year)) == (WORKING_DAY_TOTALS[year])
        )


@pytest.mark.parametrize("year", YEARS)
def test_every_day_matches_the_state_council_notice(calendar: WorkingCalendar, year: int) -> None:
    wrong = [
        (day.isoformat(), calendar.is_workday(day))
        for day in every_day(year)
        if calendar.is_workday(day) != reference_is_workday(day)
    ]
    assert wrong == []


@pytest.mark.parametrize(("year", "total"), sorted(WORKING_DAY_TOTALS.items()))
def test_yearly_working_day_totals(calendar: WorkingCalendar, year: int, total: int) -> None:
    assert sum(calendar.is_workday(day) for day in every_day(year)) == total
    assert len(calendar.workdays_in(D(year, 1, 1), D(year, 12, 31))) == total
    if year - 1 in calendar.schedules:
        assert calendar.workdays_between(D(year - 1, 12, 31), D(year, 12, 31)) == total


def test_new_years_eve_2024_was_a_working_day(calendar: WorkingCalendar) -> None:
    info = calendar.day_info(D(2024, 2, 9))
    assert info.is_workday
    assert info.kind is DayKind.WORKDAY
    assert calendar.is_workday(D(2024, 2, 9))


@pytest.mark.parametrize("year", YEARS)
def test_day_reasons(calendar: WorkingCalendar, year: int) -> None:
    for day in every_day(year):
        info = calendar.day_info(day)
        assert info.date == day
        names = reference_holiday(day)
        if names is not None:
            assert info.kind is DayKind.HOLIDAY, day
            assert info.reason.startswith(names), (day, info.reason)
            assert info.holiday == info.reason
        elif day in MAKEUP_WORKDAYS[year]:
            assert info.kind is DayKind.MAKEUP_WORKDAY, day
            assert info.reason.startswith("make-up workday"), (day, info.reason)
        elif day.weekday() >= 5:
            assert info.kind is DayKind.WEEKEND, day
            assert info.reason == "weekend"
        else:
            assert info.kind is DayKind.WORKDAY, day
            assert info.reason == "workday"


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2024, 10, 1), "国庆节"),
        (D(2025, 1, 29), "春节"),
        (D(2026, 1, 2), "元旦"),
        (D(2026, 6, 19), "端午"),
        (D(2026, 2, 21), "春节"),  # a Saturday inside the holiday is the holiday, not a weekend
        (D(2026, 2, 7), "weekend"),
        (D(2025, 10, 12), "weekend"),
        (D(2024, 2, 9), "workday"),
    ],
)
def test_concrete_reasons(calendar: WorkingCalendar, day: dt.date, reason: str) -> None:
    assert calendar.day_info(day).reason == reason
