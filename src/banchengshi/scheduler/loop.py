"""`banchengshi scheduler`: the leader loop, and `--once` for cron.

The loop holds the lease (scheduler/lease.py); while it leads it claims each job's current
slot once and enqueues the claimed run as a task for a worker. Followers try for the lease
every BANCHENGSHI_SCHEDULER_RENEW_SECONDS. `--once` takes the lease for its own length and
runs each due job to completion in this process, with no worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from banchengshi.scheduler.actions import (
    describe,
    do_claim_run,
    do_fail_run,
    do_mark_enqueued,
    execute_run,
)
from banchengshi.scheduler.lease import hold_lease, lease_holder, release_lease
from banchengshi.scheduler.models import JobRun, RunState
from banchengshi.scheduler.registry import Periodic
from banchengshi.scheduler.tasks import run_job

log = logging.getLogger("banchengshi.scheduler")
# Never sleep less than this: a wake-up a hair before a slot begins loops again, not busily.
MIN_WAIT = 0.05


@dataclass(frozen=True)
class Outcome:
    """What `--once` did about one job, said in one line."""

    job: str
    slot: dt.datetime
    ran: JobRun | None = None
    other: JobRun | None = None

    @property
    def failed(self) -> bool:
        return self.ran is not None and self.ran.state == RunState.FAILED

    def line(self) -> str:
        slot = timezone.localtime(self.slot).strftime("%Y-%m-%d %H:%M%z")
        head = f"{self.job} slot {slot}:"
        if self.ran is not None:
            took = ""
            if self.ran.started_at and self.ran.finished_at:
                seconds = (self.ran.finished_at - self.ran.started_at).total_seconds()
                took = f" in {seconds:.2f} s"
            if self.ran.state == RunState.FAILED:
                return f"{head} failed{took} (attempt {self.ran.attempt}): {self.ran.error}"
            return f"{head} {self.ran.state}{took} (attempt {self.ran.attempt})"
        if self.other is None:  # deleted meanwhile: only the pruning job deletes runs
            return f"{head} not run"
        by = self.other.ran_by or self.other.claimed_by
        return f"{head} not run here, {self.other.state} by {by}"


class Scheduler:
    def __init__(self, jobs: Sequence[Periodic], *, process: str) -> None:
        self.jobs = list(jobs)
        self.process = process
        self.leading = False
        self.stopping = threading.Event()  # set by SIGTERM/SIGINT

    def stop(self) -> None:
        self.stopping.set()

    def _lead(self, now: dt.datetime) -> bool:
        held = hold_lease(holder=self.process, now=now)
        if held and not self.leading:
            log.info(
                "%s leads now (lease %d s, renewed every %d s); jobs: %s",
                self.process,
                settings.BANCHENGSHI_SCHEDULER_LEASE_SECONDS,
                settings.BANCHENGSHI_SCHEDULER_RENEW_SECONDS,
                ", ".join(job.name for job in self.jobs) or "none",
            )
        elif self.leading and not held:
            log.warning("%s lost the lease: following", self.process)
        self.leading = held
        return held

    def enqueue_due(self, now: dt.datetime) -> list[JobRun]:
        """One turn of the leader: claim each job's current slot and hand it to a worker.
        Returns the runs claimed."""
        claimed = []
        for job in self.jobs:
            run, _ = do_claim_run(job, slot=job.slot_at(now), now=now, process=self.process)
            if run is None:
                continue
            claimed.append(run)
            try:
                result = run_job.enqueue(run_id=run.pk, attempt=run.attempt)
            except Exception as exc:  # e.g. Redis unreachable: retried like a failed run
                log.exception("%s: could not be queued", describe(run))
                do_fail_run(run, now=timezone.now(), error=f"not queued: {exc}")
                continue
            do_mark_enqueued(run, task_id=str(result.id))
            log.info("%s: queued as task %s", describe(run), result.id)
        return claimed

    def seconds_to_wait(self, now: dt.datetime) -> float:
        """Until the next renewal, or the next slot if one begins sooner."""
        wait = float(settings.BANCHENGSHI_SCHEDULER_RENEW_SECONDS)
        if self.leading:
            for job in self.jobs:
                wait = min(wait, (job.next_slot(now) - now).total_seconds())
        return max(wait, MIN_WAIT)

    def run_forever(self) -> None:
        log.info("scheduler %s started", self.process)
        try:
            while not self.stopping.is_set():
                close_old_connections()  # a database restart must not end the loop
                try:
                    if self._lead(timezone.now()):
                        self.enqueue_due(timezone.now())
                except Exception:  # the database away for a moment: try again next turn
                    log.exception("scheduler turn failed; trying again")
                    self.leading = False
                self.stopping.wait(self.seconds_to_wait(timezone.now()))
        finally:
            if self.leading:
                try:
                    release_lease(holder=self.process, now=timezone.now())
                except Exception:  # the database is away: the lease will expire on its own
                    log.exception("could not hand the lease back")
            log.info("scheduler %s stopped", self.process)

    def run_once(self) -> tuple[list[Outcome], str | None]:
        """Run every due job to completion here: (what happened to each, None), or ([], why
        nothing ran) when another scheduler leads."""
        now = timezone.now()
        if not hold_lease(holder=self.process, now=now):
            lease = lease_holder(now=now)
            holder = "?"
            if lease is not None:
                until = timezone.localtime(lease.expires_at).isoformat(timespec="seconds")
                holder = f"{lease.holder} until {until}"
            return [], f"another scheduler leads ({holder}): nothing run"
        outcomes = []
        try:
            for job in self.jobs:
                if self.stopping.is_set():
                    break
                now = timezone.now()
                # A long job must not let the lease lapse under the next one.
                hold_lease(holder=self.process, now=now)
                slot = job.slot_at(now)
                run, other = do_claim_run(job, slot=slot, now=now, process=self.process)
                if run is not None:
                    claimed = run
                    run = execute_run(claimed.pk, claimed.attempt, process=self.process)
                    if run is None:  # skipped (a slot began meanwhile) or taken over
                        other = JobRun.objects.filter(pk=claimed.pk).first()
                outcomes.append(Outcome(job=job.name, slot=slot, ran=run, other=other))
        finally:
            release_lease(holder=self.process, now=timezone.now())
        return outcomes, None
