"""Looking a record up by its source and id is served by the unique index, whatever the number
of cases (an import asks it for every row)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banchengshi.intake.actions import registered_case
from banchengshi.intake.importer import import_table, read_csv
from banchengshi.intake.sources import find_source
from tests.cases.conftest import Org
from tests.intake.conftest import System


def plans(sqls: list[str]) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            found.append(" ".join(str(row[-1]) for row in cursor.fetchall()))
    return found


@pytest.fixture
def sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's, which needs the partial index's condition")


def test_the_look_up_of_a_record_uses_the_unique_index(
    sqlite_only: None, org: Org, system: System
) -> None:
    source = find_source("12345")
    assert source is not None
    with CaptureQueriesContext(connection) as looked_up:
        registered_case(system.user, source, "GD-1")
    [plan] = plans([q["sql"] for q in looked_up.captured_queries])
    assert "USING COVERING INDEX case_external_record_unique" in plan, plan


def test_the_import_asks_for_known_ids_through_the_index(
    sqlite_only: None, org: Org, system: System, tmp_path: Path
) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("工单编号\nA\nB\n", encoding="utf-8")
    source = find_source("12345")
    assert source is not None
    with CaptureQueriesContext(connection) as asked:
        import_table(system.user, source, read_csv(path), dry_run=True)
    chunk = [q["sql"] for q in asked.captured_queries if "IN (" in q["sql"]]
    assert chunk
    assert all("case_external_record_unique" in plan for plan in plans(chunk))
