"""Looking a record up by its source and id is served by the unique index, whatever the number
of cases; an import asks it once per chunk of rows, and a row costs the statements of its
registration and nothing more."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banchengshi.intake import importer
from banchengshi.intake.actions import registered_case
from banchengshi.intake.importer import ImportReport, Table, import_table, read_csv
from banchengshi.intake.sources import find_source
from banchengshi.org.scope import scope_for
from tests.cases.conftest import Org
from tests.intake.conftest import System, hotline_record


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


# --- what one imported row costs ---------------------------------------------------------------

# The statements of one registered row, in a test's transaction (where BEGIN … COMMIT of the
# row's own transaction is a savepoint and its release): the row's savepoint, the engine's
# savepoint, the units and the matter it names (2), the tracking number (UPDATE … RETURNING),
# case, search row, unit link, work item, audit head lock + event + head update, the enabled
# webhook endpoints (none here), the proposal kept for the hub (the catalogue's matters, the
# similar cases, the record), the acknowledgement SMS, the two releases. Nothing asks for the
# record's id or the hub per row: the import asks per chunk and per import. If a change in the
# engine makes registration cheaper, lower this.
REGISTERED_ROW_QUERIES = 19
# Per import: the one matter code of these rows; per chunk: the ids registered already.
CATALOGUE_QUERIES = 1


def hotline_table(ids: range, **changes: Any) -> Table:
    records = [hotline_record(工单编号=f"Q-{n}", **changes) for n in ids]
    return Table(list(records[0]), len(records), iter(enumerate(records, start=2)))


def queries_of(call: Callable[[], ImportReport]) -> tuple[int, ImportReport]:
    with CaptureQueriesContext(connection) as captured:
        report = call()
    return len(captured.captured_queries), report


@pytest.mark.parametrize("rows", [10, 30])
def test_an_imported_row_costs_a_fixed_number_of_queries(
    org: Org, system: System, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    """Two sizes of file, several chunks each: the queries grow by exactly one registration
    per row and one look-up per chunk, whatever the size."""
    source = find_source("12345")
    assert source is not None
    # Warm what is kept per process or per user: the scope, the year's tracking sequence, the
    # policy version (remembered when a registration finds its row: the second one here).
    import_table(system.user, source, hotline_table(range(2)))
    monkeypatch.setattr(importer, "CHUNK", 8)
    chunks = -(-rows // 8)

    count, report = queries_of(
        lambda: import_table(system.user, source, hotline_table(range(2, rows + 2)))
    )
    assert (report.created, report.rejected) == (rows, [])
    assert count == CATALOGUE_QUERIES + chunks + rows * REGISTERED_ROW_QUERIES, (
        f"{count} queries for {rows} rows: "
        f"{(count - CATALOGUE_QUERIES - chunks) / rows:.2f} per row"
    )

    # A rerun and a dry run ask per chunk, never per row.
    count, report = queries_of(
        lambda: import_table(system.user, source, hotline_table(range(2, rows + 2)))
    )
    assert (report.created, report.existing) == (0, rows)
    assert count == chunks
    count, report = queries_of(
        lambda: import_table(
            system.user, source, hotline_table(range(100, 100 + rows)), dry_run=True
        )
    )
    assert report.created == rows
    assert count == CATALOGUE_QUERIES + chunks


def test_a_rejected_row_costs_no_query(org: Org, system: System) -> None:
    source = find_source("12345")
    assert source is not None
    scope_for(system.user)
    count, report = queries_of(
        lambda: import_table(system.user, source, hotline_table(range(20), 联系电话="1234"))
    )
    assert len(report.rejected) == 20
    assert count == CATALOGUE_QUERIES + 1
