"""A hanging SMS gateway does not block registrations (SQLite; tests/pg runs it on
PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.cases.conftest import Org
from tests.notify.hanging import registrations_go_on_while_the_gateway_hangs
from tests.notify.servers import LocalServer


@pytest.mark.django_db(transaction=True)
def test_registrations_go_on_while_the_sms_gateway_hangs(
    org: Org, gateway: LocalServer, settings: object
) -> None:
    registrations_go_on_while_the_gateway_hangs(org, gateway, settings)
