"""The leader lease: one holder at a time, renewed by its holder, taken over when it expires."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from banchengshi.scheduler.lease import hold_lease, lease_holder, release_lease
from banchengshi.scheduler.models import Lease
from banchengshi.scheduler.registry import SHANGHAI

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_it_takes_a_lease_nobody_holds() -> None:
    assert hold_lease(holder="a", now=T0)
    lease = Lease.objects.get()
    assert (lease.name, lease.holder, lease.since, lease.expires_at) == (
        "scheduler",
        "a",
        T0,
        at(30),
    )


def test_it_refuses_a_lease_another_holds() -> None:
    hold_lease(holder="a", now=T0)
    assert not hold_lease(holder="b", now=at(29.9))
    assert Lease.objects.get().holder == "a"


def test_a_renewal_extends_it_and_keeps_its_start() -> None:
    hold_lease(holder="a", now=T0)
    assert hold_lease(holder="a", now=at(10))
    lease = Lease.objects.get()
    assert (lease.since, lease.expires_at) == (T0, at(40))


def test_an_expired_lease_goes_to_the_next_that_asks() -> None:
    hold_lease(holder="a", now=T0)
    assert hold_lease(holder="b", now=at(30))
    assert not hold_lease(holder="a", now=at(31))
    lease = Lease.objects.get()
    assert (lease.holder, lease.since, lease.expires_at) == ("b", at(30), at(60))


def test_a_released_lease_is_taken_at_once() -> None:
    hold_lease(holder="a", now=T0)
    release_lease(holder="a", now=at(5))
    assert lease_holder(now=at(5)) is None
    assert hold_lease(holder="b", now=at(6))


def test_releasing_anothers_lease_changes_nothing() -> None:
    hold_lease(holder="a", now=T0)
    release_lease(holder="b", now=at(5))
    lease = lease_holder(now=at(5))
    assert lease is not None
    assert lease.holder == "a"


def test_its_length_is_a_setting(settings: Any) -> None:
    settings.BANCHENGSHI_SCHEDULER_LEASE_SECONDS = 2
    hold_lease(holder="a", now=T0)
    assert Lease.objects.get().expires_at == at(2)
    assert hold_lease(holder="b", now=at(2))
