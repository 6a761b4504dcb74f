"""Scheduler tests: the clock of tests/cases, and test-only jobs registered for one test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from banchengshi.scheduler.registry import JOBS, Periodic, periodic
from tests.cases.conftest import frozen_time  # noqa: F401


@dataclass
class Probe:
    """A job that records the slots it ran for, and raises the errors it is given first."""

    job: Periodic
    slots: list[dt.datetime] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)


@pytest.fixture
def probe() -> Iterator[Probe]:
    probe: Any = None

    def run(slot: dt.datetime) -> None:
        if probe.errors:
            raise probe.errors.pop(0)
        probe.slots.append(slot)

    periodic(name="test.probe", every=dt.timedelta(minutes=5))(run)
    probe = Probe(JOBS["test.probe"])
    yield probe
    JOBS.pop("test.probe")


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
