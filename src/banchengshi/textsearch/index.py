"""A table's token columns in the database's full-text index, and queries rendered for it.

SQLite: an FTS5 table (`unicode61` tokenizer) with the token table as its external content,
kept in step by triggers, so that any INSERT, UPDATE or DELETE of a token row (the ORM's,
a bulk executemany, Django's test flush) updates the index too.
PostgreSQL: a stored generated `tsvector` column (`simple` configuration, one weight per
token column: A, B, C, D) with a GIN index; stored rather than an expression index because
phrase and weighted queries recheck each candidate row against its vector.

Both answer a 1- to many-character query from the index: a token is a term of the index, a
prefix query a range of terms, a phrase the terms' positions.

The newest matches of a common word (`newest`): FTS5 reads a term's rows in descending rowid
order and stops at the limit. A GIN index has no order: it would hand PostgreSQL every match
(a quarter of a million rows for 材料 at a million cases) to sort for the newest. So each
row's vector also holds a bucket lexeme, "#" + key // BUCKET (text never makes a "#"), and
the newest matches are looked for in windows of the newest 1, 2, 4 … buckets: the first
window holding enough of them is searched, else the whole index (`Windows`: chosen once per
search, then a constant of its queries). The window is a second condition on the index, not
a part of the word's tsquery: GIN then advances the two in step, each skipping through its
posting list to the other's next row, so a window costs about the rows it holds, not the
word's matches anywhere (within one tsquery, GIN would walk every row of its rarer side)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models.expressions import RawSQL

from banchengshi.textsearch.tokens import Phrase

WEIGHTS = "ABCD"
VECTOR = "search_vector"
# Keys per bucket lexeme, and the windows (numbers of the newest buckets) tried in turn.
BUCKET = 4096
WINDOWS = tuple(2**i for i in range(17))


@dataclass(frozen=True)
class Match:
    """Every phrase found within any of `columns` (a column filter of the index)."""

    columns: tuple[str, ...]
    phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class TextIndex:
    table: str  # the token table (a model's db_table)
    key: str  # its primary key column, the row a match names (e.g. case_id)
    columns: tuple[str, ...]  # token columns, at most four (PostgreSQL's weights)

    def __post_init__(self) -> None:
        assert 0 < len(self.columns) <= len(WEIGHTS), "PostgreSQL has four weights"

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    # --- schema (called by the owning app's migration) ----------------------------------------

    def create(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for statement in self._create_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def drop(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{self.table}_{suffix}"')
            schema_editor.execute(f'DROP TABLE IF EXISTS "{self.fts_table}"')
        elif vendor == "postgresql":
            schema_editor.execute(f'ALTER TABLE "{self.table}" DROP COLUMN IF EXISTS {VECTOR}')

    def _create_sql(self, vendor: str) -> list[str]:
        cols = ", ".join(self.columns)
        if vendor == "sqlite":
            new = ", ".join(f"new.{c}" for c in self.columns)
            old = ", ".join(f"old.{c}" for c in self.columns)
            fts, table, key = self.fts_table, self.table, self.key
            insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.{key}, {new});"
            delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.{key}, {old});"
            return [
                f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', "
                f"content_rowid='{key}', tokenize='unicode61 remove_diacritics 2')",
                f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END",
                f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END",
                f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
                # Rows already in the table (an existing database being migrated).
                f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
            ]
        # PostgreSQL: settings admit no third engine.
        vector = " || ".join(
            [
                f"setweight(to_tsvector('simple', {c}), '{w}')"
                for c, w in zip(self.columns, WEIGHTS, strict=False)
            ]
            + [f"array_to_tsvector(ARRAY['#' || ({self.key} / {BUCKET})::text])"]
        )
        return [
            f'ALTER TABLE "{self.table}" ADD COLUMN {VECTOR} tsvector '
            f"GENERATED ALWAYS AS ({vector}) STORED",
            f'CREATE INDEX "{self.table}_vector" ON "{self.table}" USING gin ({VECTOR})',
        ]

    # --- queries ------------------------------------------------------------------------------

    def matching(
        self,
        any_of: Sequence[Match],
        *,
        newest: int | None = None,
        within: Sequence[Match] = (),
        windows: Windows | None = None,
        rare: bool = False,
    ) -> RawSQL | None:
        """The keys of the rows matching any of the matches, as a subquery for `…__in=`;
        None when the matches hold no phrase (nothing to look for). With `newest`, only that
        many of them, the highest keys first; and with `within`, only those among the rows
        of `within`'s newest matches, e.g. the ones of a column among those of all columns
        (see matching_sql)."""
        sql = self.matching_sql(any_of, newest=newest, within=within, windows=windows, rare=rare)
        return None if sql is None else RawSQL(*sql)

    def matching_sql(
        self,
        any_of: Sequence[Match],
        *,
        newest: int | None = None,
        within: Sequence[Match] = (),
        windows: Windows | None = None,
        rare: bool = False,
    ) -> tuple[str, tuple[str, ...]] | None:
        """See `matching`. `within` serves a ranking's tiers: the rows matching a word in one
        column, for the rows found by the word in any. Looked for alone, the newest matches
        in a column the word is seldom in would be read through every row holding the word
        (the index knows rows, the column is checked row by row); within the range of keys
        of `within`'s newest matches (SQLite) or its window (PostgreSQL) they cost no more
        than those. `windows`: the search's choices of windows (PostgreSQL), shared by its
        subqueries so that each probe runs once per search; `rare`: see Windows.window."""
        any_of = [m for m in any_of if m.phrases]
        scope = [m for m in within if m.phrases]
        if not any_of or (within and not scope):
            return None
        if connection.vendor == "sqlite":
            query = self._fts5_query(any_of)
            # FTS5 reads its lists of rows in descending rowid order and stops at the limit.
            key = order = "rowid"
            sql = f"SELECT rowid FROM {self.fts_table} WHERE {self.fts_table} MATCH %s"
            params: tuple[str, ...] = (query,)
            if scope and newest is not None:
                sql += (
                    f" AND rowid >= (SELECT MIN(rowid) FROM (SELECT rowid FROM {self.fts_table} "
                    f"WHERE {self.fts_table} MATCH %s ORDER BY rowid DESC LIMIT {int(newest)}))"
                )
                params = (query, self._fts5_query(scope))
        else:
            query = self._ts_query(any_of)
            key = self.key
            # Not the bare key: ordered by it, PostgreSQL may walk the primary key backwards
            # testing every row until it has enough, a scan of the table for a rare word.
            # Ordered by an expression, it takes the GIN index's matches and keeps the top.
            order = f"({key} + 0)"
            sql = f"SELECT {key} FROM {self.table} WHERE {VECTOR} @@ to_tsquery('simple', %s)"
            params = (query,)
            if newest is not None:
                probe = self._ts_query(scope) if scope else query
                chosen = (windows if windows is not None else Windows()).window(
                    self, probe, int(newest), rare=rare
                )
                if chosen:
                    sql += f" AND {VECTOR} @@ '{chosen}'::tsquery"
        if newest is not None:
            # Wrapped, so that the subquery may be one part of a UNION.
            limit = f"ORDER BY {order} DESC LIMIT {int(newest)}"
            sql = f"SELECT {key} FROM ({sql} {limit}) AS newest"
        return sql, params

    def _fts5_query(self, any_of: Sequence[Match]) -> str:
        return " OR ".join(f"({_fts5(m)})" for m in any_of)

    def _ts_query(self, any_of: Sequence[Match]) -> str:
        return " | ".join(f"({self._tsquery(m)})" for m in any_of)

    # Tokens hold letters and digits only (tokens.py), so neither syntax needs escaping.
    def _tsquery(self, match: Match) -> str:
        weights = "".join(WEIGHTS[self.columns.index(c)] for c in match.columns)
        parts = []
        for phrase in match.phrases:
            last = len(phrase.tokens) - 1
            terms = [
                f"'{token}':{'*' if phrase.prefix and i == last else ''}{weights}"
                for i, token in enumerate(phrase.tokens)
            ]
            parts.append("(" + " <-> ".join(terms) + ")")
        return " & ".join(parts)


def _fts5(match: Match) -> str:
    phrases = " AND ".join(
        '"' + " ".join(p.tokens) + '"' + ("*" if p.prefix else "") for p in match.phrases
    )
    return "{" + " ".join(match.columns) + "} : (" + phrases + ")"


class Windows:
    """One search's windows of newest buckets on PostgreSQL (see the module): for each probe
    (a tsquery) and number of newest matches, the first window of the newest 1, 2, 4 …
    buckets holding that many, as a tsquery of its bucket lexemes, or "" for the whole index.

    Chosen once per search, by one statement of cheap counts; the search's subqueries (the
    matches of each kind, the page and the count, a ranking tier probed by the words it ranks)
    then carry the window as a constant, which the planner estimates from the index's statistics
    and GIN intersects with the word from both sides (two conditions on the index, each
    skipping through its posting list to the other's next row)."""

    def __init__(self) -> None:
        self._top: dict[str, int] = {}
        self._chosen: dict[tuple[str, str, int], str] = {}

    def window(self, index: TextIndex, probe: str, newest: int, *, rare: bool = False) -> str:
        """`rare`: the probe is expected to have fewer than `newest` matches in all (an
        identifier, a name of two characters): that is asked first. The window chosen is the
        same either way."""
        chosen = self._chosen.get((index.table, probe, newest))
        if chosen is None:
            chosen = self._choose(index, probe, newest, rare=rare)
            self._chosen[(index.table, probe, newest)] = chosen
        return chosen

    def _choose(self, index: TextIndex, probe: str, newest: int, *, rare: bool) -> str:
        top = self._newest_bucket(index)
        # A window holding every bucket would be the whole index: not tried.
        windows = [
            " | ".join(f"'#{b}'" for b in range(top, top - size, -1))
            for size in WINDOWS
            if size <= top
        ]
        if not windows:
            return ""

        # One statement whatever the number of windows: each probe is an InitPlan, which
        # PostgreSQL runs only when the CASE reaches its WHEN, so the windows are tried in
        # turn and the first holding enough ends it (one round trip instead of one per window).
        def count(*, in_window: bool) -> str:
            window = f" AND {VECTOR} @@ %s::tsquery" if in_window else ""
            return (
                f"(SELECT COUNT(*) FROM (SELECT 1 FROM {index.table} "
                f"WHERE {VECTOR} @@ to_tsquery('simple', %s){window} LIMIT {newest}) AS probe)"
            )

        whens = [f"WHEN {count(in_window=True)} >= {newest} THEN {i}" for i in range(len(windows))]
        params = [param for window in windows for param in (probe, window)]
        if rare:
            # Fewer matches than wanted in the whole index, as an identifier or a name mostly
            # has: the windows would all fail, each merging more buckets' posting lists (the
            # newest 128 of 244 at 1,000,000 cases: 0.5 M rows, ~2 ms), where the word's own
            # few rows cost little. A probe common after all pays this count of `newest` rows.
            whens.insert(0, f"WHEN {count(in_window=False)} < {newest} THEN -1")
            params.insert(0, probe)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT CASE {' '.join(whens)} ELSE -1 END", params)
            chosen = cursor.fetchone()[0]
        return "" if chosen < 0 else windows[chosen].replace("'", "''")

    def _newest_bucket(self, index: TextIndex) -> int:
        if index.table not in self._top:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX({index.key}) FROM {index.table}")
                self._top[index.table] = (cursor.fetchone()[0] or 0) // BUCKET
        return self._top[index.table]
