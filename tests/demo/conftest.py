"""`banchengshi demo` is for development: its tests run it as development does, with DEBUG on
(pytest-django turns DEBUG off for every test)."""

from collections.abc import Iterator
from typing import Any

import pytest

from banchengshi.cases.clocks import forget_policy_versions


@pytest.fixture(autouse=True)
def _development(settings: Any) -> None:
    settings.DEBUG = True


@pytest.fixture(autouse=True)
def _forget_policy_versions() -> Iterator[None]:
    """cases.clocks caches PolicyVersion ids per process; a test's rows die with it."""
    forget_policy_versions()
    yield
    forget_policy_versions()
