"""The leader's turn: claim each job's current slot and hand it to the task backend."""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from banchengshi.scheduler import loop
from banchengshi.scheduler.lease import lease_holder, this_process
from banchengshi.scheduler.loop import Scheduler
from banchengshi.scheduler.models import JobRun, RunState
from banchengshi.scheduler.registry import SHANGHAI
from tests.cases.conftest import FrozenTime
from tests.scheduler.conftest import Probe

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 20, 10, 2, tzinfo=SHANGHAI)
SLOT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def signals_kept() -> Iterator[None]:
    """db_worker installs its own signal handlers; the test run keeps pytest's."""
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in kept.items():
        signal.signal(sig, handler)


# db_worker closes the database connection between tasks: the test commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_the_run_for_db_worker(
    probe: Probe, frozen_time: FrozenTime, signals_kept: None
) -> None:
    frozen_time.set(T0)
    claimed = Scheduler([probe.job], process="leader").enqueue_due(T0)
    assert len(claimed) == 1
    run = JobRun.objects.get()
    task = DBTaskResult.objects.get()
    assert (run.state, run.task_id) == (RunState.ENQUEUED, str(task.id))
    assert task.args_kwargs == {"args": [], "kwargs": {"run_id": run.pk, "attempt": 1}}
    assert probe.slots == []
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    assert run.state == RunState.SUCCEEDED
    assert probe.slots == [SLOT]


def test_a_second_turn_in_the_slot_claims_nothing(
    probe: Probe, frozen_time: FrozenTime, immediate_tasks: None
) -> None:
    frozen_time.set(T0)
    scheduler = Scheduler([probe.job], process="leader")
    assert len(scheduler.enqueue_due(T0)) == 1
    assert scheduler.enqueue_due(T0 + dt.timedelta(seconds=10)) == []
    assert probe.slots == [SLOT]


def test_the_immediate_backend_runs_the_job_in_the_turn(
    probe: Probe, frozen_time: FrozenTime, immediate_tasks: None
) -> None:
    frozen_time.set(T0)
    Scheduler([probe.job], process="leader").enqueue_due(T0)
    run = JobRun.objects.get()
    assert (run.state, run.claimed_by, run.ran_by) == (RunState.SUCCEEDED, "leader", this_process())
    assert probe.slots == [SLOT]


def test_a_run_that_cannot_be_queued_fails_and_is_tried_again(
    probe: Probe, frozen_time: FrozenTime, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    class Unreachable:
        def enqueue(self, **kwargs: int) -> None:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    run_job = loop.run_job
    monkeypatch.setattr(loop, "run_job", Unreachable())
    frozen_time.set(T0)
    Scheduler([probe.job], process="leader").enqueue_due(T0)
    run = JobRun.objects.get()
    assert (run.state, run.error) == (
        RunState.FAILED,
        "not queued: Error 111 connecting to 127.0.0.1:6379",
    )
    retry = T0 + dt.timedelta(seconds=settings.BANCHENGSHI_SCHEDULER_RETRY_SECONDS)
    monkeypatch.setattr(loop, "run_job", run_job)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    frozen_time.set(retry)
    Scheduler([probe.job], process="leader").enqueue_due(retry)
    run.refresh_from_db()
    assert (run.state, run.attempt, run.error) == (RunState.SUCCEEDED, 2, "")


def test_it_wakes_for_the_next_slot_or_the_next_renewal(probe: Probe, settings: Any) -> None:
    settings.BANCHENGSHI_SCHEDULER_RENEW_SECONDS = 10
    scheduler = Scheduler([probe.job], process="leader")
    assert scheduler.seconds_to_wait(T0) == 10
    scheduler.leading = True
    assert scheduler.seconds_to_wait(SLOT + dt.timedelta(minutes=4, seconds=56)) == 4
    assert scheduler.seconds_to_wait(SLOT + dt.timedelta(minutes=5)) == 10


# The loop lets go of stale connections each turn, which a test transaction does not survive.
@pytest.mark.django_db(transaction=True)
def test_the_loop_leads_runs_a_turn_and_hands_the_lease_back_when_stopped(
    probe: Probe, frozen_time: FrozenTime, immediate_tasks: None
) -> None:
    frozen_time.set(T0)
    scheduler = Scheduler([probe.job], process="leader")
    waits: list[float] = []

    def stop_after_one_turn(seconds: float) -> bool:
        waits.append(seconds)
        scheduler.stop()  # as SIGTERM does
        return True

    scheduler.stopping.wait = stop_after_one_turn  # type: ignore[method-assign]
    scheduler.run_forever()
    assert probe.slots == [SLOT]
    assert waits == [10.0]  # the next renewal comes before the next slot (10:05)
    assert lease_holder(now=T0) is None
