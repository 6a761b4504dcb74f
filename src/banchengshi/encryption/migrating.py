"""The migration step that encrypts what a table held in clear before its fields became
encrypted (and decrypts it back when the migration is reversed), in batches by primary key."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from banchengshi.encryption.keys import decrypt, encrypt, search_hash

BATCH = 1000


def _rewrite(
    schema_editor: Any, table: str, pk: str, columns: dict[str, str | None], *, forwards: bool
) -> None:
    name = schema_editor.connection.ops.quote_name
    sources = list(columns)
    hashes = [(source, target) for source, target in columns.items() if target]
    targets = [*sources, *(target for _, target in hashes)]
    assignments = ", ".join(f"{name(c)} = %s" for c in targets)
    after: Any = None
    with schema_editor.connection.cursor() as cursor:
        while True:
            where = f"WHERE {name(pk)} > %s " if after is not None else ""
            cursor.execute(
                f"SELECT {name(pk)}, {', '.join(name(c) for c in sources)} FROM {name(table)} "
                f"{where}ORDER BY {name(pk)} LIMIT %s",
                [*([after] if after is not None else []), BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            updates = []
            for key, *values in rows:
                if forwards:
                    clear = dict(zip(sources, values, strict=True))
                    stored = [encrypt(value) for value in values]
                    stored += [search_hash(source, clear[source] or "") for source, _ in hashes]
                else:
                    stored = [decrypt(value) for value in values] + ["" for _ in hashes]
                updates.append([*stored, key])
            cursor.executemany(
                f"UPDATE {name(table)} SET {assignments} WHERE {name(pk)} = %s", updates
            )
            after = rows[-1][0]


def encrypt_existing(table: str, columns: dict[str, str | None], pk: str = "id") -> Any:
    """RunPython over `table`: each column of `columns` encrypted, and its hash column (the
    value, or None for a column nobody looks up) filled."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        _rewrite(schema_editor, table, pk, columns, forwards=True)

    def backwards(apps: Any, schema_editor: Any) -> None:
        _rewrite(schema_editor, table, pk, columns, forwards=False)

    return migrations.RunPython(forwards, backwards, elidable=False)
