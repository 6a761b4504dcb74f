"""A job's run per slot: claimed once, taken over when lost or failed, skipped when late."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from banchengshi.scheduler.actions import (
    do_claim_run,
    do_mark_enqueued,
    do_take_over_run,
    execute_run,
)
from banchengshi.scheduler.models import JobRun, RunState
from banchengshi.scheduler.registry import SHANGHAI
from tests.cases.conftest import FrozenTime
from tests.scheduler.conftest import Probe

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 20, 10, 2, tzinfo=SHANGHAI)  # within the slot that began at 10:00
SLOT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def clock(frozen_time: FrozenTime) -> FrozenTime:
    frozen_time.set(T0)
    return frozen_time


def claim(probe: Probe, process: str, now: dt.datetime) -> tuple[JobRun | None, JobRun | None]:
    return do_claim_run(probe.job, slot=probe.job.slot_at(now), now=now, process=process)


def test_the_slot_is_the_start_of_its_period(probe: Probe) -> None:
    assert probe.job.slot_at(T0) == SLOT
    assert probe.job.next_slot(T0) == SLOT + dt.timedelta(minutes=5)


def test_a_slot_is_claimed_once(probe: Probe) -> None:
    run, _ = claim(probe, "a", T0)
    assert run is not None
    assert (run.job, run.slot, run.state, run.attempt, run.claimed_by) == (
        "test.probe",
        SLOT,
        RunState.CLAIMED,
        1,
        "a",
    )
    again, other = claim(probe, "b", T0 + dt.timedelta(seconds=1))
    assert again is None
    assert other is not None
    assert other.pk == run.pk
    assert JobRun.objects.count() == 1


def test_the_next_slot_is_a_new_run(probe: Probe) -> None:
    claim(probe, "a", T0)
    run, _ = claim(probe, "b", T0 + dt.timedelta(minutes=3))
    assert run is not None
    assert run.slot == SLOT + dt.timedelta(minutes=5)


def test_a_run_records_who_ran_it_and_when(probe: Probe, clock: FrozenTime) -> None:
    run, _ = claim(probe, "a", T0)
    assert run is not None
    do_mark_enqueued(run, task_id="t-1")
    done = execute_run(run.pk, 1, process="worker-1")
    assert done is not None
    run.refresh_from_db()
    assert (run.state, run.task_id, run.ran_by, run.started_at, run.finished_at, run.error) == (
        RunState.SUCCEEDED,
        "t-1",
        "worker-1",
        T0,
        T0,
        "",
    )
    assert probe.slots == [SLOT]


def test_a_finished_run_is_not_run_again(probe: Probe, clock: FrozenTime) -> None:
    run, _ = claim(probe, "a", T0)
    assert run is not None
    execute_run(run.pk, 1, process="w")
    assert execute_run(run.pk, 1, process="w") is None
    assert claim(probe, "b", T0 + dt.timedelta(minutes=2))[0] is None
    assert probe.slots == [SLOT]


def test_a_failure_is_recorded(probe: Probe, clock: FrozenTime) -> None:
    probe.errors.append(ValueError("gateway down\x00"))
    run, _ = claim(probe, "a", T0)
    assert run is not None
    execute_run(run.pk, 1, process="w")
    run.refresh_from_db()
    assert (run.state, run.error, run.finished_at) == (
        RunState.FAILED,
        "ValueError: gateway down\N{REPLACEMENT CHARACTER}",
        T0,
    )


def test_a_failed_run_is_tried_again_after_a_growing_delay(
    probe: Probe, clock: FrozenTime, settings: Any
) -> None:
    settings.BANCHENGSHI_SCHEDULER_RETRY_SECONDS = 10
    probe.errors += [ValueError("1"), ValueError("2"), ValueError("3")]
    run, _ = claim(probe, "a", T0)
    assert run is not None
    execute_run(run.pk, 1, process="w")
    # Each failure waits twice as long as the one before: 10 s, then 20 s.
    for attempt, failed_at, delay in ((2, 0, 10), (3, 10, 20)):
        retry_at = T0 + dt.timedelta(seconds=failed_at + delay)
        assert claim(probe, "a", retry_at - dt.timedelta(seconds=1))[0] is None
        run, _ = claim(probe, "a", retry_at)
        assert run is not None
        assert run.attempt == attempt
        clock.set(retry_at)
        execute_run(run.pk, attempt, process="w")
    # Three tries in all: the slot stays failed (10:04:50, still the 10:00 slot).
    assert claim(probe, "a", T0 + dt.timedelta(seconds=170))[0] is None
    assert JobRun.objects.get().state == RunState.FAILED


def test_a_run_lost_before_it_started_is_taken_over_when_stale(
    probe: Probe, clock: FrozenTime, settings: Any
) -> None:
    settings.BANCHENGSHI_SCHEDULER_STALE_SECONDS = 60
    run, _ = claim(probe, "dead", T0)
    assert run is not None
    do_mark_enqueued(run, task_id="lost")
    assert claim(probe, "b", T0 + dt.timedelta(seconds=59))[0] is None
    taken, _ = claim(probe, "b", T0 + dt.timedelta(seconds=60))
    assert taken is not None
    assert (taken.attempt, taken.claimed_by, taken.state, taken.task_id) == (
        2,
        "b",
        RunState.CLAIMED,
        "",
    )
    # The task queued for attempt 1 finds it is no longer its run.
    assert execute_run(run.pk, 1, process="late worker") is None
    assert execute_run(run.pk, 2, process="w") is not None
    assert probe.slots == [SLOT]


def test_a_run_whose_process_died_while_running_is_run_again(
    probe: Probe, clock: FrozenTime, settings: Any
) -> None:
    settings.BANCHENGSHI_SCHEDULER_STALE_SECONDS = 60
    run, _ = claim(probe, "a", T0)
    assert run is not None
    JobRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING, started_at=T0, ran_by="dead")
    assert claim(probe, "b", T0 + dt.timedelta(seconds=59))[0] is None
    taken, _ = claim(probe, "b", T0 + dt.timedelta(seconds=60))
    assert taken is not None
    assert taken.attempt == 2
    assert taken.started_at is None
    assert taken.ran_by == ""


def test_only_one_of_two_takes_over(probe: Probe, settings: Any) -> None:
    settings.BANCHENGSHI_SCHEDULER_STALE_SECONDS = 60
    claim(probe, "dead", T0)
    later = T0 + dt.timedelta(seconds=61)
    read_by_c = JobRun.objects.get()
    first, _ = claim(probe, "b", later)
    # c read the run before b took it over: its compare-and-swap matches no row.
    assert do_take_over_run(read_by_c, now=later, process="c") is None
    assert first is not None
    run = JobRun.objects.get()
    assert (run.claimed_by, run.attempt) == ("b", 2)


def test_a_run_taken_after_a_later_slot_began_is_skipped(probe: Probe, clock: FrozenTime) -> None:
    run, _ = claim(probe, "a", T0)
    assert run is not None
    clock.advance(minutes=4)  # 10:06: the 10:05 slot has begun
    assert execute_run(run.pk, 1, process="w") is None
    assert JobRun.objects.get().state == RunState.SKIPPED
    assert probe.slots == []
