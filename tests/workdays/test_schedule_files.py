"""Schedule files: parsing and validation, `calendar load` / `calendar show`, precedence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from banchengshi.policy.deadlines import compute_deadline
from banchengshi.policy.rules import load_policy
from banchengshi.workdays.calendar import DayKind, UnknownYearError
from banchengshi.workdays.models import CalendarYear
from banchengshi.workdays.registry import current_calendar
from banchengshi.workdays.schedule import HolidayRange, ScheduleError, parse_schedule

D = dt.date
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

pytestmark = pytest.mark.django_db

# The format of the issue / schedule.py docstring.
EXAMPLE_2027 = """\
year = 2027
workdays = [2027-01-09]     # weekend days that are working days

[[holidays]]
name = "元旦"
start = 2027-01-01
end = 2027-01-03            # inclusive
"""

# A different 2027: New Year's Day is an ordinary Friday, only a spring holiday is off.
OTHER_2027 = """\
year = 2027

[[holidays]]
name = "春节"
start = 2027-02-06
end = 2027-02-12
"""

# 2026 as somebody might (wrongly) load it: no National Day, no make-up days.
CHANGED_2026 = """\
year = 2026

[[holidays]]
name = "元旦"
start = 2026-01-01
end = 2026-01-03
"""


def error_of(text: str, language: str = "en") -> str:
    with translation.override(language), pytest.raises(ScheduleError) as caught:
        parse_schedule(text, "2027.toml")
    return str(caught.value)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def load(
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[str, str], str]:
    """Run `calendar load` on a file with `text`; on-commit hooks run as after a real commit."""

    def run(text: str, name: str = "2027.toml") -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("calendar", "load", str(write(tmp_path, name, text)), stdout=out)
        return out.getvalue()

    return run


def show(year: str) -> str:
    out = StringIO()
    call_command("calendar", "show", year, stdout=out)
    return out.getvalue()


# --- parse_schedule --------------------------------------------------------------------------


def test_the_example_format_is_accepted() -> None:
    schedule = parse_schedule(EXAMPLE_2027, "2027.toml")
    assert schedule.year == 2027
    assert schedule.holidays == (HolidayRange("元旦", D(2027, 1, 1), D(2027, 1, 3)),)
    assert schedule.workdays == (D(2027, 1, 9),)
    assert schedule.source == "2027.toml"
    assert schedule.holiday_names == {
        D(2027, 1, 1): "元旦",
        D(2027, 1, 2): "元旦",
        D(2027, 1, 3): "元旦",
    }


def test_a_one_day_holiday_needs_no_end_and_workdays_are_optional() -> None:
    schedule = parse_schedule(
        'year = 2027\n[[holidays]]\nname = " 清明 "\nstart = 2027-04-05\n', "x.toml"
    )
    assert schedule.holidays == (HolidayRange("清明", D(2027, 4, 5), D(2027, 4, 5)),)
    assert schedule.workdays == ()


def test_holidays_and_workdays_are_sorted() -> None:
    schedule = parse_schedule(
        """\
year = 2027
workdays = [2027-02-20, 2027-01-09]
[[holidays]]
name = "春节"
start = 2027-02-06
end = 2027-02-12
[[holidays]]
name = "元旦"
start = 2027-01-01
end = 2027-01-03
""",
        "x.toml",
    )
    assert [h.name for h in schedule.holidays] == ["元旦", "春节"]
    assert schedule.workdays == (D(2027, 1, 9), D(2027, 2, 20))


def test_round_trip_through_the_stored_form() -> None:
    schedule = parse_schedule(EXAMPLE_2027, "2027.toml")
    again = type(schedule).from_data(schedule.to_data(), "2027.toml")
    assert again == schedule
    assert schedule.to_data() == {
        "year": 2027,
        "workdays": ["2027-01-09"],
        "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
    }


def test_not_toml() -> None:
    assert error_of("year = = 2027").startswith("2027.toml: not valid TOML (")


def test_unknown_keys() -> None:
    assert error_of("colour = 'red'\nnotes = 1\n" + EXAMPLE_2027) == (
        "2027.toml: unknown keys colour, notes"
    )


def test_unknown_keys_in_a_holiday() -> None:
    text = EXAMPLE_2027.replace('name = "元旦"', 'name = "元旦"\ndays = 3')
    assert error_of(text) == "2027.toml: holiday #1: unknown keys days"


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ('year = "2027"', "'2027'"),
        ("year = 1900", "1900"),
        ("year = 2201", "2201"),
        ("year = true", "True"),
        ("year = 2027.0", "2027.0"),
        ("", "None"),
    ],
)
def test_bad_year(line: str, shown: str) -> None:
    text = EXAMPLE_2027.replace("year = 2027", line)
    assert error_of(text) == (f"2027.toml: 'year' must be a whole year such as 2027, got {shown}")


@pytest.mark.parametrize("text", ["year = 2027\n", "year = 2027\nholidays = []\n"])
def test_no_holidays(text: str) -> None:
    assert error_of(text) == "2027.toml: at least one [[holidays]] table is required"


@pytest.mark.parametrize("name_line", ["", 'name = ""', 'name = "   "', "name = 7"])
def test_holiday_missing_name(name_line: str) -> None:
    text = EXAMPLE_2027.replace('name = "元旦"', name_line)
    assert error_of(text) == "2027.toml: holiday #1: 'name' is required"


def test_date_outside_the_year() -> None:
    text = EXAMPLE_2027.replace("end = 2027-01-03", "end = 2028-01-03")
    assert error_of(text) == "2027.toml: holiday '元旦': 2028-01-03 is not in 2027"
    text = EXAMPLE_2027.replace("start = 2027-01-01", "start = 2026-12-31")
    assert error_of(text) == "2027.toml: holiday '元旦': 2026-12-31 is not in 2027"


def test_make_up_workday_outside_the_year() -> None:
    text = EXAMPLE_2027.replace("workdays = [2027-01-09]", "workdays = [2026-12-27]")
    assert error_of(text) == "2027.toml: make-up workday 2026-12-27 is not in 2027"


def test_end_before_start() -> None:
    text = EXAMPLE_2027.replace("end = 2027-01-03", "end = 2027-01-01").replace(
        "start = 2027-01-01", "start = 2027-01-02"
    )
    assert error_of(text) == (
        "2027.toml: holiday '元旦': end 2027-01-01 is before start 2027-01-02"
    )


def test_a_problem_in_chinese() -> None:
    """An administrator uploading the file in the admin reads its problem in their language."""
    text = EXAMPLE_2027.replace("end = 2027-01-03", "end = 2027-01-01").replace(
        "start = 2027-01-01", "start = 2027-01-02"
    )
    assert error_of(text, "zh-hans") == (
        "2027.toml：节假日“元旦”的结束日 2027-01-01 早于开始日 2027-01-02。"
    )


def test_overlapping_holidays() -> None:
    text = EXAMPLE_2027 + '\n[[holidays]]\nname = "补休"\nstart = 2027-01-03\nend = 2027-01-05\n'
    assert error_of(text) == "2027.toml: holidays '元旦' and '补休' overlap on 2027-01-03"


def test_overlap_with_a_holiday_inside_another() -> None:
    text = """\
year = 2027
[[holidays]]
name = "长假"
start = 2027-10-01
end = 2027-10-10
[[holidays]]
name = "短假"
start = 2027-10-04
end = 2027-10-04
"""
    assert error_of(text) == "2027.toml: holidays '长假' and '短假' overlap on 2027-10-04"


def test_make_up_day_that_is_also_a_holiday() -> None:
    text = EXAMPLE_2027.replace("workdays = [2027-01-09]", "workdays = [2027-01-02]")
    assert error_of(text) == (
        "2027.toml: 2027-01-02 is both a holiday (元旦) and a make-up workday"
    )


def test_make_up_day_that_is_a_weekday() -> None:
    # 2027-01-04 is a Monday.
    text = EXAMPLE_2027.replace("workdays = [2027-01-09]", "workdays = [2027-01-04]")
    assert error_of(text) == (
        "2027.toml: make-up workday 2027-01-04 is a weekday; list only weekend days"
    )


def test_duplicate_make_up_day() -> None:
    text = EXAMPLE_2027.replace("workdays = [2027-01-09]", "workdays = [2027-01-09, 2027-01-09]")
    assert error_of(text) == "2027.toml: a make-up workday is listed twice"


def test_a_datetime_instead_of_a_date() -> None:
    text = EXAMPLE_2027.replace("start = 2027-01-01", "start = 2027-01-01T00:00:00")
    assert error_of(text) == (
        "2027.toml: holiday '元旦' start: expected a date like 2027-01-01, "
        "got datetime.datetime(2027, 1, 1, 0, 0)"
    )


def test_a_string_instead_of_a_date() -> None:
    text = EXAMPLE_2027.replace("workdays = [2027-01-09]", 'workdays = ["2027-01-09"]')
    assert error_of(text) == (
        "2027.toml: workdays: expected a date like 2027-01-01, got '2027-01-09'"
    )


def test_workdays_must_be_a_list() -> None:
    text = EXAMPLE_2027.replace("workdays = [2027-01-09]", "workdays = 2027-01-09")
    assert error_of(text) == "2027.toml: 'workdays' must be a list of dates"


# --- calendar load / show --------------------------------------------------------------------


def test_show_a_built_in_year() -> None:
    output = show("2026")
    lines = output.splitlines()
    assert lines[0].startswith("2026: source: chinesecalendar ")
    for day in range(1, 8):
        assert f"2026-10-{day:02d} " in output
    assert "2026-10-01 Thu  holiday  国庆节" in lines
    assert "2026-10-07 Wed  holiday  国庆节" in lines
    assert "2026-10-10 Sat  workday  make-up workday (国庆节)" in lines
    assert "2026-09-20 Sun  workday  make-up workday (国庆节)" in lines
    assert "2026-10-08 " not in output
    assert lines[-1] == "248 working days in 2026"


def test_show_an_unknown_year_fails_naming_it() -> None:
    with pytest.raises(CommandError, match="2027") as caught:
        show("2027")
    assert "banchengshi calendar load" in str(caught.value)


def test_show_rejects_a_non_year() -> None:
    with pytest.raises(CommandError, match="not a year"):
        show("next")


def test_load_stores_the_year_and_deadlines_cross_into_it(
    load: Callable[[str, str], str],
) -> None:
    limit = load_policy("putuo").limit("extension.max_total")  # 10 working days
    received = dt.datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI)
    with pytest.raises(UnknownYearError):
        compute_deadline(current_calendar(), limit, received)

    assert load(EXAMPLE_2027, "2027.toml") == (
        "loaded 2027: 1 holidays (3 days off), 1 make-up workdays, from 2027.toml\n"
    )

    row = CalendarYear.objects.get()
    assert row.year == 2027
    assert row.source_name == "2027.toml"
    assert row.content == EXAMPLE_2027
    assert row.loaded_by is None
    calendar = current_calendar()
    assert 2027 in calendar.years
    # 12-31, then 2027: 01-01..01-03 off, 01-04..01-08, Sat 01-09 (make-up), 01-11..01-13.
    deadline = compute_deadline(calendar, limit, received)
    assert deadline.due_date == D(2027, 1, 13)
    assert calendar.day_info(D(2027, 1, 9)).kind is DayKind.MAKEUP_WORKDAY
    assert calendar.day_info(D(2027, 1, 2)).reason == "元旦"
    assert calendar.schedules[2027].source.startswith("loaded from 2027.toml at ")


def test_reloading_a_year_replaces_it(load: Callable[[str, str], str]) -> None:
    contact = load_policy("chongming").limit("contact")  # 1 working day
    received = dt.datetime(2026, 12, 31, 9, 0, tzinfo=SHANGHAI)

    load(EXAMPLE_2027, "2027.toml")
    assert compute_deadline(current_calendar(), contact, received).due_date == D(2027, 1, 4)

    assert load(OTHER_2027, "2027-revised.toml") == (
        "replaced 2027: 1 holidays (7 days off), 0 make-up workdays, from 2027-revised.toml\n"
    )
    assert CalendarYear.objects.count() == 1
    assert CalendarYear.objects.get().source_name == "2027-revised.toml"
    calendar = current_calendar()
    assert compute_deadline(calendar, contact, received).due_date == D(2027, 1, 1)
    assert calendar.is_workday(D(2027, 1, 1))
    assert not calendar.is_workday(D(2027, 1, 9))
    assert "2027-02-08 Mon  holiday  春节" in show("2027")


def test_show_a_loaded_year(load: Callable[[str, str], str]) -> None:
    load(EXAMPLE_2027, "2027.toml")
    lines = show("2027").splitlines()
    assert lines[0].startswith("2027: source: loaded from 2027.toml at ")
    assert lines[1:5] == [
        "2027-01-01 Fri  holiday  元旦",
        "2027-01-02 Sat  holiday  元旦",
        "2027-01-03 Sun  holiday  元旦",
        "2027-01-09 Sat  workday  make-up workday",
    ]
    # 2027 has 261 weekdays; minus Fri 01-01, plus Sat 01-09.
    assert lines[-1] == "261 working days in 2027"


def test_a_loaded_year_takes_precedence_over_the_built_in_one(
    load: Callable[[str, str], str],
) -> None:
    complex_ = load_policy("chongming").limit("reply.complex")  # 5 working days
    received = dt.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
    # Built in: 10-01..10-07 off, then 10-08, 10-09, Sat 10-10, 10-12, 10-13.
    assert compute_deadline(current_calendar(), complex_, received).due_date == D(2026, 10, 13)

    load(CHANGED_2026, "2026.toml")

    calendar = current_calendar()
    # Loaded: 10-01 is an ordinary Thursday: 10-01, 10-02, 10-05, 10-06, 10-07.
    assert compute_deadline(calendar, complex_, received).due_date == D(2026, 10, 7)
    assert calendar.is_workday(D(2026, 10, 1))
    assert not calendar.is_workday(D(2026, 10, 10))
    assert calendar.day_info(D(2026, 10, 10)).reason == "weekend"
    # The other built-in years are untouched.
    assert not calendar.is_workday(D(2025, 10, 1))
    output = show("2026")
    assert output.splitlines()[0].startswith("2026: source: loaded from 2026.toml at ")
    assert "国庆节" not in output
    # 261 weekdays in 2026, minus Thu 01-01 and Fri 01-02.
    assert output.splitlines()[-1] == "259 working days in 2026"


def test_a_bad_file_is_refused_with_the_message(tmp_path: Path) -> None:
    path = write(tmp_path, "2027.toml", EXAMPLE_2027.replace("2027-01-09", "2027-01-04"))
    with pytest.raises(CommandError) as caught:
        call_command("calendar", "load", str(path))
    assert str(caught.value) == (
        "2027.toml: make-up workday 2027-01-04 is a weekday; list only weekend days"
    )
    assert not CalendarYear.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_bytes(EXAMPLE_2027.encode("gb18030"))
    with pytest.raises(CommandError, match=r"^2027\.toml: the file is not UTF-8 text$"):
        call_command("calendar", "load", str(path))
    assert not CalendarYear.objects.exists()


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nothing.toml"
    with pytest.raises(CommandError) as caught:
        call_command("calendar", "load", str(path))
    assert str(caught.value) == f"cannot read {path}: No such file or directory"
