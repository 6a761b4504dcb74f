"""tests/pg: PostgreSQL only (row locks, concurrent transactions, server encoding).

Run with DATABASE_URL=postgres://…; on any other database every test here is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from banchengshi.audit.chain import GENESIS
from banchengshi.audit.models import AuditHead
from tests.cases.conftest import (  # noqa: F401
    _forget_policy_versions,
    cases,
    frozen_time,
    org,
    use_policy,
)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mine = [item for item in items if HERE in Path(str(item.fspath)).resolve().parents]
    for item in mine:
        item.add_marker(pytest.mark.pg)
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(
            reason=f"PostgreSQL only (the database is {connection.vendor}): "
            "set DATABASE_URL=postgres://…"
        )
        for item in mine:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _audit_head(db: None) -> None:
    """The chain's head row comes from a data migration; a transactional test's flush
    (TRUNCATE of every table) removes it for the tests that follow."""
    AuditHead.objects.get_or_create(pk=1, defaults={"last_seq": 0, "last_hash": GENESIS})
