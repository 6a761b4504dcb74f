"""The life of a job's run for one slot: claimed → queued → running → succeeded or failed.

Every change is one conditional UPDATE naming the run's id, its attempt and the state it
expects (compare and swap), so a change made on a stale reading matches no row. That is the
row lock here: it holds across processes and servers without a transaction left open while a
job runs.

What happens to runs that go wrong:
- the process that claimed or ran a run died (it stays claimed, queued or running): after
  BANCHENGSHI_SCHEDULER_STALE_SECONDS without finishing, the scheduler takes it over as the
  next attempt and runs it again (jobs are idempotent per slot; a slow worker that finishes
  after the takeover only gets a warning, its result is not recorded);
- the job raised: the run is failed with the error; it is tried again in its slot after
  BANCHENGSHI_SCHEDULER_RETRY_SECONDS, doubling each time, MAX_ATTEMPTS tries in all;
- the scheduler was down over several slots: only the current slot is claimed, and a worker
  that takes a run after a later slot began skips it (SKIPPED): the latest slot's run does
  that work.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from banchengshi.scheduler.models import UNFINISHED, JobRun, RunState
from banchengshi.scheduler.registry import JOBS, Periodic

log = logging.getLogger("banchengshi.scheduler")
MAX_ATTEMPTS = 3
ERROR_LENGTH = 4000


def _when(instant: dt.datetime) -> str:
    return timezone.localtime(instant).strftime("%Y-%m-%d %H:%M:%S%z")


def describe(run: JobRun) -> str:
    """A run as operators read it in the logs: `notify.outbox@2026-11-20 10:00:00+0800 #1`."""
    return f"{run.job}@{_when(run.slot)} #{run.attempt}"


def may_take_over(run: JobRun, *, now: dt.datetime) -> bool:
    """Whether `run` was lost with its process, or failed long enough ago to be tried again."""
    stale = dt.timedelta(seconds=settings.BANCHENGSHI_SCHEDULER_STALE_SECONDS)
    if run.state in (RunState.CLAIMED, RunState.ENQUEUED):
        return run.claimed_at <= now - stale
    if run.state == RunState.RUNNING:
        return run.started_at is not None and run.started_at <= now - stale
    if run.state == RunState.FAILED and run.attempt < MAX_ATTEMPTS:
        delay = settings.BANCHENGSHI_SCHEDULER_RETRY_SECONDS * 2 ** (run.attempt - 1)
        return run.finished_at is not None and run.finished_at <= now - dt.timedelta(seconds=delay)
    return False


def _swap(run: JobRun, expected: Iterable[str], **changes: Any) -> bool:
    """Apply `changes` to `run` if it still is the attempt and in a state we expect."""
    done = (
        JobRun.objects.filter(pk=run.pk, attempt=run.attempt, state__in=list(expected)).update(
            **changes
        )
        == 1
    )
    if done:
        for field, value in changes.items():
            setattr(run, field, value)
    return done


def do_claim_run(
    job: Periodic, *, slot: dt.datetime, now: dt.datetime, process: str
) -> tuple[JobRun | None, JobRun | None]:
    """Claim `job`'s run for `slot` for `process`: (the claimed run, None), or (None, the run
    somebody else has) when it is not ours to run.

    Trusts nothing: a new run is an INSERT that the unique (job, slot) constraint lets only one
    process make; a lost or failed run is taken over by a compare-and-swap on its attempt."""
    existing = JobRun.objects.filter(job=job.name, slot=slot).first()
    if existing is None:
        try:
            with transaction.atomic():
                run = JobRun.objects.create(
                    job=job.name,
                    slot=slot,
                    state=RunState.CLAIMED,
                    claimed_by=process,
                    claimed_at=now,
                )
        except IntegrityError:  # another process inserted it since we looked
            return None, JobRun.objects.filter(job=job.name, slot=slot).first()
        return run, None
    if not may_take_over(existing, now=now):
        return None, existing
    taken = do_take_over_run(existing, now=now, process=process)
    if taken is None:
        return None, JobRun.objects.filter(pk=existing.pk).first()
    return taken, None


def do_take_over_run(run: JobRun, *, now: dt.datetime, process: str) -> JobRun | None:
    """Claim `run`, lost or failed as read, as its next attempt for `process`; None when
    another process changed it since it was read.

    Trusts that `run` was found fit to take over (may_take_over); the compare-and-swap on its
    attempt and state makes sure only one process takes it."""
    previous = f"{run.state} by {run.ran_by or run.claimed_by}"
    taken = JobRun.objects.filter(pk=run.pk, attempt=run.attempt, state=run.state).update(
        state=RunState.CLAIMED,
        attempt=run.attempt + 1,
        claimed_by=process,
        claimed_at=now,
        task_id="",
        ran_by="",
        started_at=None,
        finished_at=None,
        error="",  # the earlier attempt's error stays in the log
    )
    if taken != 1:
        return None
    fresh = JobRun.objects.get(pk=run.pk)
    log.warning("%s: taken over (was %s)", describe(fresh), previous)
    return fresh


def do_mark_enqueued(run: JobRun, *, task_id: str) -> None:
    """Record the task that carries `run`. Trusts that `run` was claimed by this process; a
    worker that has started it already (an immediate backend, a fast worker) keeps its state."""
    _swap(run, [RunState.CLAIMED], state=RunState.ENQUEUED, task_id=task_id[:64])


def do_fail_run(run: JobRun, *, now: dt.datetime, error: str) -> None:
    """Record that `run` failed with `error`. Trusts that this process holds `run` (claimed
    it, or started it); a run taken over since is left to its new attempt."""
    # PostgreSQL refuses NUL in text; an exception's message may carry one.
    error = error.replace("\x00", "\N{REPLACEMENT CHARACTER}")[:ERROR_LENGTH]
    if not _swap(run, UNFINISHED, state=RunState.FAILED, finished_at=now, error=error):
        log.warning("%s: failed, but it was taken over meanwhile: %s", describe(run), error)


def do_start_run(run_id: int, attempt: int, *, now: dt.datetime, process: str) -> JobRun | None:
    """Start the run `run_id` in `process` if it is still attempt `attempt` and waiting, and
    its slot is still the job's latest; None otherwise (taken over, already run, or skipped).

    Trusts nothing: the start is a compare-and-swap on the run's attempt and state."""
    run = JobRun.objects.filter(pk=run_id, attempt=attempt).first()
    if run is None or run.state not in (RunState.CLAIMED, RunState.ENQUEUED):
        log.info("run %s (attempt %s) is no longer waiting: not run", run_id, attempt)
        return None
    job = JOBS.get(run.job)
    if job is None:
        do_fail_run(run, now=now, error=f"job {run.job} is not registered in {process}")
        return None
    if job.slot_at(now) != run.slot:
        if _swap(run, [RunState.CLAIMED, RunState.ENQUEUED], state=RunState.SKIPPED):
            log.info("%s: skipped, a later slot has begun", describe(run))
        return None
    if not _swap(
        run,
        [RunState.CLAIMED, RunState.ENQUEUED],
        state=RunState.RUNNING,
        started_at=now,
        ran_by=process,
    ):
        return None
    return run


def do_finish_run(run: JobRun, *, now: dt.datetime) -> None:
    """Record that `run` succeeded. Trusts that this process started it."""
    if not _swap(run, [RunState.RUNNING], state=RunState.SUCCEEDED, finished_at=now):
        log.warning("%s: finished, but it was taken over meanwhile", describe(run))


def execute_run(run_id: int, attempt: int, *, process: str) -> JobRun | None:
    """Run the job of `run_id` for its slot in this process, recording start, end and any
    error; None when the run was not (or no longer) this process's to run."""
    run = do_start_run(run_id, attempt, now=timezone.now(), process=process)
    if run is None:
        return None
    log.info("%s: started", describe(run))
    try:
        JOBS[run.job].run(run.slot)
    except Exception as exc:  # a job's failure is recorded and retried, not fatal to a worker
        log.exception("%s: failed", describe(run))
        do_fail_run(run, now=timezone.now(), error=f"{type(exc).__name__}: {exc}")
    else:
        do_finish_run(run, now=timezone.now())
        log.info("%s: succeeded", describe(run))
    return run
