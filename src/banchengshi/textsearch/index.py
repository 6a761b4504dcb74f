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
the newest matches are read from a window of the newest buckets: first the newest one, then
a window sized from the matches found there to hold a quarter more than wanted, and so on
until one holds enough (else the whole index); each read takes only the buckets older than
those read before, for what is still wanted. The window is a second condition on the index,
not a part of the word's tsquery: GIN then advances the two in step, each skipping through its
posting list to the other's next row, so a window costs about the rows it holds, not the
word's matches anywhere (within one tsquery, GIN would walk every row of its rarer side)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models.expressions import RawSQL

from banchengshi.textsearch.tokens import Phrase

WEIGHTS = "ABCD"
VECTOR = "search_vector"
# Keys per bucket lexeme, and how many times larger a window may be than the one before.
BUCKET = 4096
GROWTH = 8


@dataclass(frozen=True)
class Match:
    """Every phrase found within any of `columns` (a column filter of the index)."""

    columns: tuple[str, ...]
    phrases: tuple[Phrase, ...]


class Reader(Protocol):
    """Reads the matches within a window of buckets (None: the whole index, or its keys below
    `below`), with a LIMIT clause."""

    def __call__(
        self, window: str | None, limit: str, below: int | None = None
    ) -> list[tuple[Any, ...]]: ...


@dataclass(frozen=True)
class Found:
    """A search's newest matches, highest key first, and for each flag the keys among them
    that match it too (see TextIndex.newest)."""

    keys: list[int]
    flagged: tuple[frozenset[int], ...]


def among(keys: Iterable[int]) -> RawSQL:
    """Keys as a subquery for `…__in=`, sent as one parameter: a page's filter and ranking over
    a thousand found keys would otherwise be a thousand parameters each, which PostgreSQL
    plans one by one (10 ms for the count of a page)."""
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(sorted(keys)),))
    return RawSQL("SELECT unnest(%s::bigint[])", (sorted(keys),))


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

    def matching(self, any_of: Sequence[Match]) -> RawSQL | None:
        """The keys of every row matching any of the matches, as a subquery for `…__in=`;
        None when the matches hold no phrase (nothing to look for)."""
        sql = self.matching_sql(any_of)
        return None if sql is None else RawSQL(*sql)

    def matching_sql(self, any_of: Sequence[Match]) -> tuple[str, tuple[str, ...]] | None:
        """See `matching`: its SQL and parameters, e.g. for one part of a UNION."""
        any_of = [m for m in any_of if m.phrases]
        if not any_of:
            return None
        if connection.vendor == "sqlite":
            sql = f"SELECT rowid FROM {self.fts_table} WHERE {self.fts_table} MATCH %s"
            return sql, (self._fts5_query(any_of),)
        sql = f"SELECT {self.key} FROM {self.table} WHERE {VECTOR} @@ to_tsquery('simple', %s)"
        return sql, (self._ts_query(any_of),)

    def newest(
        self,
        any_of: Sequence[Match],
        *,
        newest: int,
        flags: Sequence[Match] = (),
        rare: bool = False,
    ) -> Found | None:
        """The `newest` rows of the highest keys matching any of the matches, read now, and
        for each of `flags` (e.g. the words in one column) which of them match it too: a
        page, its ranking and its count then read these keys, not the index again. None when
        the matches hold no phrase. `rare`: fewer than `newest` matches are expected in all
        (an identifier, a name), which is asked first (PostgreSQL, see _windowed)."""
        any_of = [m for m in any_of if m.phrases]
        if not any_of:
            return None
        if connection.vendor == "sqlite":
            return self._fts5_newest(any_of, newest, flags)
        return self._windowed(any_of, newest, flags, rare=rare)

    def _fts5_newest(self, any_of: Sequence[Match], newest: int, flags: Sequence[Match]) -> Found:
        fts = self.fts_table
        # FTS5 reads its lists of rows in descending rowid order and stops at the limit.
        keys = self._keys(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT {newest}",
            (self._fts5_query(any_of),),
        )
        flagged = []
        for flag in flags:
            # Within the range of the keys found: a word seldom in the flag's column would
            # otherwise be read through every row holding it (the index knows rows; the
            # column is checked row by row).
            found = set()
            if keys and flag.phrases:
                found = set(
                    self._keys(
                        f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s AND rowid >= %s",
                        (self._fts5_query([flag]), keys[-1]),
                    )
                )
            flagged.append(frozenset(found.intersection(keys)))
        return Found(keys, tuple(flagged))

    def _windowed(
        self, any_of: Sequence[Match], newest: int, flags: Sequence[Match], *, rare: bool
    ) -> Found:
        """PostgreSQL: the newest matches from the smallest window of the newest buckets
        that holds enough (see the module), sized from the matches of the window before."""
        query = self._ts_query(any_of)
        # The flags are tested on the rows kept, on their token columns (no second scan).
        likes = [_like(flag) for flag in flags]
        tests = "".join(f", {sql}" for sql, _ in likes)
        tested = tuple(param for _, params in likes for param in params)
        columns = sorted({column for flag in flags for column in flag.columns})
        matches = (
            f"SELECT {', '.join([self.key, *columns])} FROM {self.table} "
            f"WHERE {VECTOR} @@ to_tsquery('simple', %s)"
        )

        def read(window: str | None, limit: str, below: int | None = None) -> list[tuple[Any, ...]]:
            """The matches' keys and flags, within `window` (None: the whole index, or its
            keys below `below`)."""
            inner = matches
            extra: tuple[Any, ...] = ()
            if window is not None:
                inner += f" AND {VECTOR} @@ %s::tsquery"
                extra = (window,)
            elif below is not None:
                # An expression, not the bare key: the primary key's range would be the whole
                # table but the newest buckets; the word's GIN matches are filtered instead.
                inner += f" AND ({self.key} + 0) < %s"
                extra = (below,)
            sql = f"SELECT {self.key}{tests} FROM ({inner} {limit}) AS newest"
            params = (*tested, query, *extra)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        rows = self._all_if_few(newest, read) if rare else None
        if rows is None:
            rows = self._window_rows(newest, read)
        rows.sort(key=lambda row: row[0], reverse=True)
        keys = [row[0] for row in rows]
        return Found(
            keys,
            tuple(frozenset(row[0] for row in rows if row[i + 1]) for i in range(len(flags))),
        )

    @staticmethod
    def _all_if_few(newest: int, read: Reader) -> list[tuple[Any, ...]] | None:
        """Every match when there are at most `newest` (any order; one more than wanted shows
        there are more: None). For a word with few matches in all, the windows would grow to
        the whole index, their larger sizes merging many buckets' posting lists for nothing."""
        rows = read(None, f"LIMIT {int(newest) + 1}")
        return rows if len(rows) <= newest else None

    def _window_rows(self, newest: int, read: Reader) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({self.key}) FROM {self.table}")
            highest = cursor.fetchone()[0] or 0
        top = highest // BUCKET

        def newest_first(wanted: int) -> str:
            # Not ordered by the bare key: PostgreSQL may walk the primary key backwards
            # testing every row until it has enough, a scan of the table for a rare word.
            # Ordered by an expression, it takes the GIN index's matches and keeps the top.
            return f"ORDER BY ({self.key} + 0) DESC LIMIT {int(wanted)}"

        # Each window adds older buckets to those read before: a window that held fewer than
        # wanted gave all its matches, so only the next, older buckets are read, for what is
        # still wanted, and no row is read twice.
        rows: list[tuple[Any, ...]] = []
        size, unread = 1, top
        while size <= top:
            first = top - size + 1
            window = " | ".join(f"'#{b}'" for b in range(unread, first - 1, -1))
            rows += read(window, newest_first(newest - len(rows)))
            unread = first - 1
            if len(rows) >= newest:
                return rows
            if not rows and size == 1:
                # None among the newest rows: a word seldom used (or a name, a number read as
                # words), most likely with few matches in all.
                few = self._all_if_few(newest, read)
                if few is not None:
                    return few
            # The window's matches tell how common the word is among the newest rows: the
            # next window is sized to hold a quarter more than wanted at that rate, so that
            # the last one read holds little beyond what is kept; at least one bucket more,
            # at most GROWTH times as many (a few matches in a small window say little).
            keys = highest - first * BUCKET + 1
            wanted = keys * newest * 5 // (4 * max(len(rows), 1))
            partial = highest - top * BUCKET + 1
            size = max(size + 1, min(size * GROWTH, 1 + -(-(wanted - partial) // BUCKET)))
        return rows + read(None, newest_first(newest - len(rows)), (unread + 1) * BUCKET)

    def _keys(self, sql: str, params: tuple[Any, ...]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

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


def _like(match: Match) -> tuple[str, list[str]]:
    """Whether a row's token columns hold every phrase of `match`, as SQL on the columns' text:
    a phrase is its tokens in a row between spaces (the last one's start for a prefix), as the
    full-text index reads the same column (tokens hold letters and digits only, so neither a
    space nor a LIKE wildcard). Evaluated on a few hundred rows already read, it costs next to
    nothing, where `vector @@ query` would take each row's vector apart again (10 µs a row)."""
    if not match.phrases:
        return "false", []
    conditions, params = [], []
    for phrase in match.phrases:
        pattern = "% " + " ".join(phrase.tokens) + ("%" if phrase.prefix else " %")
        either = [f"(' ' || {column} || ' ') LIKE %s" for column in match.columns]
        conditions.append("(" + " OR ".join(either) + ")")
        params.extend([pattern] * len(match.columns))
    return "(" + " AND ".join(conditions) + ")", params


def _fts5(match: Match) -> str:
    phrases = " AND ".join(
        '"' + " ".join(p.tokens) + '"' + ("*" if p.prefix else "") for p in match.phrases
    )
    return "{" + " ".join(match.columns) + "} : (" + phrases + ")"
