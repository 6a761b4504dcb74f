"""`banchengshi calendar load FILE` and `banchengshi calendar show YEAR`."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    no_translations,
)
from django.db import DatabaseError

from banchengshi.workdays.actions import check_load_calendar_year, do_load_calendar_year
from banchengshi.workdays.calendar import DayKind, UnknownYearError
from banchengshi.workdays.registry import current_calendar
from banchengshi.workdays.schedule import ScheduleError

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Command(BaseCommand):
    help = "Load a year's statutory holiday schedule, or show what the calendar knows of a year."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load a TOML schedule file (see docs/operations.md)")
        load.add_argument("file", type=Path)
        show = sub.add_parser("show", help="list a year's holidays and make-up workdays")
        show.add_argument("year", type=_year)

    # The console speaks English whatever the site's language (a schedule file's problems too).
    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "load":
                self._load(options["file"])
            else:
                self._show(options["year"])
        except DatabaseError as exc:
            raise CommandError(
                f"the database is not ready ({exc}); run `banchengshi migrate` first"
            ) from None

    def _load(self, path: Path) -> None:
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        try:
            schedule = check_load_calendar_year(content, path.name)
        except ScheduleError as exc:
            raise CommandError(str(exc)) from None
        loaded = do_load_calendar_year(schedule, content, path.name)
        days_off = sum(len(h.days()) for h in schedule.holidays)
        verb = "loaded" if loaded.created else "replaced"
        self.stdout.write(
            f"{verb} {schedule.year}: {len(schedule.holidays)} holidays ({days_off} days off), "
            f"{len(schedule.workdays)} make-up workdays, from {path.name}"
        )
        done = loaded.recomputed
        if done.clocks_changed or done.clocks_confirmed or done.still_provisional:
            self.stdout.write(
                f"provisional deadlines: {done.clocks_changed} moved in {done.cases_changed} "
                f"cases ({done.notices} notices), {done.clocks_confirmed} confirmed, "
                f"{done.still_provisional} still provisional"
            )

    def _show(self, year: int) -> None:
        calendar = current_calendar()
        schedule = calendar.schedules.get(year)
        if schedule is None:
            raise CommandError(str(UnknownYearError(year)))
        self.stdout.write(f"{year}: source: {schedule.source}")
        total = 0
        for info in calendar.days(dt.date(year, 1, 1), dt.date(year, 12, 31)):
            total += info.is_workday
            if info.kind in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY):
                self.stdout.write(
                    f"{info.date.isoformat()} {WEEKDAYS[info.date.weekday()]}  "
                    f"{'holiday' if info.kind is DayKind.HOLIDAY else 'workday'}  {info.reason}"
                )
        self.stdout.write(f"{total} working days in {year}")


def _year(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {value!r}") from None
