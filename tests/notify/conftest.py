"""Notification tests use the organisation, clock and case builder of tests/cases."""

from collections.abc import Iterator

import pytest

from tests.cases.conftest import (  # noqa: F401
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)
from tests.notify.servers import LocalServer, serve


@pytest.fixture
def gateway() -> Iterator[LocalServer]:
    """A local HTTP server standing in for an SMS gateway."""
    yield from serve()
