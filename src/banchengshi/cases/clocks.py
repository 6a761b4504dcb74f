"""Clocks of a case: deadlines computed by the calendar under the case's own policy version.

A deadline that needs a day of a year nobody loaded goes ahead provisionally (R-SLA-1): the
helpers here count Monday to Friday for the missing year (`policy.deadlines.reckon_*`), and
`new_clock` and `add_work` flag what they store, so that loading the year finds it
(`cases.provisional`).

Every write of a clock's `due`, `paused_at` or `stopped_at` goes through this module (new_clock,
save_moved, stop_where, pause_where), which keeps the clock's next reminder (`remind_at`,
`remind_level`) right through `arm`; the demo's bulk writer calls `arm` on its rows too.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext, pgettext

from banchengshi.cases.models import Case, Clock, ClockKind, PolicyVersion
from banchengshi.policy.deadlines import (
    Pause,
    assumed_spans,
    is_provisional,
    local_date,
    reckon_due,
    reckon_due_in_workdays,
    reckon_shift,
    reckon_workdays_between,
)
from banchengshi.policy.reminders import reminders_of
from banchengshi.policy.rules import POLICY_DIR, Limit, Policy, parse_policy, policy_in_force
from banchengshi.workdays.calendar import WorkingCalendar
from banchengshi.workdays.registry import current_calendar

REMINDER_FIELDS = ("remind_at", "remind_level")
DISARMED: dict[str, Any] = {"remind_at": None, "remind_level": ""}


@cache
def _policy_from_text(key: str, content: str) -> Policy:
    return parse_policy(content, key)


def case_policy(case: Case) -> Policy:
    """The policy version the case was accepted under, even after the files change."""
    return stored_policy(case.policy)


def stored_policy(row: PolicyVersion) -> Policy:
    return _policy_from_text(row.key, row.content)


_version_ids: dict[str, int] = {}


def policy_version_in_force() -> PolicyVersion:
    """The stored row of the policy in force, created the first time a case uses it."""
    policy = policy_in_force()
    cached = _version_ids.get(policy.key)
    if cached is not None:
        return PolicyVersion(pk=cached, key=policy.key, name=policy.name, version=policy.version)
    content = Path(POLICY_DIR / f"{policy.name}.toml").read_text(encoding="utf-8")
    row, created = PolicyVersion.objects.get_or_create(
        key=policy.key,
        defaults={"name": policy.name, "version": policy.version, "content": content},
    )
    if created:
        # A row made in a transaction that rolls back must not be remembered.
        transaction.on_commit(lambda: _version_ids.__setitem__(policy.key, row.pk))
    else:
        _version_ids[policy.key] = row.pk
    return row


def forget_policy_versions() -> None:
    _version_ids.clear()


def due_for(limit: Limit, started_at: dt.datetime) -> dt.datetime:
    return reckon_due(current_calendar(), limit, started_at).value


def due_in_workdays(days: int, started_at: dt.datetime) -> dt.datetime:
    """End of the `days`-th working day after the start (a deadline someone sets by hand)."""
    return reckon_due_in_workdays(current_calendar(), days, started_at).value


def shift_due(due: dt.datetime, workdays: int) -> dt.datetime:
    """Move a deadline later by whole working days (extension, time spent suspended)."""
    return reckon_shift(current_calendar(), due, workdays).value


def provisional(start: dt.datetime, due: dt.datetime) -> bool:
    return is_provisional(current_calendar(), start, due)


def workdays_suspended(since: dt.datetime, until: dt.datetime) -> tuple[int, Pause | None]:
    """The working days a suspension lasted, and the pause to keep on each clock it moves
    when they were counted with a year assumed (None when they were not)."""
    first, last = local_date(since), local_date(until)
    counted = reckon_workdays_between(current_calendar(), first, last)
    pause: Pause | None = None
    if counted.provisional:
        pause = [first.isoformat(), last.isoformat(), counted.value]
    return counted.value, pause


def reflag(clock: Clock) -> None:
    """Set the clock's flag after its deadline moved (an extension, a pause, another limit)."""
    clock.provisional = bool(clock.pauses) or provisional(clock.started_at, clock.due)


def provisional_note(clock: Clock) -> str:
    """What a provisional deadline assumed, in the reader's language ("" when it is final):
    the years counted Monday to Friday, with the days of the deadline's span in each."""
    if not clock.provisional:
        return ""
    calendar = current_calendar()
    spans = assumed_spans(calendar, clock.started_at, clock.due)
    years = sorted({span[0] for span in spans} | _pause_years(clock, calendar))
    parts = [
        gettext("%(first)s to %(last)s") % {"first": first, "last": last}
        for _year, first, last in spans
    ]
    if not years:  # the year was loaded meanwhile: the recomputation is on its way
        return gettext("Provisional: it will be recomputed with the holiday schedule now loaded.")
    return gettext(
        "Provisional: the holiday schedule of %(years)s is not loaded yet, so Monday to Friday "
        "were counted as working days (%(days)s). It will be recomputed when the schedule is "
        "loaded."
    ) % {
        "years": pgettext("list separator", ", ").join(str(year) for year in years),
        "days": pgettext("list separator", ", ").join(parts) or gettext("a suspension's days"),
    }


def _pause_years(clock: Clock, calendar: WorkingCalendar) -> set[int]:
    years: set[int] = set()
    for since, until, _count in clock.pauses:
        first, last = dt.date.fromisoformat(str(since)), dt.date.fromisoformat(str(until))
        years.update(calendar.unknown_years(first, last))
    return years


def arm(clock: Any, policy: Policy, calendar: WorkingCalendar) -> None:
    """Set the clock's first reminder from its due, paused_at and stopped_at: none for a
    stopped or paused clock, else the first level of its deadline (past levels included: the
    sweep sends only the most severe one reached). `clock` is a Clock or a demo bulk row.
    A level already sent for this deadline is not sent again (notify.ReminderSent), so arming
    again without a change of deadline is harmless, and a new deadline re-arms every level."""
    if clock.stopped_at is not None or clock.paused_at is not None:
        clock.remind_at, clock.remind_level = None, ""
        return
    first = reminders_of(clock.due, policy, calendar)[0]
    clock.remind_at, clock.remind_level = first.at, first.level.value


def new_clock(
    case: Case,
    kind: ClockKind,
    started_at: dt.datetime,
    due: dt.datetime,
    limit_name: str = "",
    *,
    workdays: int | None = None,
) -> Clock:
    """A clock under a limit (`limit_name`) or set by hand to `workdays` working days."""
    clock = Clock(
        case=case,
        kind=kind,
        limit_name=limit_name,
        workdays=workdays,
        round=case.round,
        started_at=started_at,
        due=due,
        provisional=provisional(started_at, due),
    )
    arm(clock, case_policy(case), current_calendar())
    return clock


def limit_clock(case: Case, kind: ClockKind, limit: Limit, started_at: dt.datetime) -> Clock:
    return new_clock(case, kind, started_at, due_for(limit, started_at), limit.name)


def save_moved(clock: Clock, policy: Policy, *fields: str) -> None:
    """Save a clock whose deadline or pause changed (`fields`): flagged provisional or not
    again, its reminders re-armed."""
    reflag(clock)
    arm(clock, policy, current_calendar())
    clock.save(update_fields=[*fields, "provisional", *REMINDER_FIELDS])


def stop_where(clocks: QuerySet[Clock], now: dt.datetime) -> int:
    return clocks.update(stopped_at=now, **DISARMED)


def pause_where(clocks: QuerySet[Clock], now: dt.datetime) -> int:
    return clocks.update(paused_at=now, **DISARMED)
