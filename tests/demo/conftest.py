"""`banchengshi demo` is for development: its tests run it as development does, with DEBUG on
(pytest-django turns DEBUG off for every test)."""

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _development(settings: Any) -> None:
    settings.DEBUG = True
