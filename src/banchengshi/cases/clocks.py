"""Clocks of a case: deadlines computed by the calendar under the case's own policy version."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from django.db import transaction

from banchengshi.cases.models import Case, Clock, ClockKind, PolicyVersion
from banchengshi.policy.deadlines import compute_deadline, end_of_day, local_date
from banchengshi.policy.rules import POLICY_DIR, Limit, Policy, parse_policy, policy_in_force
from banchengshi.workdays.registry import current_calendar


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


def new_clock(
    case: Case,
    kind: ClockKind,
    started_at: dt.datetime,
    due: dt.datetime,
    limit_name: str = "",
) -> Clock:
    return Clock(
        case=case,
        kind=kind,
        limit_name=limit_name,
        round=case.round,
        started_at=started_at,
        due=due,
    )


def limit_clock(case: Case, kind: ClockKind, limit: Limit, started_at: dt.datetime) -> Clock:
    return new_clock(case, kind, started_at, due_for(limit, started_at), limit.name)
