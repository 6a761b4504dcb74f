"""`year_loaded`: sent inside the loading transaction with the calendar that holds the year;
a receiver that fails rolls the load back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from banchengshi.workdays.actions import check_load_calendar_year, do_load_calendar_year
from banchengshi.workdays.models import CalendarYear
from banchengshi.workdays.signals import Recomputation, year_loaded
from tests.workdays.test_schedule_files import EXAMPLE_2027

pytestmark = pytest.mark.django_db


def load() -> None:
    content = EXAMPLE_2027.encode()
    do_load_calendar_year(check_load_calendar_year(content, "2027.toml"), content, "2027.toml")


def test_receivers_hear_the_year_with_the_calendar_that_holds_it() -> None:
    heard: list[tuple[int, bool, bool, Recomputation]] = []

    def receiver(
        sender: Any, *, year: int, calendar: Any, report: Recomputation, **kw: Any
    ) -> None:
        stored = CalendarYear.objects.filter(year=year).exists()
        heard.append((year, stored, calendar.is_workday(dt.date(2027, 1, 9)), report))
        report.notices += 1

    year_loaded.connect(receiver, dispatch_uid="test")
    try:
        load()
    finally:
        year_loaded.disconnect(dispatch_uid="test")
    # 2027-01-09 is a Saturday made a working day by the loaded schedule.
    assert heard == [(2027, True, True, Recomputation(notices=1))]


def test_a_failing_receiver_rolls_the_load_back() -> None:
    def receiver(**kwargs: Any) -> None:
        raise RuntimeError("no")

    year_loaded.connect(receiver, dispatch_uid="test")
    try:
        with pytest.raises(RuntimeError, match="no"):
            load()
    finally:
        year_loaded.disconnect(dispatch_uid="test")
    assert not CalendarYear.objects.filter(year=2027).exists()
