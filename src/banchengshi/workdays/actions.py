"""Loading a year's statutory schedule (check, then do)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils.translation import gettext as _

from banchengshi.org.security_events import SecurityEvent, record
from banchengshi.workdays.models import CalendarYear
from banchengshi.workdays.registry import build_calendar, forget_calendar
from banchengshi.workdays.schedule import ScheduleError, YearSchedule, parse_schedule
from banchengshi.workdays.signals import Recomputation, year_loaded

MAX_FILE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Loaded:
    row: CalendarYear
    created: bool
    recomputed: Recomputation


def check_load_calendar_year(content: bytes, source_name: str) -> YearSchedule:
    """Validate a schedule file; raises ScheduleError with a message naming the problem."""
    if len(content) > MAX_FILE_BYTES:
        raise ScheduleError(
            _("%(file)s: the file is larger than %(limit)s bytes")
            % {"file": source_name, "limit": MAX_FILE_BYTES}
        )
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ScheduleError(
            _("%(file)s: the file is not UTF-8 text") % {"file": source_name}
        ) from None
    return parse_schedule(text, source_name)


def do_load_calendar_year(
    schedule: YearSchedule,
    content: bytes,
    source_name: str,
    actor: User | AnonymousUser | None = None,
) -> Loaded:
    """Store the year (replacing an earlier load of it) and, in the same transaction, tell
    `year_loaded`'s receivers (cases recomputes its provisional deadlines), whose failure rolls
    the load back. Trusts the schedule to come from check_load_calendar_year."""
    loaded_by = actor if isinstance(actor, User) else None
    with transaction.atomic():
        row, created = CalendarYear.objects.select_for_update().update_or_create(
            year=schedule.year,
            defaults={
                "schedule": schedule.to_data(),
                "source_name": source_name[:200],
                "content": content.decode("utf-8"),
                "loaded_by": loaded_by,
            },
        )
        recomputed = Recomputation()
        # Read inside the transaction: the tables with the year just stored.
        year_loaded.send(
            sender=CalendarYear, year=schedule.year, calendar=build_calendar(), report=recomputed
        )
        record(
            SecurityEvent.CALENDAR_LOADED,
            actor=loaded_by,
            year=schedule.year,
            source=source_name[:200],
            replaced=not created,
        )
        transaction.on_commit(forget_calendar)
    return Loaded(row, created, recomputed)
