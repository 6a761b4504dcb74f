"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when DATABASE_URL says so."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from pytest_django.fixtures import Settings

from banchengshi.workdays.registry import forget_calendar

# One pair of encryption keys for the test process and every process it starts (servers,
# workers, backup sites with var/ directories of their own), so that any of them reads what
# another wrote. Never keys of a real site.
TEST_KEYS = {
    "BANCHENGSHI_FIELD_KEYS": "kVP83k96L2VyY32luN8hQfoLgojrftbxOZ6l_iSgWF4=",
    "BANCHENGSHI_SEARCH_KEYS": "qSLf-PHmMXZ1tqSXTBqGsQrU7OMAFpeXZHNGu_cn1ic=",
}
os.environ.update(TEST_KEYS)


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    for name, value in TEST_KEYS.items():
        setattr(settings, name, value)


@receiver(connection_created)
def _allow_test_flush(sender: object, connection: Any, **kwargs: Any) -> None:
    """Between transactional tests Django's flush truncates every table, the audit events'
    too, which their PostgreSQL trigger refuses unless the session allows a reset (audit
    migration 0003). Only the test suite's connections do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET banchengshi.allow_audit_reset = 'on'")


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    """A test's loaded years are rolled back with its transaction; so must the cache be."""
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture(autouse=True)
def anchor_file(settings: Settings, tmp_path: Path) -> Path:
    """Each test anchors the audit chain in a file of its own, never in the checkout's var/."""
    path = tmp_path / "audit-anchors.jsonl"
    settings.BANCHENGSHI_AUDIT_ANCHOR_FILE = path
    return path


@pytest.fixture(autouse=True)
def _sessions_outlast_moved_clocks(settings: Settings) -> None:
    """Tests move a frozen clock by hours and days between a sign-in and the next request; the
    session limits and password expiry (tests/security) would sign them out on the way."""
    settings.BANCHENGSHI_SESSION_IDLE_MINUTES = 0
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
    settings.BANCHENGSHI_PASSWORD_MAX_AGE_DAYS = 0


# Fixtures through which a test reaches the database (its own, or another process's: the
# servers and commands a test starts are given the configured DATABASE_URL by fixtures too).
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """BANCHENGSHI_TESTS_TOUCHING_THE_DATABASE=1 (the PostgreSQL suite of scripts/run-tests.sh):
    only the tests that reach the database; the others cannot behave otherwise on another
    engine and have run in the SQLite suite."""
    if os.environ.get("BANCHENGSHI_TESTS_TOUCHING_THE_DATABASE") != "1":
        return
    kept, dropped = [], []
    for item in items:
        reaches = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        marked = item.get_closest_marker("django_db") or item.get_closest_marker("pg")
        (kept if reaches or marked else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
