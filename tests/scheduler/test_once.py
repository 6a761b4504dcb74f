"""`banchengshi scheduler --once`: every due job run here, once per slot, one line each."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from banchengshi.scheduler.lease import hold_lease, lease_holder, this_process
from banchengshi.scheduler.models import JobRun, RunState
from banchengshi.scheduler.registry import SHANGHAI
from tests.cases.conftest import FrozenTime
from tests.scheduler.conftest import Probe

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 20, 10, 2, tzinfo=SHANGHAI)


def once(*jobs: str) -> str:
    out = io.StringIO()
    call_command("scheduler", "--once", *(f"--job={job}" for job in jobs), stdout=out)
    return out.getvalue()


def test_it_runs_the_due_jobs_and_then_nothing_in_the_same_slot(
    probe: Probe, frozen_time: FrozenTime
) -> None:
    frozen_time.set(T0)
    assert once("test.probe") == (
        "test.probe slot 2026-11-20 10:00+0800: succeeded in 0.00 s (attempt 1)\n"
    )
    frozen_time.advance(minutes=2)
    assert once("test.probe") == (
        f"test.probe slot 2026-11-20 10:00+0800: not run here, succeeded by {this_process()}\n"
    )
    assert probe.slots == [dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)]
    frozen_time.advance(minutes=1)  # 10:05: the next slot
    assert once("test.probe") == (
        "test.probe slot 2026-11-20 10:05+0800: succeeded in 0.00 s (attempt 1)\n"
    )
    assert JobRun.objects.filter(state=RunState.SUCCEEDED).count() == 2


def test_it_gives_the_lease_back(probe: Probe, frozen_time: FrozenTime) -> None:
    frozen_time.set(T0)
    once("test.probe")
    assert lease_holder(now=T0) is None


def test_a_failed_job_is_said_and_ends_with_an_error(probe: Probe, frozen_time: FrozenTime) -> None:
    frozen_time.set(T0)
    probe.errors.append(ValueError("gateway down"))
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^failed: test\.probe$"):
        call_command("scheduler", "--once", "--job=test.probe", stdout=out)
    assert out.getvalue() == (
        "test.probe slot 2026-11-20 10:00+0800: failed in 0.00 s (attempt 1): "
        "ValueError: gateway down\n"
    )


def test_it_leaves_the_jobs_to_a_scheduler_that_leads(
    probe: Probe, frozen_time: FrozenTime
) -> None:
    frozen_time.set(T0)
    hold_lease(holder="web-2:811:abc", now=T0 - dt.timedelta(seconds=5))
    assert once("test.probe") == (
        "another scheduler leads (web-2:811:abc until 2026-11-20T10:02:25+08:00): nothing run\n"
    )
    assert probe.slots == []
    assert not JobRun.objects.exists()


def test_an_unknown_job_is_named() -> None:
    with pytest.raises(CommandError, match=r"^unknown job nope; the jobs are: .*notify\.outbox"):
        once("nope")
