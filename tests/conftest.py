"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when DATABASE_URL says so."""

from collections.abc import Iterator

import pytest

from banchengshi.workdays.registry import forget_calendar


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    """A test's loaded years are rolled back with its transaction; so must the cache be."""
    forget_calendar()
    yield
    forget_calendar()
