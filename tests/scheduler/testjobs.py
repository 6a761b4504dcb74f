"""Jobs for the tests alone, registered by the tests (never by the product).

The processes started by the PostgreSQL tests register them through `python -m
tests.scheduler.run`, and write what they ran to the file named by JOB_LOG, one line per
event, so the test counts executions rather than the scheduler's own records of them.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from banchengshi.scheduler.registry import JOBS, periodic

JOB_LOG = "BCS_TEST_JOB_LOG"
HANG = "BCS_TEST_JOB_HANG"
NAMES = ("test.tick", "test.hang")


def _write(event: str, slot: dt.datetime) -> None:
    path = os.environ.get(JOB_LOG)
    if path:
        # One short write with O_APPEND: lines of several processes do not interleave.
        with open(path, "a") as log:
            log.write(f"{event} {slot.isoformat()} {os.getpid()}\n")


def tick(slot: dt.datetime) -> None:
    _write("tick", slot)


def hang(slot: dt.datetime) -> None:
    """Started, then (in a process given HANG) stuck until it is killed."""
    _write("start", slot)
    if os.environ.get(HANG):
        time.sleep(600)
    _write("done", slot)


def register() -> None:
    periodic(name="test.tick", every=dt.timedelta(seconds=1))(tick)
    periodic(name="test.hang", every=dt.timedelta(days=1))(hang)


def unregister() -> None:
    for name in NAMES:
        JOBS.pop(name, None)
