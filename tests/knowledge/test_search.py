"""Search over published entries: 1-, 2-, 3- and 5-character Chinese queries and mixed
Chinese/Latin ones, ranked by relevance then recency, served by the full-text index on SQLite
and PostgreSQL (EXPLAIN for a 2-character query)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from banchengshi.knowledge import search as knowledge_search
from banchengshi.knowledge.models import Entry, EntrySearch, EntryStatus
from banchengshi.knowledge.search import ENTRY_INDEX, search_fields
from banchengshi.knowledge.selectors import faq_entries, listed_entries, staff_entries
from banchengshi.textsearch.index import Match
from banchengshi.textsearch.tokens import query_phrases
from tests.cases.conftest import FrozenTime, Org, sh
from tests.plans import plans_of_reads, query_plan


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


def keys(found: Iterable[Entry], entries: dict[str, Entry]) -> list[str]:
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


@pytest.mark.parametrize("query", ["保", "社保", "不", "信息", "wifi", "营业执照"])
def test_a_list_ordered_from_the_keys_found_is_the_searchs_order(
    entries: dict[str, Entry], query: str
) -> None:
    """The API's list and the FAQ take their order from the keys the index read (a page reads
    its own rows); the staff's filtered list sorts in SQL: the same order, the latest written
    first, also where an entry written first was published (again) last."""
    Entry.objects.filter(pk=entries["social"].pk).update(published_at=sh(2026, 11, 20, 9))
    listed = listed_entries(text=query, internal=True)
    assert keys(listed, entries) == keys(staff_entries(text=query), entries)
    assert listed.count() == len(keys(listed, entries))
    assert keys(listed_entries(text=query, internal=False), entries) == [
        name for name in keys(listed, entries) if name in ("medical", "hukou")
    ]
    if query == "不":
        assert keys(listed, entries) == ["hukou", "wifi", "social"]
    with CaptureQueriesContext(connection) as reads:
        page = listed[1:2]
    assert len(page) == min(1, max(0, listed.count() - 1))
    assert len(reads.captured_queries) <= 4  # the page, its matters, units and source cases


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
    # The newest matches are read from the index when the search is made; the page and its
    # count then read those entries by their keys.
    reads = plans_of_reads(lambda: staff_entries(text="社保"))
    page = query_plan(staff_entries(text="社保"))
    if connection.vendor == "sqlite":
        assert any("SCAN knowledge_entrysearch_fts VIRTUAL TABLE INDEX" in p for p in reads), reads
        assert "SCAN knowledge_entry " not in " ".join([*reads, page, ""]), (reads, page)
    else:
        assert any("Bitmap Index Scan on knowledge_entrysearch_vector" in p for p in reads), reads
        assert "knowledge_entry_pkey" in page, page
        assert "Seq Scan" not in " ".join([*reads, page]), (reads, page)
    assert keys(staff_entries(text="社保"), entries) == ["social", "wifi"]
    assert staff_entries(text="无关").count() > FILLER // 10


# Spread over buckets of the index (textsearch.index.BUCKET = 4096 keys): the newest window
# (bucket 73) holds one match, the newest 64 buckets two, every bucket six.
SPREAD = (10, 5000, 9000, 20000, 70000, 300000)


def _spread(org: Org) -> None:
    for pk in SPREAD:
        entry = Entry.objects.create(
            pk=pk,
            problem="社保卡补办",
            solution="到窗口核对",
            author=org.handler_a,
            status=EntryStatus.PUBLISHED,
            published_version=1,
            published_at=timezone.now(),
        )
        fields = search_fields(
            problem=entry.problem, tags="", solution=entry.solution, matter_names=[]
        )
        EntrySearch.objects.create(entry=entry, **fields)
    for pk in range(299_990, 300_000):  # the newest bucket, other words
        entry = Entry.objects.create(
            pk=pk, problem="户口", solution="派出所", author=org.handler_a, status="published"
        )
        fields = search_fields(problem="户口迁移", tags="", solution="派出所", matter_names=[])
        EntrySearch.objects.create(entry=entry, **fields)


def _newest(text: str, newest: int, *, rare: bool = False) -> list[int]:
    match = [Match(ENTRY_INDEX.columns, tuple(query_phrases(text)))]
    found = ENTRY_INDEX.newest(match, newest=newest, rare=rare)
    assert found is not None
    return found.keys


@pytest.mark.parametrize(
    ("text", "newest", "expected"),
    [
        ("社保", 1, [300000]),
        ("社保", 3, [300000, 70000, 20000]),
        ("社保卡", 5, [300000, 70000, 20000, 9000, 5000]),
        ("社保", 10, list(reversed(SPREAD))),
        ("户口", 3, [299999, 299998, 299997]),
        ("医保", 3, []),
    ],
)
def test_the_newest_matches_are_the_newest_however_far_apart(
    org: Org, text: str, newest: int, expected: list[int]
) -> None:
    _spread(org)
    assert _newest(text, newest) == expected


def _windows_read(call: Callable[[], object]) -> list[str]:
    """The windows of buckets that `call()` read the index through, in turn ("" for the
    whole index), PostgreSQL."""
    read: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if "FROM knowledge_entrysearch WHERE" in sql:
            read.append(params[-1] if "::tsquery" in sql else "")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        call()
    return read


def _steps(*sizes: int) -> list[tuple[int, int]]:
    """Each window's size with the size of the one before (0 for the first)."""
    return list(zip((0, *sizes), sizes, strict=False))


def _buckets(newest: int, oldest: int) -> str:
    return " | ".join(f"'#{bucket}'" for bucket in range(newest, oldest - 1, -1))


@pytest.mark.parametrize(
    ("newest", "windows"),
    [
        # The newest bucket (300000 // 4096 = 73, 993 keys of it used) holds one match.
        (1, [_buckets(73, 73)]),
        # One match in 993 keys: the next window is sized to hold two and a quarter more at
        # that rate (2,482 keys), one bucket more; it holds no other match, nor do the next
        # (each sized so from the one before: 4, 9, 22 and 54 buckets), the next would
        # hold more buckets than there are: the rest of the index. Each read takes only the
        # buckets older than those read before.
        (
            2,
            [_buckets(74 - before - 1, 74 - size) for before, size in _steps(1, 2, 4, 9, 22, 54)]
            + [""],
        ),
    ],
)
def test_each_window_is_sized_from_the_matches_of_the_one_before(
    org: Org, newest: int, windows: list[str]
) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("windows are PostgreSQL's: FTS5 reads a word's rows newest first")
    _spread(org)
    read = _windows_read(lambda: _newest("社保", newest))
    assert read == windows
    assert _newest("社保", newest) == list(reversed(SPREAD))[:newest]


@pytest.mark.parametrize(("text", "newest", "found"), [("公积金", 3, [10]), ("医保", 3, [])])
def test_a_word_not_in_the_newest_bucket_is_read_whole_when_it_has_few_matches(
    org: Org, text: str, newest: int, found: list[int]
) -> None:
    """No match in the newest bucket: the word's matches in all are read (one more than wanted
    at most) before any larger window."""
    if connection.vendor == "sqlite":
        pytest.skip("windows are PostgreSQL's: FTS5 reads a word's rows newest first")
    _spread(org)
    EntrySearch.objects.filter(entry_id=10).update(solution="公积 积金 金")
    read = _windows_read(lambda: _newest(text, newest))
    assert read == [_buckets(73, 73), ""], read
    assert _newest(text, newest) == found


@pytest.mark.parametrize(("text", "newest"), [("社保", 1), ("社保", 3), ("社保", 11), ("医保", 3)])
def test_a_rare_read_asks_the_whole_index_first_and_finds_the_same(
    org: Org, text: str, newest: int
) -> None:
    """`rare` (an identifier, a name): all matches (one more than wanted at most) are read
    before any window; when there are more than wanted, the windows follow as without."""
    _spread(org)
    assert _newest(text, newest, rare=True) == _newest(text, newest)
    if connection.vendor == "postgresql":
        read = _windows_read(lambda: _newest(text, newest, rare=True))
        assert read[0] == ""
        more = text == "社保" and newest < len(SPREAD)
        assert len(read) > 1 if more else read == [""], read


def test_a_search_reads_the_index_once(org: Org) -> None:
    """The found entries and both ranking tiers come from one read of the words' newest
    matches, when the search is made: the page and the count do not read the index again."""
    _spread(org)
    with CaptureQueriesContext(connection) as made:
        found = staff_entries(text="社保")
    with CaptureQueriesContext(connection) as read:
        assert found.count() == len(SPREAD)
        assert len(list(found)) == len(SPREAD)
    index = "knowledge_entrysearch"
    assert [query for query in made.captured_queries if index in query["sql"]]
    assert not [query for query in read.captured_queries if index in query["sql"]]


def test_the_tiers_rank_the_newest_matches_of_every_column(
    publish,  # type: ignore[no-untyped-def]
    frozen_time: FrozenTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The newest three matches are found; the oldest of them is ranked by its tags.
    monkeypatch.setattr(knowledge_search, "SEARCH_NEWEST", 3)
    made = {}
    for day, (name, problem, solution, tags) in enumerate(
        [
            ("old", "社保卡补办", "到窗口核对信息", ""),
            ("tagged", "补办卡片", "到窗口核对信息", "社保"),
            ("solution_1", "补办卡片", "到社保窗口办理", ""),
            ("solution_2", "补办卡片", "到社保中心办理", ""),
        ],
        start=16,
    ):
        frozen_time.set(sh(2026, 11, day, 9))
        made[name] = publish(problem, solution, tags=tags)
    assert keys(staff_entries(text="社保"), made) == ["tagged", "solution_2", "solution_1"]


@pytest.mark.parametrize(
    "text", ["社保", "社保卡", "窗口 材料", "wifi", "wi", "app 清单", "信息中心修复"]
)
def test_a_flag_finds_what_the_index_finds_in_its_columns(
    entries: dict[str, Entry], text: str
) -> None:
    """The tiers are tested on the rows read (PostgreSQL: on the columns' text), and must agree
    with the index itself asked for the same words in the same column."""
    query = knowledge_search.EntryQuery.read(text)
    found = ENTRY_INDEX.newest([query.everywhere], newest=100, flags=[query.problem, query.tags])
    assert found is not None
    for flag, flagged in zip((query.problem, query.tags), found.flagged, strict=True):
        in_column = ENTRY_INDEX.matching([flag])
        assert in_column is not None
        expected = set(
            EntrySearch.objects.filter(entry_id__in=in_column).values_list("entry_id", flat=True)
        )
        assert flagged == expected & set(found.keys), (flag.columns, text)
