"""Search over published entries: 1-, 2-, 3- and 5-character Chinese queries and mixed
Chinese/Latin ones, ranked by relevance then recency, served by the full-text index on SQLite
and PostgreSQL (EXPLAIN for a 2-character query)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import QuerySet

from banchengshi.knowledge.models import Entry, EntrySearch
from banchengshi.knowledge.selectors import faq_entries, staff_entries
from tests.cases.conftest import FrozenTime, Org, sh
from tests.plans import query_plan


@pytest.fixture
def entries(org: Org, publish, frozen_time: FrozenTime) -> dict[str, Entry]:  # type: ignore[no-untyped-def]
    frozen_time.set(sh(2026, 11, 16, 9))
    social = publish("社保卡补办时系统提示信息不一致", "到人社窗口核对身份信息", tags="社保卡")
    frozen_time.set(sh(2026, 11, 17, 9))
    medical = publish("医保转移接续材料被退回", "按一网通办APP的清单补交材料", visibility="public")
    frozen_time.set(sh(2026, 11, 18, 9))
    wifi = publish("大厅WiFi连不上，预约系统打不开", "大厅网络已由信息中心修复，社保业务可在线预约")
    frozen_time.set(sh(2026, 11, 19, 9))
    hukou = publish("户口迁移需要的证明开不出来", "派出所可直接开具户籍证明", visibility="public")
    return {"social": social, "medical": medical, "wifi": wifi, "hukou": hukou}


def keys(found: QuerySet[Entry], entries: dict[str, Entry]) -> list[str]:
    names = {entry.pk: name for name, entry in entries.items()}
    return [names[entry.pk] for entry in found]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "保",
            ["medical", "social", "wifi"],
        ),  # 1 character: in problems newest first, then 社保业务
        ("社保", ["social", "wifi"]),  # in the problem first, then in the solution
        ("户籍证明", ["hukou"]),
        ("转移接续材", ["medical"]),  # 5 characters
        ("wifi", ["wifi"]),
        ("大厅WiFi", ["wifi"]),  # mixed Chinese and Latin
        ("APP 清单", ["medical"]),
        ("ＷＩＦＩ", ["wifi"]),  # full-width
        ("营业执照", []),
        ("！？", []),
    ],
)
def test_queries(entries: dict[str, Entry], query: str, expected: list[str]) -> None:
    assert keys(staff_entries(text=query), entries) == expected


def test_recency_orders_equal_relevance(entries: dict[str, Entry]) -> None:
    # 不 is in three problems: the newest first
    assert keys(staff_entries(text="不"), entries) == ["hukou", "wifi", "social"]


def test_the_faq_finds_only_public_entries(entries: dict[str, Entry]) -> None:
    assert keys(faq_entries("证明"), entries) == ["hukou"]
    assert keys(faq_entries("社保"), entries) == []
    assert keys(faq_entries(), entries) == ["hukou", "medical"]


FILLER = 2000


def _fill(entry: Entry) -> None:
    """Many published entries that do not match, so that a plan without the index would show."""
    table, search = Entry._meta.db_table, EntrySearch._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (problem, cause_code, solution, tags, author_id, status, "
            "visibility, published_version, published_at, created_at, updated_at) "
            f"SELECT 'x', '', 'y', '', author_id, status, visibility, 1, published_at, "
            f"created_at, updated_at FROM {table} WHERE id = %s",
            [entry.pk],
        )
        for _ in range(11):  # doubles the filler each time: 2048 rows
            cursor.execute(
                f"INSERT INTO {table} (problem, cause_code, solution, tags, author_id, status, "
                "visibility, published_version, published_at, created_at, updated_at) "
                f"SELECT problem, cause_code, solution, tags, author_id, status, visibility, "
                f"published_version, published_at, created_at, updated_at FROM {table} "
                "WHERE problem = 'x'"
            )
        cursor.execute(
            f"INSERT INTO {search} (entry_id, problem, tags, solution, matters, public) "
            f"SELECT id, '其他 他', '', '无关 关', '', false FROM {table} WHERE problem = 'x'"
        )
        cursor.execute("ANALYZE")


def test_the_index_serves_a_two_character_query(entries: dict[str, Entry]) -> None:
    _fill(entries["hukou"])
    assert Entry.objects.count() > FILLER
    plan = query_plan(staff_entries(text="社保"))
    if connection.vendor == "sqlite":
        assert "SCAN knowledge_entrysearch_fts VIRTUAL TABLE INDEX" in plan, plan
        assert "SCAN knowledge_entry " not in plan + " ", plan
    else:
        assert "Bitmap Index Scan on knowledge_entrysearch_vector" in plan, plan
        assert "Seq Scan" not in plan, plan
    assert keys(staff_entries(text="社保"), entries) == ["social", "wifi"]
    assert staff_entries(text="无关").count() > FILLER // 10
