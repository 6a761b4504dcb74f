"""A hanging SMS gateway does not block registrations on PostgreSQL (tests/notify runs the
same on SQLite)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cases.conftest import Org
from tests.notify.hanging import registrations_go_on_while_the_gateway_hangs
from tests.notify.servers import LocalServer, serve


@pytest.fixture
def gateway() -> Iterator[LocalServer]:
    yield from serve()


@pytest.mark.django_db(transaction=True)
def test_registrations_go_on_while_the_sms_gateway_hangs(
    org: Org, gateway: LocalServer, settings: object
) -> None:
    registrations_go_on_while_the_gateway_hangs(org, gateway, settings)
