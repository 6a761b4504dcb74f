"""The staff list of the case library (knowledge.selectors.staff_entries) without a query:
each filter answered from an index on SQLite and PostgreSQL, whatever the number of entries."""

from __future__ import annotations

import pytest
from django.db import connection

from banchengshi.knowledge.models import Entry
from banchengshi.knowledge.selectors import drafts_waiting, staff_entries
from tests.knowledge.test_search import FILLER, _fill, entries  # noqa: F401
from tests.plans import query_plan


@pytest.fixture
def filled(entries: dict[str, Entry]) -> dict[str, Entry]:  # noqa: F811
    _fill(entries["hukou"])
    assert Entry.objects.count() > FILLER
    # The filler spread over 50 causes and kept internal, as a district's library would be.
    table = Entry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET visibility = 'internal', cause_code = 'c' || (id - id / 50 * 50) "
            "WHERE problem = 'x'"
        )
        cursor.execute("ANALYZE")
    return entries


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"cause_code": "process"}, "kb_entry_cause"),
        ({"status": "draft"}, "kb_entry_status"),
        ({"status": "published", "visibility": "public"}, "kb_entry_public"),
    ],
)
def test_it_reads_each_filter_through_its_index(
    filled: dict[str, Entry], filters: dict[str, str], index: str
) -> None:
    plan = query_plan(staff_entries(**filters)[:20])
    assert index in plan, plan
    assert "SCAN knowledge_entry " not in plan + " ", plan  # SQLite: no full scan
    assert "Seq Scan" not in plan, plan


def test_it_counts_drafts_up_to_the_cap(filled: dict[str, Entry]) -> None:
    assert drafts_waiting() == 0
    Entry.objects.filter(problem="x").update(status="draft")
    assert drafts_waiting() == 100
