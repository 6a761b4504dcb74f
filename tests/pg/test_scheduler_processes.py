"""Real `banchengshi scheduler` processes against one PostgreSQL database: each job runs once per
slot however many schedulers run, and a leader that dies is replaced after the lease.

The processes run the test-only jobs of tests/scheduler/testjobs.py (1-second slots) with a
2-second lease renewed every second, and write each execution to a file the test reads.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from banchengshi.scheduler.models import JobRun, Lease, RunState
from tests.scheduler.testjobs import HANG, JOB_LOG

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 2


class Processes:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []

    @property
    def job_log(self) -> Path:
        return self.folder / "jobs.log"

    def start(self, name: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "BANCHENGSHI_TASKS": "immediate",
            "BANCHENGSHI_SCHEDULER_LEASE_SECONDS": str(LEASE_SECONDS),
            "BANCHENGSHI_SCHEDULER_RENEW_SECONDS": "1",
            "BANCHENGSHI_SCHEDULER_STALE_SECONDS": "2",
            "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
            JOB_LOG: str(self.job_log),
            **env,
        }
        output = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.scheduler.run", *args],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        return process

    def output(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()

    def executions(self) -> list[tuple[str, str, int]]:
        """(event, slot, pid) for each line the jobs wrote."""
        if not self.job_log.exists():
            return []
        lines = self.job_log.read_text().splitlines()
        return [(e, s, int(p)) for e, s, p in (line.split() for line in lines)]


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    yield started
    for process in started.started:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.1)


def stop(*started: subprocess.Popen[bytes]) -> None:
    for process in started:
        process.send_signal(signal.SIGTERM)
    for process in started:
        assert process.wait(timeout=15) == 0


def ticks(processes: Processes) -> list[tuple[str, int]]:
    return [(slot, pid) for event, slot, pid in processes.executions() if event == "tick"]


def holder() -> str | None:
    lease = Lease.objects.filter(expires_at__gt=timezone.now()).first()
    return lease.holder if lease else None


def test_two_schedulers_run_each_slot_once(processes: Processes) -> None:
    a = processes.start("a", "scheduler", "--job=test.tick")
    b = processes.start("b", "scheduler", "--job=test.tick")
    wait_for(lambda: len(ticks(processes)) >= 5, 30, "five slots run")
    stop(a, b)
    per_slot = collections.Counter(slot for slot, _ in ticks(processes))
    assert len(per_slot) >= 5
    assert set(per_slot.values()) == {1}, per_slot
    runs = JobRun.objects.filter(job="test.tick")
    assert {run.slot.isoformat() for run in runs} == set(per_slot)
    assert {(run.state, run.attempt) for run in runs} == {(RunState.SUCCEEDED, 1)}
    # A clean stop hands the lease back, and says so.
    assert holder() is None
    assert "stopped" in processes.output("a")
    assert "stopped" in processes.output("b")


def test_a_killed_leader_is_replaced_after_the_lease(processes: Processes) -> None:
    a = processes.start("a", "scheduler", "--job=test.tick")
    wait_for(lambda: ticks(processes), 20, "a's first slot")
    b = processes.start("b", "scheduler", "--job=test.tick")
    wait_for(lambda: "started" in processes.output("b"), 20, "b to start")
    time.sleep(1)
    assert f":{a.pid}:" in (holder() or "")
    a.send_signal(signal.SIGKILL)
    a.wait()
    killed = time.monotonic()
    last_of_a = Lease.objects.get()
    assert f":{a.pid}:" in last_of_a.holder
    wait_for(lambda: f":{b.pid}:" in (holder() or ""), 15, "b to take the lease")
    took = time.monotonic() - killed
    wait_for(lambda: any(pid == b.pid for _, pid in ticks(processes)), 10, "b to run a slot")
    stop(b)
    # b took the lease only once a's had expired, at its next try (every second; the
    # margin is for a loaded machine).
    assert Lease.objects.get().since >= last_of_a.expires_at
    assert took <= LEASE_SECONDS + 1 + 3, took
    per_slot = collections.Counter(slot for slot, _ in ticks(processes))
    assert set(per_slot.values()) == {1}, per_slot
    assert {pid for _, pid in ticks(processes)} == {a.pid, b.pid}


def test_a_leader_killed_in_the_middle_of_a_job_is_run_again(processes: Processes) -> None:
    a = processes.start("a", "scheduler", "--job=test.hang", **{HANG: "1"})
    wait_for(lambda: processes.executions(), 20, "a to start the job")
    a.send_signal(signal.SIGKILL)
    a.wait()
    b = processes.start("b", "scheduler", "--job=test.hang")
    wait_for(lambda: len(processes.executions()) == 3, 20, "b to run the job again")
    stop(b)
    (_, slot, _), *_ = processes.executions()
    assert processes.executions() == [
        ("start", slot, a.pid),
        ("start", slot, b.pid),
        ("done", slot, b.pid),
    ]
    run = JobRun.objects.get(job="test.hang")
    assert (run.state, run.attempt, run.slot.isoformat()) == (RunState.SUCCEEDED, 2, slot)
    assert f":{b.pid}:" in run.ran_by
    assert "taken over (was running by" in processes.output("b")


def test_a_worker_runs_what_the_scheduler_queues(processes: Processes) -> None:
    database = {"BANCHENGSHI_TASKS": "database"}
    scheduler = processes.start("scheduler", "scheduler", "--job=test.tick", **database)
    worker = processes.start(
        "worker", "db_worker", "--no-reload", "--no-startup-delay", "--interval=0.1", **database
    )
    wait_for(lambda: len(ticks(processes)) >= 3, 30, "three slots run by the worker")
    stop(scheduler, worker)
    assert {pid for _, pid in ticks(processes)} == {worker.pid}
    per_slot = collections.Counter(slot for slot, _ in ticks(processes))
    assert set(per_slot.values()) == {1}, per_slot
    ran = JobRun.objects.filter(job="test.tick", state=RunState.SUCCEEDED)
    assert {run.slot.isoformat() for run in ran} == set(per_slot)
    assert all(run.task_id and f":{worker.pid}:" in run.ran_by for run in ran)


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


REDIS_URL = os.environ.get("BCS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.skipif(not redis_answers(REDIS_URL), reason=f"no Redis answers at {REDIS_URL}")
def test_an_rq_worker_runs_what_the_scheduler_queues(processes: Processes) -> None:
    rq = {"BANCHENGSHI_TASKS": "rq", "REDIS_URL": REDIS_URL}
    worker = processes.start(
        "worker", "rqworker", "--job-class=django_tasks_rq.Job", "default", **rq
    )
    wait_for(lambda: "Listening on" in processes.output("worker"), 30, "the worker to listen")
    scheduler = processes.start("scheduler", "scheduler", "--job=test.tick", **rq)
    wait_for(lambda: len(ticks(processes)) >= 3, 30, "three slots run by the worker")
    stop(scheduler, worker)
    # RQ runs each job in a child of the worker.
    assert scheduler.pid not in {pid for _, pid in ticks(processes)}
    per_slot = collections.Counter(slot for slot, _ in ticks(processes))
    assert set(per_slot.values()) == {1}, per_slot
    ran = JobRun.objects.filter(job="test.tick", state=RunState.SUCCEEDED)
    assert {run.slot.isoformat() for run in ran} == set(per_slot)
    assert all(run.task_id and run.ran_by != run.claimed_by for run in ran)
