"""The migration step that encrypts what a table held in clear before its fields became
encrypted (and decrypts it back when the migration is reversed)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from banchengshi.encryption.keys import decrypt, encrypt, search_hash
from banchengshi.encryption.rewriting import Columns, rewrite_rows


def encrypt_existing(table: str, columns: dict[str, str | None], pk: str = "id") -> Any:
    """RunPython over `table`: each column of `columns` encrypted, and its hash column (the
    value, or None for a column nobody looks up) filled."""
    spec = Columns(
        table=table,
        pk=pk,
        encrypted=tuple(columns),
        hashes=tuple((source, target) for source, target in columns.items() if target),
    )

    def encrypted(stored: dict[str, str]) -> list[str]:
        hashes = [search_hash(source, stored[source] or "") for source, _ in spec.hashes]
        return [encrypt(value) for value in stored.values()] + hashes

    def decrypted(stored: dict[str, str]) -> list[str]:
        return [decrypt(value) for value in stored.values()] + ["" for _ in spec.hashes]

    def forwards(apps: Any, schema_editor: Any) -> None:
        rewrite_rows(schema_editor.connection, spec, encrypted)

    def backwards(apps: Any, schema_editor: Any) -> None:
        rewrite_rows(schema_editor.connection, spec, decrypted)

    return migrations.RunPython(forwards, backwards, elidable=False)
