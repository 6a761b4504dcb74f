"""Staff case search (cases.search over textsearch): a tracking number's end, a phone's last
four digits, a name's start, words of 1, 2, 3 and 5 Chinese characters and mixed with Latin
letters and digits; ranked by the kind of match, then newest first; within the person's
reach; served by the full-text index on SQLite and on PostgreSQL (EXPLAIN)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banchengshi.cases.models import Case, CaseSearch, CaseUnit
from banchengshi.cases.search import TextQuery
from banchengshi.cases.selectors import (
    ALL_WORK,
    SEARCH_NEWEST,
    WorkFilters,
    search_cases,
    worklist,
)
from banchengshi.org.scope import scope_for
from banchengshi.textsearch.listed import Listed
from tests.cases.conftest import CaseBuilder, FrozenTime, Org, sh
from tests.plans import plans_of_reads, query_plan


@pytest.fixture
def found(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> dict[str, Case]:
    frozen_time.set(sh(2026, 11, 16, 9))
    c1 = cases.register(
        petitioner_name="张三丰",
        phone="13812345678",
        matter_text="社保卡补办",
        description="社保卡补办时系统提示信息不一致，跑了三次",
        request="希望一次办成",
    )
    frozen_time.set(sh(2026, 11, 17, 9))
    c2 = cases.dispatched(
        petitioner_type="enterprise",
        petitioner_name="李四",
        enterprise_name="上海某某科技有限公司",
        credit_code="91310107MA1G00000Q",
        id_number="",
        phone="13900001111",
        matter_text="",
        description="办理医保转移接续材料被退回",
        request="说明退回理由",
    )
    frozen_time.set(sh(2026, 11, 18, 9))
    c3 = cases.register(
        petitioner_name="王五",
        phone="021-62345678",
        matter_text="户口迁移",
        description="户口迁移需要的证明开不出来，大厅WiFi密码abc123也连不上",
        request="",
    )
    frozen_time.set(sh(2026, 11, 19, 9))
    c4 = cases.register(
        petitioner_name="张无忌",
        phone="13700002222",
        matter_text="公积金提取",
        description="公积金提取被拒绝",
        request="",
    )
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4}


def numbers(found: Listed[Case]) -> list[str]:
    return [case.tracking_no for case in found]


def test_registration_writes_the_search_row(found: dict[str, Case]) -> None:
    row = CaseSearch.objects.get(case=found["c3"])
    assert found["c3"].tracking_no == "PT-2026-000003"
    assert row.ids == "t3000006202 p5678"
    assert row.names == "n王五"
    assert row.matter == "户口 口迁 迁移 移"
    assert row.body.startswith(
        "户口 口迁 迁移 移需 需要 要的 的证 证明 明开 开不 不出 出来 来 大厅 厅 wifi 密码"
    )
    # The whole phone number is nowhere in the row.
    assert "62345678" not in " ".join([row.ids, row.names, row.matter, row.body])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # a tracking number's end, typed in any form, or whole
        ("000002", ["c2"]),
        ("0003", ["c3"]),
        ("2026-000003", ["c3"]),
        ("pt-2026-000004", ["c4"]),
        ("ＰＴ－２０２６－０００００１", ["c1"]),
        # a phone's last four digits (a mobile and a landline), and a whole number
        ("5678", ["c3", "c1"]),
        ("1111", ["c2"]),
        ("13700002222", ["c4"]),
        ("021 6234 5678", ["c3"]),
        # the start of a name (a person's, an enterprise's)
        ("张", ["c4", "c1"]),
        ("张三", ["c1"]),
        ("张三丰", ["c1"]),
        ("三丰", []),
        ("上海某某", ["c2"]),
        ("上海 某某科技", ["c2"]),
        # words: 1 character (a matter's match first), 2, 3 and 5 characters
        ("保", ["c1", "c2"]),
        ("社保", ["c1"]),
        ("医保", ["c2"]),
        ("户口", ["c3"]),
        ("社保卡", ["c1"]),
        ("户口迁移需", ["c3"]),
        ("社卡", []),
        ("退回", ["c2"]),
        # every word must be found, anywhere in the matter and the text
        ("社保 三次", ["c1"]),
        ("社保 户口", []),
        # mixed Chinese, Latin letters and digits; case and width folded
        ("WiFi密码", ["c3"]),
        ("wifi", ["c3"]),
        ("ABC", ["c3"]),
        ("ａｂｃ１２３", ["c3"]),
        ("abc124", []),
        # nothing searchable
        ("，。！", []),
    ],
)
def test_each_kind_of_query(
    org: Org, found: dict[str, Case], query: str, expected: list[str]
) -> None:
    inspector = scope_for(org.inspector)
    assert numbers(search_cases(inspector, text=query)) == [
        found[name].tracking_no for name in expected
    ]


def test_identifier_and_name_matches_come_before_words(
    org: Org, cases: CaseBuilder, found: dict[str, Case], frozen_time: FrozenTime
) -> None:
    frozen_time.set(sh(2026, 11, 20, 9))
    newest = cases.register(petitioner_name="赵六", description="张三丰的邻居也来反映社保卡的事")
    inspector = scope_for(org.inspector)
    # name before words, though the words' case is newer
    assert numbers(search_cases(inspector, text="张三丰")) == [
        found["c1"].tracking_no,
        newest.tracking_no,
    ]
    # the matter ("社保卡补办") before the text, then newest first
    assert numbers(search_cases(inspector, text="社保卡")) == [
        found["c1"].tracking_no,
        newest.tracking_no,
    ]


def test_search_stays_within_reach(org: Org, found: dict[str, Case]) -> None:
    # c2 was dispatched to department A; the others are at the hall
    assert numbers(search_cases(scope_for(org.handler_a), text="保")) == [found["c2"].tracking_no]
    assert numbers(search_cases(scope_for(org.handler_b), text="保")) == []
    assert numbers(search_cases(scope_for(org.clerk), text="5678")) == [
        found["c3"].tracking_no,
        found["c1"].tracking_no,
    ]


def test_search_with_other_filters(org: Org, found: dict[str, Case]) -> None:
    inspector = scope_for(org.inspector)
    assert numbers(search_cases(inspector, text="张", state="registered")) == [
        found["c4"].tracking_no,
        found["c1"].tracking_no,
    ]
    assert numbers(search_cases(inspector, text="保", state="dispatched")) == [
        found["c2"].tracking_no
    ]


def test_a_search_narrowed_by_state_or_period_is_not_limited_to_the_newest_matches(
    org: Org, found: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    # As at a large size: the words' newest matches over every case are a small share of all.
    monkeypatch.setattr("banchengshi.cases.selectors.SEARCH_NEWEST", 1)
    inspector = scope_for(org.inspector)
    assert numbers(search_cases(inspector, text="张")) == [found["c4"].tracking_no]
    # c1 (registered, 16 November) is older than c4 and c2, the newest matches of 张 and 保
    assert numbers(search_cases(inspector, text="张", received_to=dt.date(2026, 11, 16))) == [
        found["c1"].tracking_no
    ]
    assert numbers(search_cases(inspector, text="保", state="registered")) == [
        found["c1"].tracking_no
    ]


def test_over_every_case_the_latest_registered_comes_first_within_a_kind(
    org: Org, found: dict[str, Case]
) -> None:
    """Over every case the order is known from the keys read (a page reads its own rows): the
    kind of match, then the latest registered. A case received on the 20th but registered
    before c4 (received on the 19th) comes after it there, before it within a period."""
    Case.objects.filter(pk=found["c1"].pk).update(received_at=sh(2026, 11, 20, 9))
    inspector = scope_for(org.inspector)
    assert numbers(search_cases(inspector, text="张")) == [
        found["c4"].tracking_no,
        found["c1"].tracking_no,
    ]
    assert numbers(search_cases(inspector, text="张", received_from=dt.date(2026, 11, 1))) == [
        found["c1"].tracking_no,
        found["c4"].tracking_no,
    ]
    # the kind of match first: the name 张三丰 (c1), then the words of c1's text
    assert numbers(search_cases(inspector, text="张三丰")) == [found["c1"].tracking_no]
    assert [case.tracking_no for case in search_cases(inspector, text="张")[1:]] == [
        found["c1"].tracking_no
    ]


def test_worklist_text_filter(org: Org, found: dict[str, Case]) -> None:
    clerk = scope_for(org.clerk)
    everything = worklist(clerk, filters=ALL_WORK)
    assert len(everything.items) == 3  # c1, c3, c4 wait to be screened
    for query, expected in (("户口", ["c3"]), ("张", ["c1", "c4"]), ("5678", ["c1", "c3"])):
        page = worklist(clerk, filters=WorkFilters(text=query))
        assert [item.case.tracking_no for item in page.items] == [
            found[name].tracking_no for name in expected
        ]
        assert page.total == len(expected)


FILLER = 3000


def _fill(case: Case) -> None:
    """FILLER more cases like `case` with search rows of other words, and fresh statistics,
    so that each planner weighs its choices as it would on a real database."""
    table = Case._meta.db_table
    columns = [
        f.column for f in Case._meta.concrete_fields if f.column not in ("id", "tracking_no")
    ]
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {FILLER}) "
            f"INSERT INTO {table} (tracking_no, {names}) "
            f"SELECT 'FILL-' || CAST(n AS VARCHAR(8)), {names} FROM {table}, g WHERE id = %s",
            [case.pk],
        )
        cursor.execute(
            f"INSERT INTO {CaseSearch._meta.db_table} (case_id, ids, names, matter, body) "
            f"SELECT id, 't' || CAST(id AS VARCHAR(12)), 'n某某', '其他 他', '无关 关 内容 容' "
            f"FROM {table} WHERE tracking_no LIKE 'FILL-%%'"
        )
        cursor.execute(
            f"INSERT INTO {CaseUnit._meta.db_table} (case_id, unit_id, relation) "
            f"SELECT id, registered_unit_id, 'registered' FROM {table} "
            f"WHERE tracking_no LIKE 'FILL-%%'"
        )
        cursor.execute("ANALYZE")


@pytest.mark.parametrize("query", ["社保", "张", "0003", "户口迁移需"])
def test_the_index_serves_the_search(org: Org, found: dict[str, Case], query: str) -> None:
    _fill(found["c4"])
    inspector = scope_for(org.inspector)
    # Over every case, each kind's newest matches are read from the index when the search is
    # made, in the order shown; a page then reads its own cases by their keys, in one query,
    # and the count reads nothing.
    reads = plans_of_reads(lambda: search_cases(inspector, text=query))
    listed = search_cases(inspector, text=query)
    [page] = plans_of_reads(lambda: listed[:25])
    with CaptureQueriesContext(connection) as counted:
        assert listed.count() == len(listed.order or ())
    assert counted.captured_queries == []
    # A search narrowed by a state reads all its matches, the index within the page's query.
    narrowed = query_plan(search_cases(inspector, text=query, state="registered").queryset)
    if connection.vendor == "sqlite":
        index = "SCAN cases_casesearch_fts VIRTUAL TABLE INDEX"
        assert any(index in plan for plan in reads), reads
        assert "SEARCH cases_case USING INTEGER PRIMARY KEY (rowid=?)" in page, page
        assert index in narrowed, narrowed
        assert "SCAN cases_case " not in " ".join([*reads, page, narrowed, ""]), (reads, page)
    else:
        index = "Bitmap Index Scan on cases_casesearch_vector"
        assert any(index in plan for plan in reads), reads
        assert "cases_case_pkey" in page, page
        assert index in narrowed, narrowed
        assert "Seq Scan" not in " ".join([*reads, page, narrowed]), (reads, page, narrowed)
    # Rows written by plain SQL are in the index too (SQLite's triggers, PostgreSQL's
    # generated column), as the demo generator's are.
    assert search_cases(scope_for(org.clerk), text="某某").count() == FILLER


def test_over_every_case_each_kind_brings_its_newest_matches(
    org: Org, found: dict[str, Case]
) -> None:
    _fill(found["c4"])
    common = search_cases(scope_for(org.inspector), text="某某")
    assert common.count() == SEARCH_NEWEST
    assert [case.tracking_no for case in common[:2]] == ["FILL-3000", "FILL-2999"]
    # the clerk's hall holds them all: narrowed by the units first, nothing is left out
    assert search_cases(scope_for(org.clerk), text="某某").count() == FILLER
    # an identifier's or a name's match is not crowded out by the words' matches
    assert numbers(search_cases(scope_for(org.inspector), text="张三丰")) == [
        found["c1"].tracking_no
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"社保', ["c1"]),
        ("社保*", ["c1"]),
        ("NEAR(社保 卡)", []),
        ("AND OR NOT", []),
        ("body:社保", []),
        ("{ids}:t1", []),
        ("^张", ["c4", "c1"]),
        ("a & b | !c <-> d", []),
        ("'; DROP TABLE cases_case; --", []),
        ("\\", []),
        ("社" * 100, []),
        ("１２３４", []),
        ("\u0301\u200b", []),
        ("𠀀𠀁", []),
    ],
)
def test_query_syntax_in_the_text_is_only_text(
    org: Org, found: dict[str, Case], query: str, expected: list[str]
) -> None:
    """Nothing typed reaches the index's query language: FTS5 and tsquery operators, quotes
    and SQL are words or nothing, never an error."""
    assert numbers(search_cases(scope_for(org.inspector), text=query)) == [
        found[name].tracking_no for name in expected
    ]
    assert worklist(scope_for(org.clerk), filters=WorkFilters(text=query)).total == len(
        [name for name in expected if name != "c2"]
    )


@pytest.mark.parametrize(
    ("text", "rare_name"), [("张", False), ("张伟", True), ("范桂英", True), ("002861", True)]
)
def test_a_surname_alone_is_not_expected_rare(text: str, rare_name: bool) -> None:
    """A name's start of one character is a surname, common (TextIndex.newest: its windows
    first, not a read of all its matches); two characters or more start few names."""
    assert TextQuery.read(text).rare_name is rare_name
