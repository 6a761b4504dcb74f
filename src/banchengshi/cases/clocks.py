"""Clocks of a case: deadlines computed by the calendar under the case's own policy version.

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

from banchengshi.cases.models import Case, Clock, ClockKind, PolicyVersion
from banchengshi.policy.deadlines import compute_deadline, end_of_day, local_date
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
    row = case.policy
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
    return compute_deadline(current_calendar(), limit, started_at).due


def due_in_workdays(days: int, started_at: dt.datetime) -> dt.datetime:
    """End of the `days`-th working day after the start (a deadline someone sets by hand)."""
    return end_of_day(current_calendar().nth_workday_after(local_date(started_at), days))


def shift_due(due: dt.datetime, workdays: int) -> dt.datetime:
    """Move a deadline later by whole working days (extension, time spent suspended)."""
    if workdays <= 0:
        return due
    return end_of_day(current_calendar().nth_workday_after(local_date(due), workdays))


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
) -> Clock:
    clock = Clock(
        case=case,
        kind=kind,
        limit_name=limit_name,
        round=case.round,
        started_at=started_at,
        due=due,
    )
    arm(clock, case_policy(case), current_calendar())
    return clock


def limit_clock(case: Case, kind: ClockKind, limit: Limit, started_at: dt.datetime) -> Clock:
    return new_clock(case, kind, started_at, due_for(limit, started_at), limit.name)


def save_moved(clock: Clock, policy: Policy, *fields: str) -> None:
    """Save a clock whose deadline or pause changed (`fields`), its reminders re-armed."""
    arm(clock, policy, current_calendar())
    clock.save(update_fields=[*fields, *REMINDER_FIELDS])


def stop_where(clocks: QuerySet[Clock], now: dt.datetime) -> int:
    return clocks.update(stopped_at=now, **DISARMED)


def pause_where(clocks: QuerySet[Clock], now: dt.datetime) -> int:
    return clocks.update(paused_at=now, **DISARMED)
