"""Leader election in the database: the scheduler that holds the lease claims the jobs.

The lease is taken or renewed by one conditional UPDATE ("set me as holder where I hold it or
it has expired"): of several processes racing for an expired lease, the database lets one
UPDATE match the row (PostgreSQL re-checks the condition on the row the first one wrote;
SQLite writes one at a time). The lease only keeps the followers idle: a job's run is made
unique by JobRun's constraint, so a paused leader that wakes up after losing its lease still
cannot run a slot twice.

Instants come from `timezone.now()` in each process, so the servers' clocks must agree
(NTP) to well within the lease's length.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When

from banchengshi.scheduler.models import Lease

SCHEDULER = "scheduler"


@cache
def this_process() -> str:
    """Who this process is, in the lease and the runs: host, pid and a random tag (a pid is
    reused after a restart)."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"


def hold_lease(*, holder: str, now: dt.datetime, name: str = SCHEDULER) -> bool:
    """Take the lease, or renew it if `holder` has it; True when `holder` holds it until
    `now` + BANCHENGSHI_SCHEDULER_LEASE_SECONDS.

    Trusts nothing: the UPDATE's condition decides between processes; the row is created by
    the first process that finds none (a second creation fails on the primary key)."""
    expires_at = now + dt.timedelta(seconds=settings.BANCHENGSHI_SCHEDULER_LEASE_SECONDS)
    held = (
        Lease.objects.filter(Q(holder=holder) | Q(expires_at__lte=now), name=name).update(
            holder=holder,
            expires_at=expires_at,
            # SET reads the row as it was: a renewal keeps its start, a takeover starts now.
            since=Case(When(holder=holder, then=F("since")), default=Value(now)),
        )
        == 1
    )
    if held or Lease.objects.filter(name=name).exists():
        return held
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, since=now, expires_at=expires_at)
    except IntegrityError:
        return False
    return True


def release_lease(*, holder: str, now: dt.datetime, name: str = SCHEDULER) -> None:
    """Give the lease up (a clean shutdown), so that a follower takes over at its next try
    rather than after the lease expires. Trusts nothing: only `holder`'s lease is ended."""
    Lease.objects.filter(name=name, holder=holder, expires_at__gt=now).update(expires_at=now)


def lease_holder(*, now: dt.datetime, name: str = SCHEDULER) -> Lease | None:
    """The lease while somebody holds it, else None."""
    return Lease.objects.filter(name=name, expires_at__gt=now).first()
